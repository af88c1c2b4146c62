#include "service_status.hpp"

#include <gtest/gtest.h>

#include "test_paths.hpp"

namespace newswatch::app {
namespace {

TEST(service_status, the_systemd_status_line_reads_like_the_issue_asks) {
    service_status s;
    s.feeds.ok = 1190;
    s.feeds.failing = 3;
    s.feeds.retired = 1;
    s.feeds.never_fetched = 10;
    s.alerts.pending = 2;
    s.last_round = core::timestamp{core::seconds{1'700'000'000}};
    const std::string line = systemd_status_line(s);
    EXPECT_TRUE(line.starts_with("1,204 feeds, 3 failing; last round ")) << line;
    EXPECT_TRUE(line.ends_with("; 2 alerts pending")) << line;
    EXPECT_EQ(line.size(),
              std::string("1,204 feeds, 3 failing; last round 12:04:10; 2 alerts pending").size());
    s.alerts.pending = 1;
    s.last_round.reset();
    EXPECT_EQ(systemd_status_line(s), "1,204 feeds, 3 failing; last round none yet; 1 alert pending");
    EXPECT_EQ(with_thousands(0), "0");
    EXPECT_EQ(with_thousands(999), "999");
    EXPECT_EQ(with_thousands(1000), "1,000");
    EXPECT_EQ(with_thousands(1234567), "1,234,567");
}

TEST(service_status, counts_feeds_by_state) {
    std::vector<store::feed_state> states(4);
    states[0].last_fetch_at = core::timestamp{core::seconds{10}};
    states[1].last_fetch_at = core::timestamp{core::seconds{30}};
    states[1].consecutive_failures = 2;
    states[2].retired = true;
    const auto c = count_feeds(states);
    EXPECT_EQ(c.ok, 1u);
    EXPECT_EQ(c.failing, 1u);
    EXPECT_EQ(c.retired, 1u);
    EXPECT_EQ(c.never_fetched, 1u);
    EXPECT_EQ(last_poll_of(states), core::timestamp{core::seconds{30}});
}

TEST(service_status, survives_a_round_trip_through_status_json) {
    testing::temp_dir dir;
    EXPECT_FALSE(read_status_file(dir.path()).has_value());
    service_status s;
    s.pid = 4242;
    s.version = "0.1.0";
    s.config = "/etc/newswatch/newswatch.toml";
    s.state_dir = dir.path().string();
    s.started_at = core::timestamp{core::seconds{1'700'000'000}};
    s.updated_at = core::timestamp{core::seconds{1'700'000'100}};
    s.feeds.ok = 5;
    s.feeds.failing = 1;
    s.last_round = core::timestamp{core::seconds{1'700'000'090}};
    s.alerts = {3, 1};
    s.reload.count = 2;
    s.reload.at = core::timestamp{core::seconds{1'700'000'050}};
    s.reload.accepted = false;
    s.reload.error = "c.toml:3: bad query";
    ASSERT_TRUE(write_status_file(dir.path(), s));
    const auto r = read_status_file(dir.path());
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->pid, 4242);
    EXPECT_TRUE(r->running);
    EXPECT_EQ(r->config, s.config);
    EXPECT_EQ(r->started_at, s.started_at);
    EXPECT_EQ(r->feeds.ok, 5u);
    EXPECT_EQ(r->feeds.failing, 1u);
    EXPECT_EQ(r->last_round, s.last_round);
    EXPECT_EQ(r->alerts.pending, 3);
    EXPECT_EQ(r->alerts.retrying, 1);
    EXPECT_EQ(r->reload.count, 2u);
    EXPECT_FALSE(r->reload.accepted);
    EXPECT_EQ(r->reload.error, s.reload.error);
    EXPECT_FALSE(std::filesystem::exists(dir.path() / ".status.json.tmp"));
}

}  // namespace
}  // namespace newswatch::app
