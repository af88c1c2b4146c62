// Digest boundaries and quiet hours in a real time zone, across DST changes (issue #13
// item 4). Europe/Kyiv moves from UTC+2 to UTC+3 on 2026-03-29 at 03:00 local and back on
// 2026-10-25 at 04:00 local.
#include "newswatch/pipeline/delivery_calendar.hpp"

#include <gtest/gtest.h>

namespace newswatch::pipeline {
namespace {

core::timestamp at(const char* rfc3339) {
    return core::parse_rfc3339(rfc3339).value();
}

config::delivery_policy kyiv(auto adjust) {
    config::delivery_policy p;
    p.timezone = "Europe/Kyiv";
    adjust(p);
    return p;
}

TEST(delivery_calendar, nothing_is_held_without_a_digest_or_quiet_hours) {
    const delivery_calendar c(kyiv([](auto&) {}));
    EXPECT_FALSE(c.holds_back());
    EXPECT_EQ(c.release_of(at("2026-03-28T21:30:00Z")), at("2026-03-28T21:30:00Z"));
}

TEST(delivery_calendar, quiet_hours_end_at_their_local_time_on_both_sides_of_a_dst_change) {
    const delivery_calendar c(kyiv([](auto& p) { p.quiet_hours = std::pair{22 * 60, 7 * 60}; }));
    // 23:30 local (UTC+2) the night the clocks go forward: 07:00 local is then UTC+3.
    EXPECT_TRUE(c.in_quiet_hours(at("2026-03-28T21:30:00Z")));
    EXPECT_EQ(c.release_of(at("2026-03-28T21:30:00Z")), at("2026-03-29T04:00:00Z"));
    // The night they go back: 23:00 local at UTC+3, 07:00 local at UTC+2.
    EXPECT_EQ(c.release_of(at("2026-10-24T20:00:00Z")), at("2026-10-25T05:00:00Z"));
    // Outside quiet hours nothing waits.
    EXPECT_FALSE(c.in_quiet_hours(at("2026-03-29T09:00:00Z")));
    EXPECT_EQ(c.release_of(at("2026-03-29T09:00:00Z")), at("2026-03-29T09:00:00Z"));
}

TEST(delivery_calendar, digest_periods_are_aligned_to_local_midnight) {
    const delivery_calendar hourly(kyiv([](auto& p) { p.digest = core::seconds{3600}; }));
    EXPECT_EQ(hourly.release_of(at("2026-06-01T10:20:00Z")), at("2026-06-01T11:00:00Z"));
    const delivery_calendar six(kyiv([](auto& p) { p.digest = core::seconds{6 * 3600}; }));
    // 13:20 local (UTC+3) -> 18:00 local.
    EXPECT_EQ(six.release_of(at("2026-06-01T10:20:00Z")), at("2026-06-01T15:00:00Z"));
    // 23:30 local -> midnight.
    EXPECT_EQ(six.release_of(at("2026-06-01T20:30:00Z")), at("2026-06-01T21:00:00Z"));
}

TEST(delivery_calendar, a_daily_digest_at_eight_follows_the_clock_change) {
    const delivery_calendar c(kyiv([](auto& p) {
        p.digest = core::seconds{86400};
        p.digest_at = 8 * 60;
    }));
    // 12:00 local on Saturday (UTC+2) -> 08:00 local on Sunday (UTC+3).
    EXPECT_EQ(c.release_of(at("2026-03-28T10:00:00Z")), at("2026-03-29T05:00:00Z"));
    // 07:59 local -> 08:00 the same day; exactly 08:00 -> the next day.
    EXPECT_EQ(c.release_of(at("2026-06-01T04:59:00Z")), at("2026-06-01T05:00:00Z"));
    EXPECT_EQ(c.release_of(at("2026-06-01T05:00:00Z")), at("2026-06-02T05:00:00Z"));
}

TEST(delivery_calendar, a_digest_due_in_quiet_hours_waits_for_their_end) {
    const delivery_calendar c(kyiv([](auto& p) {
        p.digest = core::seconds{3600};
        p.quiet_hours = std::pair{22 * 60, 7 * 60};
    }));
    // 22:30 local: the 23:00 digest is in quiet hours; 07:00 local instead.
    EXPECT_EQ(c.release_of(at("2026-06-01T19:30:00Z")), at("2026-06-02T04:00:00Z"));
}

TEST(delivery_calendar, an_unknown_zone_is_refused_by_name) {
    try {
        delivery_calendar c(kyiv([](auto& p) { p.timezone = "Europe/Atlantis"; }));
        FAIL() << "accepted";
    } catch (const std::exception& e) {
        EXPECT_NE(std::string(e.what()).find("Europe/Atlantis"), std::string::npos);
    }
}

}  // namespace
}  // namespace newswatch::pipeline
