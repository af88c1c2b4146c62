#include "newswatch/pipeline/poll_timing.hpp"

#include <algorithm>
#include <chrono>

namespace newswatch::pipeline {

namespace {

// Skip hours/days from the feed (RSS <skipHours>/<skipDays>, UTC): push `t` past them.
core::timestamp skip_forward(core::timestamp t, const core::feed_meta& meta) {
    if (meta.skip_hours.empty() && meta.skip_days.empty()) return t;
    for (int step = 0; step < 24 * 8; ++step) {
        const auto day = std::chrono::floor<std::chrono::days>(t);
        const int hour = static_cast<int>(std::chrono::duration_cast<std::chrono::hours>(t - day).count());
        const int weekday = static_cast<int>(std::chrono::weekday(day).c_encoding());
        const bool skip_h = std::find(meta.skip_hours.begin(), meta.skip_hours.end(), hour) != meta.skip_hours.end();
        const bool skip_d = std::find(meta.skip_days.begin(), meta.skip_days.end(), weekday) != meta.skip_days.end();
        if (!skip_h && !skip_d) return t;
        t = std::chrono::time_point_cast<core::seconds>(day + std::chrono::hours(hour + 1));
    }
    return t;  // every hour skipped: ignore the hint
}

}  // namespace

core::seconds next_poll_delay(const feed_definition& feed, const store::feed_state& state,
                              const fetcher::fetch_response& response, const core::feed_meta* meta,
                              const pipeline_options& options, core::timestamp now, std::mt19937& rng) {
    using core::seconds;
    seconds delay = feed.interval;
    if (response.succeeded()) {
        // The server's own hints may ask for *less* frequent polling, never more.
        if (response.max_age) delay = std::max(delay, std::min(*response.max_age, seconds{24 * 3600}));
        if (meta && meta->ttl_minutes && *meta->ttl_minutes > 0)
            delay = std::max(delay, std::min(seconds{*meta->ttl_minutes * 60LL}, seconds{24 * 3600}));
    } else {
        const int exponent = std::min(std::max(state.consecutive_failures - 1, 0), 16);
        const long long backoff = std::min<long long>(feed.interval.count() << exponent, options.max_backoff.count());
        delay = seconds{std::max<long long>(backoff, feed.interval.count())};
        if (response.retry_after) delay = std::max(delay, std::min(*response.retry_after, seconds{24 * 3600}));
    }
    // +-10 % jitter so that feeds configured together do not fire together.
    const long long spread = std::max<long long>(1, delay.count() / 10);
    std::uniform_int_distribution<long long> jitter(-spread, spread);
    delay += seconds{jitter(rng)};
    delay = std::max(delay, options.min_interval);
    if (meta) {
        const auto at = skip_forward(now + delay, *meta);
        delay = at - now;
    }
    return delay;
}

}  // namespace newswatch::pipeline
