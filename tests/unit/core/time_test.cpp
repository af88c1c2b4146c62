#include "newswatch/core/time.hpp"

#include <gtest/gtest.h>

namespace newswatch::core {
namespace {

TEST(time, formats_rfc3339_in_utc) {
    const auto t = parse_rfc3339("2024-07-09T14:30:05+02:00");
    ASSERT_TRUE(t);
    EXPECT_EQ(format_rfc3339(*t), "2024-07-09T12:30:05Z");
}

TEST(time, rejects_malformed_rfc3339) {
    EXPECT_FALSE(parse_rfc3339("2024-07-09"));
    EXPECT_FALSE(parse_rfc3339("2024-13-09T00:00:00Z"));
    EXPECT_FALSE(parse_rfc3339("2024-07-09T00:00:00Zjunk"));
}

TEST(time, parses_durations) {
    EXPECT_EQ(parse_duration("48h"), seconds{48 * 3600});
    EXPECT_EQ(parse_duration("5m"), seconds{300});
    EXPECT_EQ(parse_duration("1h30m"), seconds{5400});
    EXPECT_EQ(parse_duration("30d"), seconds{30 * 86400});
    EXPECT_EQ(parse_duration("90"), seconds{90});
    EXPECT_FALSE(parse_duration("5x"));
    EXPECT_FALSE(parse_duration(""));
    EXPECT_FALSE(parse_duration("-5m"));
    EXPECT_EQ(format_duration(seconds{5400}), "1h30m");
}

}  // namespace
}  // namespace newswatch::core
