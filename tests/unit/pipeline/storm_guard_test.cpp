#include "newswatch/pipeline/storm_guard.hpp"

#include <gtest/gtest.h>

#include "newswatch/sinks/grouped_json.hpp"

namespace newswatch::pipeline {
namespace {

const core::timestamp t0{core::seconds{1'700'000'000}};
const storm_limits off{0, core::seconds{600}};

TEST(storm_guard, alerts_beyond_the_threshold_within_the_window_fold_into_one_storm) {
    storm_guard guard;
    const storm_limits limits{3, core::seconds{600}};
    for (int i = 0; i < 3; ++i) {
        const auto d = guard.count("w", limits, "https://f", off, t0 + core::seconds{i});
        EXPECT_FALSE(d.storm_id) << i;
        EXPECT_TRUE(d.opened.empty());
    }
    const auto fourth = guard.count("w", limits, "https://f", off, t0 + core::seconds{10});
    ASSERT_TRUE(fourth.storm_id);
    ASSERT_EQ(fourth.opened.size(), 1u);
    const auto& storm = fourth.opened[0];
    EXPECT_EQ(storm.storm_id, *fourth.storm_id);
    EXPECT_EQ(storm.watch, "w");
    EXPECT_EQ(storm.feed_url, "");
    EXPECT_EQ(storm.started_at, t0);  // the window starts at the watch's first alert
    EXPECT_EQ(storm.ends_at, t0 + core::seconds{600});
    EXPECT_EQ(storm.storm_id, sinks::storm_id({"w", "", t0, t0 + core::seconds{600}, {}}));
    const auto fifth = guard.count("w", limits, "https://f", off, t0 + core::seconds{599});
    EXPECT_EQ(fifth.storm_id, fourth.storm_id);
    EXPECT_TRUE(fifth.opened.empty());  // opened once
    // Another watch has a window of its own.
    EXPECT_FALSE(guard.count("other", limits, "https://f", off, t0 + core::seconds{20}).storm_id);
    // The window ended: a new one starts, below the threshold again.
    EXPECT_FALSE(guard.count("w", limits, "https://f", off, t0 + core::seconds{600}).storm_id);
}

TEST(storm_guard, a_threshold_of_zero_is_off) {
    storm_guard guard;
    for (int i = 0; i < 100; ++i) EXPECT_FALSE(guard.count("w", off, "https://f", off, t0).storm_id);
}

TEST(storm_guard, a_feed_storm_folds_the_alerts_of_every_watch_from_that_feed) {
    storm_guard guard;
    const storm_limits feed{4, core::seconds{60}};
    for (int i = 0; i < 4; ++i)
        EXPECT_FALSE(guard.count(i % 2 ? "a" : "b", off, "https://f", feed, t0).storm_id);
    const auto d = guard.count("a", off, "https://f", feed, t0 + core::seconds{1});
    ASSERT_TRUE(d.storm_id);
    ASSERT_EQ(d.opened.size(), 1u);
    EXPECT_EQ(d.opened[0].feed_url, "https://f");
    EXPECT_EQ(d.opened[0].watch, "");
    EXPECT_FALSE(guard.count("a", off, "https://g", feed, t0 + core::seconds{1}).storm_id);  // another feed
    // When the watch storms too, its own storm wins (one summary per watch).
    const auto both = guard.count("a", {1, core::seconds{60}}, "https://f", feed, t0 + core::seconds{2});
    const auto again = guard.count("a", {1, core::seconds{60}}, "https://f", feed, t0 + core::seconds{3});
    EXPECT_EQ(both.storm_id, d.storm_id);  // the watch's first alert: still the feed's storm
    ASSERT_TRUE(again.storm_id);
    EXPECT_NE(*again.storm_id, *d.storm_id);
}

TEST(storm_guard, restored_open_storms_keep_folding_after_a_restart) {
    storm_guard guard;
    const storm_limits limits{20, core::seconds{600}};
    guard.restore({{"s1", "w", "", t0, t0 + core::seconds{600}}});
    const auto d = guard.count("w", limits, "https://f", off, t0 + core::seconds{100});
    EXPECT_EQ(d.storm_id, std::optional<std::string>("s1"));
    EXPECT_TRUE(d.opened.empty());
    // Past its end the watch starts a fresh window.
    EXPECT_FALSE(guard.count("w", limits, "https://f", off, t0 + core::seconds{600}).storm_id);
}

}  // namespace
}  // namespace newswatch::pipeline
