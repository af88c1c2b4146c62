#include "newswatch/fetcher/poll_schedule.hpp"

#include <algorithm>
#include <chrono>

namespace newswatch::fetcher {

using core::seconds;

std::string_view to_string(feed_health h) noexcept {
    switch (h) {
        case feed_health::healthy:
            return "healthy";
        case feed_health::failing:
            return "failing";
        case feed_health::silent:
            return "silent";
        case feed_health::retired:
            return "retired";
    }
    return "healthy";
}

namespace {

bool listed(const std::vector<int>& values, int v) {
    return std::find(values.begin(), values.end(), v) != values.end();
}

int distinct_in_range(const std::vector<int>& values, int lo, int hi) {
    int n = 0;
    for (int v = lo; v <= hi; ++v) n += listed(values, v) ? 1 : 0;
    return n;
}

}  // namespace

core::timestamp skip_forward(core::timestamp t, const core::feed_meta& meta) noexcept {
    if (meta.skip_hours.empty() && meta.skip_days.empty()) return t;
    if (distinct_in_range(meta.skip_hours, 0, 23) == 24 || distinct_in_range(meta.skip_days, 0, 6) == 7)
        return t;
    for (int step = 0; step < 24 * 8; ++step) {
        const auto day = std::chrono::floor<std::chrono::days>(t);
        const int hour = static_cast<int>(std::chrono::duration_cast<std::chrono::hours>(t - day).count());
        const int weekday = static_cast<int>(std::chrono::weekday(day).c_encoding());
        if (listed(meta.skip_days, weekday)) {
            t = std::chrono::time_point_cast<seconds>(day + std::chrono::days(1));
            continue;
        }
        if (listed(meta.skip_hours, hour)) {
            t = std::chrono::time_point_cast<seconds>(day + std::chrono::hours(hour + 1));
            continue;
        }
        return t;
    }
    return t;
}

schedule_decision plan_next_poll(const schedule_state& state, const http::fetch_response& response,
                                 const core::feed_meta* meta, std::size_t new_items,
                                 const schedule_options& options, core::timestamp now,
                                 std::uint32_t random) noexcept {
    schedule_decision d;
    d.state = state;
    schedule_state& s = d.state;
    const seconds interval = std::max(options.interval, seconds{1});
    seconds delay = interval;
    seconds lower_bound{0};  // a server's Retry-After: jitter never goes below it
    const bool was_reported = state.health_reported;

    if (response.outcome == http::fetch_outcome::cancelled) {
        // Shutdown or reload: nothing learned about the feed.
    } else if (response.succeeded()) {
        s.consecutive_failures = 0;
        s.failing_since.reset();
        if (new_items > 0) {
            if (s.last_new_item_at && now > *s.last_new_item_at) {
                const long long gap = (now - *s.last_new_item_at).count() / static_cast<long long>(new_items);
                s.publish_interval_estimate =
                    s.publish_interval_estimate == 0 ? gap : (3 * s.publish_interval_estimate + gap) / 4;
            }
            s.last_new_item_at = now;
        } else if (!s.last_new_item_at) {
            s.last_new_item_at = now;  // the silence clock starts at the first look
        }
        if (options.adaptive && s.publish_interval_estimate > 0) {
            delay = std::clamp(seconds{s.publish_interval_estimate / 2}, options.adaptive_min,
                               std::max(options.adaptive_min, options.adaptive_max));
        }
        // Server hints may ask for less frequent polls, never more.
        if (response.max_age) delay = std::max(delay, std::min(*response.max_age, options.max_hint));
        if (meta && meta->ttl_minutes && *meta->ttl_minutes > 0)
            delay = std::max(delay, std::min(seconds{*meta->ttl_minutes * 60LL}, options.max_hint));
    } else {
        s.consecutive_failures = std::min(s.consecutive_failures + 1, 1000);
        if (!s.failing_since) s.failing_since = now;
        if (response.http_status == 410) s.retired = true;
        const int exponent = std::min(s.consecutive_failures - 1, 30);
        const long long cap = std::max(options.max_backoff, interval).count();
        const long long scaled = interval.count() > (cap >> exponent) ? cap : interval.count() << exponent;
        delay = seconds{std::min(scaled, cap)};
        if (response.retry_after) {
            lower_bound = std::min(*response.retry_after, options.max_hint);
            delay = std::max(delay, lower_bound);
        }
    }

    // Jitter: +-fraction, uniform.
    const double unit = static_cast<double>(random) / 4294967296.0;  // [0, 1)
    const double fraction = std::clamp(options.jitter, 0.0, 0.9);
    const auto spread =
        static_cast<long long>(static_cast<double>(delay.count()) * fraction * (2.0 * unit - 1.0));
    delay = std::max(delay + seconds{spread}, lower_bound);
    delay = std::max(delay, options.min_interval);
    delay = std::max(delay, seconds{1});
    delay = std::min(delay, max_poll_delay);
    core::timestamp at = now + delay;
    if (meta) at = skip_forward(at, *meta);
    d.delay = std::min(at - now, max_poll_delay);
    at = now + d.delay;
    d.next_poll_at = at;

    // Health.
    if (s.retired) {
        d.health = feed_health::retired;
        d.reason = "HTTP 410 Gone: feed retired";
    } else if (s.failing_since && now - *s.failing_since >= options.failing_after) {
        d.health = feed_health::failing;
        d.reason = "failing for " + core::format_duration(now - *s.failing_since) + " (" +
                   std::to_string(s.consecutive_failures) + " failures): " +
                   (response.error.empty() ? std::string(to_string(response.outcome)) : response.error);
    } else if (response.succeeded() && s.last_new_item_at && s.publish_interval_estimate > 0) {
        const auto silent_for = now - *s.last_new_item_at;
        const auto threshold =
            std::max(seconds{static_cast<long long>(options.silent_factor *
                                                    static_cast<double>(s.publish_interval_estimate))},
                     options.silent_min);
        if (silent_for >= threshold) {
            d.health = feed_health::silent;
            d.reason = "no new items for " + core::format_duration(silent_for) + " (usually one every " +
                       core::format_duration(seconds{s.publish_interval_estimate}) + ")";
        }
    }
    if (response.outcome == http::fetch_outcome::cancelled) return d;  // nothing new to report
    if (d.health != feed_health::healthy) {
        d.report_health = !was_reported;
        s.health_reported = true;
    } else if (was_reported && (response.succeeded() || !s.failing_since)) {
        d.report_health = true;  // recovered
        d.reason = "recovered";
        s.health_reported = false;
    }
    return d;
}

}  // namespace newswatch::fetcher
