#include "newswatch/pipeline/poll_timing.hpp"

#include <gtest/gtest.h>

namespace newswatch::pipeline {
namespace {

using core::seconds;
const core::timestamp now{core::seconds{1'720'000'000}};  // a Wednesday, 09:46 UTC

struct timing : ::testing::Test {
    feed_definition feed = [] {
        feed_definition f;
        f.url = "u";
        f.interval = seconds{600};
        return f;
    }();
    store::feed_state state;
    fetcher::fetch_response response;
    pipeline_options options;
    std::mt19937 rng{42};
};

TEST_F(timing, success_uses_the_interval_with_ten_percent_jitter) {
    response.outcome = fetcher::fetch_outcome::ok;
    for (int i = 0; i < 50; ++i) {
        const auto d = next_poll_delay(feed, state, response, nullptr, options, now, rng);
        EXPECT_GE(d, seconds{540});
        EXPECT_LE(d, seconds{660});
    }
}

TEST_F(timing, failures_back_off_exponentially_up_to_the_cap_and_honour_retry_after) {
    response.outcome = fetcher::fetch_outcome::http_error;
    state.consecutive_failures = 3;
    auto d = next_poll_delay(feed, state, response, nullptr, options, now, rng);
    EXPECT_GE(d, seconds{2160});  // 600 * 4 - 10 %
    EXPECT_LE(d, seconds{2640});
    state.consecutive_failures = 30;
    d = next_poll_delay(feed, state, response, nullptr, options, now, rng);
    EXPECT_LE(d, seconds{6 * 3600 + 6 * 360});
    state.consecutive_failures = 1;
    response.retry_after = seconds{7200};
    d = next_poll_delay(feed, state, response, nullptr, options, now, rng);
    EXPECT_GE(d, seconds{6480});
}

TEST_F(timing, hints_only_slow_polling_down_and_the_floor_holds) {
    response.outcome = fetcher::fetch_outcome::ok;
    core::feed_meta meta;
    meta.ttl_minutes = 60;
    auto d = next_poll_delay(feed, state, response, &meta, options, now, rng);
    EXPECT_GE(d, seconds{3240});
    meta.ttl_minutes = 1;  // asks for more frequent polling: ignored
    d = next_poll_delay(feed, state, response, &meta, options, now, rng);
    EXPECT_GE(d, seconds{540});
    feed.interval = seconds{5};
    d = next_poll_delay(feed, state, response, nullptr, options, now, rng);
    EXPECT_GE(d, options.min_interval);
}

TEST_F(timing, skip_hours_push_the_next_poll_past_them) {
    response.outcome = fetcher::fetch_outcome::ok;
    core::feed_meta meta;
    meta.skip_hours = {9, 10, 11};  // now is 09:46 UTC
    const auto d = next_poll_delay(feed, state, response, &meta, options, now, rng);
    const auto at = now + d;
    const auto day = std::chrono::floor<std::chrono::days>(at);
    EXPECT_EQ(std::chrono::duration_cast<std::chrono::hours>(at - day).count(), 12);
}

}  // namespace
}  // namespace newswatch::pipeline
