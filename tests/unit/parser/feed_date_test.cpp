#include "newswatch/parser/feed_date.hpp"

#include <gtest/gtest.h>

#include "newswatch/core/time.hpp"

namespace {

using newswatch::core::format_rfc3339;
using newswatch::parser::parse_feed_date;

std::string parsed(std::string_view s) {
    const auto t = parse_feed_date(s);
    return t ? format_rfc3339(*t) : "none";
}

TEST(feed_date, rfc822_and_its_violations) {
    EXPECT_EQ(parsed("Tue, 09 Jul 2024 12:34:56 GMT"), "2024-07-09T12:34:56Z");
    EXPECT_EQ(parsed("Tue, 09 Jul 2024 12:34:56 +0300"), "2024-07-09T09:34:56Z");
    EXPECT_EQ(parsed("Tue, 9 Jul 2024 12:34:56 -0500"), "2024-07-09T17:34:56Z");
    EXPECT_EQ(parsed("09 Jul 2024 12:34:56 GMT"), "2024-07-09T12:34:56Z");           // no weekday
    EXPECT_EQ(parsed("Tue, 09 Jul 2024 12:34 GMT"), "2024-07-09T12:34:00Z");         // no seconds
    EXPECT_EQ(parsed("Tue, 09 Jul 24 12:34:56 GMT"), "2024-07-09T12:34:56Z");        // 2-digit year
    EXPECT_EQ(parsed("Fri, 01 Jan 99 00:00:00 GMT"), "1999-01-01T00:00:00Z");
    EXPECT_EQ(parsed("Tue, 09 Jul 2024 12:34:56 EST"), "2024-07-09T17:34:56Z");
    EXPECT_EQ(parsed("Tue, 09 Jul 2024 12:34:56 EDT"), "2024-07-09T16:34:56Z");
    EXPECT_EQ(parsed("Tue, 09 Jul 2024 12:34:56 PST"), "2024-07-09T20:34:56Z");
    EXPECT_EQ(parsed("Tue, 09 Jul 2024 12:34:56 CEST"), "2024-07-09T10:34:56Z");
    EXPECT_EQ(parsed("Tue, 09 Jul 2024 12:34:56 CET"), "2024-07-09T11:34:56Z");
    EXPECT_EQ(parsed("Tue, 09 Jul 2024 12:34:56 EEST"), "2024-07-09T09:34:56Z");
    EXPECT_EQ(parsed("Tue, 09 Jul 2024 12:34:56 MSK"), "2024-07-09T09:34:56Z");
    EXPECT_EQ(parsed("Tue, 09 Jul 2024 12:34:56 UT"), "2024-07-09T12:34:56Z");
    EXPECT_EQ(parsed("Tue, 09 Jul 2024 12:34:56"), "2024-07-09T12:34:56Z");          // no zone = UTC
    EXPECT_EQ(parsed("Tue, 09 July 2024 12:34:56 GMT"), "2024-07-09T12:34:56Z");     // full month
    EXPECT_EQ(parsed("Tuesday, 09-Jul-2024 12:34:56 GMT"), "2024-07-09T12:34:56Z");  // RFC 850
    EXPECT_EQ(parsed("Tue Jul  9 12:34:56 UTC 2024"), "2024-07-09T12:34:56Z");       // ctime
    EXPECT_EQ(parsed("Tue, 09 Jul 2024 12:34:56 +03:00"), "2024-07-09T09:34:56Z");
    EXPECT_EQ(parsed("Tue, 09 Jul 2024 12:34:56 GMT+3"), "2024-07-09T09:34:56Z");
    EXPECT_EQ(parsed("Seg, 24 Set 2018 19:42:40 -0300"), "2018-09-24T22:42:40Z");    // Portuguese
    EXPECT_EQ(parsed("Вт, 09 июл 2024 12:34:56 +0300"), "2024-07-09T09:34:56Z");     // Russian
}

TEST(feed_date, iso8601_rfc3339_and_w3cdtf) {
    EXPECT_EQ(parsed("2024-07-09T12:34:56Z"), "2024-07-09T12:34:56Z");
    EXPECT_EQ(parsed("2024-07-09T12:34:56.789Z"), "2024-07-09T12:34:56Z");
    EXPECT_EQ(parsed("2024-07-09T12:34:56+02:00"), "2024-07-09T10:34:56Z");
    EXPECT_EQ(parsed("2024-07-09T12:34:56+0200"), "2024-07-09T10:34:56Z");
    EXPECT_EQ(parsed("2024-07-09T12:34:56+02"), "2024-07-09T10:34:56Z");
    EXPECT_EQ(parsed("2024-07-09T12:34:56-05:30"), "2024-07-09T18:04:56Z");
    EXPECT_EQ(parsed("2024-07-09 12:34:56"), "2024-07-09T12:34:56Z");
    EXPECT_EQ(parsed("2024-07-09T12:34Z"), "2024-07-09T12:34:00Z");
    EXPECT_EQ(parsed("2024-07-09T12:34+01:00"), "2024-07-09T11:34:00Z");
    EXPECT_EQ(parsed("20240709T123456Z"), "2024-07-09T12:34:56Z");
    EXPECT_EQ(parsed("2024-07-09"), "2024-07-09T00:00:00Z");
    EXPECT_EQ(parsed("2024-07"), "2024-07-01T00:00:00Z");
    EXPECT_EQ(parsed("2024"), "2024-01-01T00:00:00Z");
    EXPECT_EQ(parsed("  2024-07-09T12:34:56Z \n"), "2024-07-09T12:34:56Z");
    EXPECT_EQ(parsed("2024-12-31T23:30:00-01:00"), "2025-01-01T00:30:00Z");
    EXPECT_EQ(parsed("2024/07/09 12:34:56"), "2024-07-09T12:34:56Z");
    EXPECT_EQ(parsed("09.07.2024 12:34"), "2024-07-09T12:34:00Z");
    EXPECT_EQ(parsed("09.07.2024 12:34:56 +0300"), "2024-07-09T09:34:56Z");
    EXPECT_EQ(parsed("9.7.2024"), "2024-07-09T00:00:00Z");
}

TEST(feed_date, rejects_nonsense) {
    EXPECT_EQ(parsed(""), "none");
    EXPECT_EQ(parsed("yesterday"), "none");
    EXPECT_EQ(parsed("2024-13-01"), "none");
    EXPECT_EQ(parsed("Tue, 31 Feb 2024 12:00:00 GMT"), "none");
    EXPECT_EQ(parsed("Tue, 09 Jul 2024 25:00:00 GMT"), "none");
    EXPECT_EQ(parsed("12:00"), "none");
}

}  // namespace
