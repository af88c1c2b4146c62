#include "newswatch/fetcher/poll_schedule.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>

namespace {

using namespace newswatch::fetcher;
using newswatch::http::fetch_outcome;
using newswatch::http::fetch_response;
using newswatch::core::feed_meta;
using newswatch::core::parse_rfc3339;
using newswatch::core::timestamp;
using std::chrono::hours;
using std::chrono::seconds;

constexpr std::uint32_t mid = 1u << 31;  // jitter exactly 0
constexpr std::uint32_t low = 0;         // jitter -fraction
constexpr std::uint32_t high = 0xffffffffu;

const timestamp t0 = *parse_rfc3339("2024-07-10T12:00:00Z");  // a Wednesday

fetch_response ok() {
    fetch_response r;
    r.outcome = fetch_outcome::ok;
    r.http_status = 200;
    return r;
}
fetch_response failed(long status, fetch_outcome outcome = fetch_outcome::http_error) {
    fetch_response r;
    r.outcome = outcome;
    r.http_status = status;
    r.error = "HTTP " + std::to_string(status);
    return r;
}

schedule_options opts() {
    schedule_options o;
    o.interval = seconds{600};
    o.min_interval = seconds{60};
    o.jitter = 0.1;
    return o;
}

TEST(poll_schedule, success_polls_at_the_interval) {
    auto d = plan_next_poll({}, ok(), nullptr, 0, opts(), t0, mid);
    EXPECT_EQ(d.delay, seconds{600});
    EXPECT_EQ(d.next_poll_at, t0 + seconds{600});
    EXPECT_EQ(d.health, feed_health::healthy);
    EXPECT_FALSE(d.report_health);
}

TEST(poll_schedule, jitter_spreads_within_the_fraction) {
    EXPECT_EQ(plan_next_poll({}, ok(), nullptr, 0, opts(), t0, low).delay, seconds{540});
    EXPECT_GE(plan_next_poll({}, ok(), nullptr, 0, opts(), t0, high).delay, seconds{659});
    EXPECT_LE(plan_next_poll({}, ok(), nullptr, 0, opts(), t0, high).delay, seconds{660});
}

TEST(poll_schedule, never_below_the_floor) {
    auto o = opts();
    o.interval = seconds{10};
    o.min_interval = seconds{120};
    EXPECT_EQ(plan_next_poll({}, ok(), nullptr, 0, o, t0, low).delay, seconds{120});
}

TEST(poll_schedule, max_age_and_ttl_only_lengthen_and_are_capped) {
    auto r = ok();
    r.max_age = seconds{3600};
    EXPECT_EQ(plan_next_poll({}, r, nullptr, 0, opts(), t0, mid).delay, seconds{3600});
    r.max_age = seconds{30};  // shorter than the interval: ignored
    EXPECT_EQ(plan_next_poll({}, r, nullptr, 0, opts(), t0, mid).delay, seconds{600});
    r.max_age = seconds{365 * 24 * 3600};
    EXPECT_EQ(plan_next_poll({}, r, nullptr, 0, opts(), t0, mid).delay, opts().max_hint);
    feed_meta meta;
    meta.ttl_minutes = 60;
    EXPECT_EQ(plan_next_poll({}, ok(), &meta, 0, opts(), t0, mid).delay, seconds{3600});
}

TEST(poll_schedule, failures_back_off_exponentially_up_to_the_cap) {
    schedule_state s;
    const seconds expected[] = {seconds{600},  seconds{1200},  seconds{2400},  seconds{4800},
                                seconds{9600}, seconds{19200}, seconds{21600}, seconds{21600}};
    for (auto e : expected) {
        auto d = plan_next_poll(s, failed(503), nullptr, 0, opts(), t0, mid);
        EXPECT_EQ(d.delay, e) << d.state.consecutive_failures;
        s = d.state;
    }
    EXPECT_EQ(s.consecutive_failures, 8);
    EXPECT_EQ(s.failing_since, t0);
    auto back = plan_next_poll(s, ok(), nullptr, 0, opts(), t0, mid);
    EXPECT_EQ(back.state.consecutive_failures, 0);
    EXPECT_FALSE(back.state.failing_since);
    EXPECT_EQ(back.delay, seconds{600});
}

TEST(poll_schedule, retry_after_is_obeyed_even_against_jitter) {
    auto r = failed(429);
    r.retry_after = seconds{7200};
    auto d = plan_next_poll({}, r, nullptr, 0, opts(), t0, low);
    EXPECT_EQ(d.delay, seconds{7200});
    r.retry_after = seconds{10 * 24 * 3600};  // absurd: capped
    EXPECT_EQ(plan_next_poll({}, r, nullptr, 0, opts(), t0, mid).delay, opts().max_hint);
}

TEST(poll_schedule, gone_retires_the_feed_and_reports_once) {
    auto d = plan_next_poll({}, failed(410), nullptr, 0, opts(), t0, mid);
    EXPECT_TRUE(d.state.retired);
    EXPECT_EQ(d.health, feed_health::retired);
    EXPECT_TRUE(d.report_health);
    auto again = plan_next_poll(d.state, failed(410), nullptr, 0, opts(), t0 + hours{1}, mid);
    EXPECT_FALSE(again.report_health);
}

TEST(poll_schedule, failing_for_long_reports_once_then_recovery) {
    schedule_state s;
    auto d = plan_next_poll(s, failed(500), nullptr, 0, opts(), t0, mid);
    EXPECT_FALSE(d.report_health);
    d = plan_next_poll(d.state, failed(500), nullptr, 0, opts(), t0 + hours{25}, mid);
    EXPECT_EQ(d.health, feed_health::failing);
    EXPECT_TRUE(d.report_health);
    EXPECT_NE(d.reason.find("HTTP 500"), std::string::npos) << d.reason;
    d = plan_next_poll(d.state, failed(500), nullptr, 0, opts(), t0 + hours{26}, mid);
    EXPECT_EQ(d.health, feed_health::failing);
    EXPECT_FALSE(d.report_health);
    d = plan_next_poll(d.state, ok(), nullptr, 1, opts(), t0 + hours{27}, mid);
    EXPECT_EQ(d.health, feed_health::healthy);
    EXPECT_TRUE(d.report_health);
    EXPECT_EQ(d.reason, "recovered");
    EXPECT_FALSE(d.state.health_reported);
}

TEST(poll_schedule, cancelled_is_not_a_failure) {
    fetch_response r;
    r.outcome = fetch_outcome::cancelled;
    auto d = plan_next_poll({}, r, nullptr, 0, opts(), t0, mid);
    EXPECT_EQ(d.state.consecutive_failures, 0);
    EXPECT_EQ(d.delay, seconds{600});
}

TEST(poll_schedule, learns_the_rhythm_and_reports_silence) {
    schedule_state s;
    s = plan_next_poll(s, ok(), nullptr, 3, opts(), t0, mid).state;
    s = plan_next_poll(s, ok(), nullptr, 1, opts(), t0 + hours{1}, mid).state;
    EXPECT_EQ(s.publish_interval_estimate, 3600);
    s = plan_next_poll(s, ok(), nullptr, 2, opts(), t0 + hours{3}, mid).state;
    EXPECT_EQ(s.publish_interval_estimate, 3600);  // two items in two hours
    // Silent: threshold max(10 x 1h, 7 days) = 7 days.
    auto d = plan_next_poll(s, ok(), nullptr, 0, opts(), t0 + hours{3 + 24 * 6}, mid);
    EXPECT_EQ(d.health, feed_health::healthy);
    d = plan_next_poll(d.state, ok(), nullptr, 0, opts(), t0 + hours{3 + 24 * 7}, mid);
    EXPECT_EQ(d.health, feed_health::silent);
    EXPECT_TRUE(d.report_health);
    d = plan_next_poll(d.state, ok(), nullptr, 0, opts(), t0 + hours{4 + 24 * 7}, mid);
    EXPECT_FALSE(d.report_health);
    d = plan_next_poll(d.state, ok(), nullptr, 1, opts(), t0 + hours{5 + 24 * 7}, mid);
    EXPECT_EQ(d.health, feed_health::healthy);
    EXPECT_TRUE(d.report_health);  // recovered
}

TEST(poll_schedule, adaptive_interval_follows_the_rhythm_within_bounds) {
    auto o = opts();
    o.adaptive = true;
    o.adaptive_min = seconds{300};
    o.adaptive_max = seconds{7200};
    schedule_state s;
    s.last_new_item_at = t0 - hours{1};
    s.publish_interval_estimate = 3600;
    auto d = plan_next_poll(s, ok(), nullptr, 1, o, t0, mid);
    EXPECT_EQ(d.delay, seconds{1800});
    s.publish_interval_estimate = 60;  // very busy: bounded below
    s.last_new_item_at = t0 - seconds{60};
    EXPECT_EQ(plan_next_poll(s, ok(), nullptr, 1, o, t0, mid).delay, seconds{300});
    s.publish_interval_estimate = 86400 * 3;  // quiet: bounded above
    s.last_new_item_at = t0 - hours{72};
    EXPECT_EQ(plan_next_poll(s, ok(), nullptr, 1, o, t0, mid).delay, seconds{7200});
}

TEST(poll_schedule, skip_hours_and_days_push_the_next_poll) {
    feed_meta meta;
    meta.skip_hours = {12, 13};
    auto d = plan_next_poll({}, ok(), &meta, 0, opts(), t0, mid);  // 12:10 is skipped
    EXPECT_EQ(d.next_poll_at, *parse_rfc3339("2024-07-10T14:00:00Z"));
    meta.skip_hours.clear();
    meta.skip_days = {3, 4};  // Wednesday, Thursday
    d = plan_next_poll({}, ok(), &meta, 0, opts(), t0, mid);
    EXPECT_EQ(d.next_poll_at, *parse_rfc3339("2024-07-12T00:00:00Z"));
    meta.skip_days = {0, 1, 2, 3, 4, 5, 6};  // broken hint: ignored
    d = plan_next_poll({}, ok(), &meta, 0, opts(), t0, mid);
    EXPECT_EQ(d.next_poll_at, t0 + seconds{600});
}

TEST(poll_schedule, absurd_server_hints_are_capped_at_max_hint) {
    auto o = opts();
    const seconds longest = std::max({o.max_hint, o.max_backoff, o.interval}) * 2;  // + jitter
    auto huge = ok();
    huge.max_age = seconds{1LL << 40};
    feed_meta meta;
    meta.ttl_minutes = std::numeric_limits<int>::max();
    auto d = plan_next_poll({}, huge, &meta, 0, o, t0, high);
    EXPECT_LE(d.delay, longest);
    EXPECT_GE(d.delay, o.max_hint);

    auto busy = failed(503);
    busy.retry_after = seconds{std::numeric_limits<std::int64_t>::max() / 2};
    d = plan_next_poll({}, busy, nullptr, 0, o, t0, high);
    EXPECT_LE(d.delay, longest);
    EXPECT_GE(d.delay, o.max_hint);

    meta.ttl_minutes = -5;  // a negative ttl is no hint
    d = plan_next_poll({}, ok(), &meta, 0, o, t0, mid);
    EXPECT_EQ(d.delay, o.interval);

    // A thousand failures in a row: the backoff stays at its cap.
    schedule_state state;
    state.consecutive_failures = 5000;
    d = plan_next_poll(state, failed(500), nullptr, 0, o, t0, mid);
    EXPECT_EQ(d.delay, o.max_backoff);
}

}  // namespace

namespace {

// Issue #10 item 7: "1000000d" re-polled the feed 2-3 times within 5 ms. The delay was
// right in seconds, but an Asio timer counts nanoseconds in 64 bits: now + 1000000 days
// wrapped into the past and the timer fired at once.
TEST(poll_schedule, a_huge_interval_gives_a_delay_a_timer_can_wait) {
    for (const auto& response : {ok(), failed(500)}) {
        auto o = opts();
        o.interval = std::chrono::days(1000000);
        o.max_backoff = std::chrono::days(1000000);
        const auto d = plan_next_poll({}, response, nullptr, 0, o, t0, high);
        EXPECT_GT(d.delay, std::chrono::days(300));
        EXPECT_LE(d.delay, max_poll_delay);
        EXPECT_EQ(d.next_poll_at, t0 + d.delay);
        const auto now = std::chrono::steady_clock::now();
        EXPECT_GT(now + d.delay, now) << "the timer's deadline wraps into the past";
    }
}

}  // namespace
