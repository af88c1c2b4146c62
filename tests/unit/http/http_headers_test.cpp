#include "newswatch/http/http_headers.hpp"

#include <gtest/gtest.h>

namespace {

using namespace newswatch::http;
using newswatch::core::parse_rfc3339;
using std::chrono::seconds;

const auto now = *parse_rfc3339("2024-01-01T00:00:00Z");

TEST(http_headers, safe_values_have_no_control_characters) {
    EXPECT_TRUE(is_safe_header_value("\"abc\""));
    EXPECT_TRUE(is_safe_header_value("W/\"a b\tc\""));
    EXPECT_TRUE(is_safe_header_value(""));
    EXPECT_FALSE(is_safe_header_value("\"a\"\r\nX-Evil: 1"));
    EXPECT_FALSE(is_safe_header_value("a\nb"));
    EXPECT_FALSE(is_safe_header_value("a\rb"));
    EXPECT_FALSE(is_safe_header_value(std::string("a\0b", 3)));
    EXPECT_FALSE(is_safe_header_value("a\x7f"));
    EXPECT_FALSE(is_safe_header_value(std::string(max_validator_length + 1, 'a')));
    EXPECT_TRUE(is_header_name("X-Api-Key"));
    EXPECT_FALSE(is_header_name("X Api"));
    EXPECT_FALSE(is_header_name("X:Api"));
    EXPECT_FALSE(is_header_name(""));
}

TEST(http_headers, retry_after_in_both_forms) {
    EXPECT_EQ(parse_retry_after("120", now), seconds{120});
    EXPECT_EQ(parse_retry_after(" 0 ", now), seconds{0});
    EXPECT_EQ(parse_retry_after("Mon, 01 Jan 2024 01:00:00 GMT", now), seconds{3600});
    EXPECT_EQ(parse_retry_after("Monday, 01-Jan-24 00:10:00 GMT", now), seconds{600});  // RFC 850
    EXPECT_EQ(parse_retry_after("Mon Jan  1 00:00:30 2024", now), seconds{30});         // asctime
    EXPECT_EQ(parse_retry_after("Sun, 31 Dec 2023 00:00:00 GMT", now), seconds{0});     // past
    EXPECT_FALSE(parse_retry_after("-5", now));
    EXPECT_FALSE(parse_retry_after("soon", now));
    EXPECT_FALSE(parse_retry_after("", now));
    EXPECT_TRUE(parse_retry_after("99999999999999999999999", now));  // clamped, not an error
}

TEST(http_headers, freshness_from_cache_control_and_expires) {
    EXPECT_EQ(parse_freshness("public, max-age=600", "", "", now), seconds{600});
    EXPECT_EQ(parse_freshness("MAX-AGE=\"60\"", "", "", now), seconds{60});
    EXPECT_EQ(parse_freshness("no-cache", "", "", now), seconds{0});
    EXPECT_EQ(parse_freshness("s-maxage=100", "", "", now), std::nullopt);
    EXPECT_EQ(parse_freshness("", "Mon, 01 Jan 2024 00:30:00 GMT", "Mon, 01 Jan 2024 00:10:00 GMT", now),
              seconds{1200});
    EXPECT_EQ(parse_freshness("", "Mon, 01 Jan 2024 00:30:00 GMT", "", now), seconds{1800});
    EXPECT_EQ(parse_freshness("", "0", "", now), seconds{0});
    EXPECT_EQ(parse_freshness("max-age=5", "Mon, 01 Jan 2024 00:30:00 GMT", "", now), seconds{5});
    EXPECT_EQ(parse_freshness("", "", "", now), std::nullopt);
}

TEST(http_headers, absurd_hints_are_clamped_or_ignored_never_overflow) {
    // Overflowing, negative, fractional and exponent forms.
    EXPECT_EQ(parse_retry_after("99999999999999999999999999", now), seconds{1LL << 32});
    EXPECT_EQ(parse_retry_after("18446744073709551617", now), seconds{1LL << 32});
    EXPECT_FALSE(parse_retry_after("-1", now));
    EXPECT_FALSE(parse_retry_after("1e9", now));
    EXPECT_FALSE(parse_retry_after("1.5", now));
    EXPECT_FALSE(parse_retry_after("", now));
    EXPECT_FALSE(parse_retry_after(std::string(10000, '9') + "x", now));
    // Dates far away: non-negative, finite.
    auto far = parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT", now);
    if (far) {
        EXPECT_GE(*far, seconds{0});
    }
    EXPECT_EQ(parse_retry_after("Thu, 01 Jan 1970 00:00:00 GMT", now), seconds{0});
    EXPECT_EQ(parse_freshness("max-age=99999999999999999999999", "", "", now), seconds{1LL << 32});
    EXPECT_FALSE(parse_freshness("max-age=-5", "", "", now));
    EXPECT_FALSE(parse_freshness("max-age=", "", "", now));
    EXPECT_EQ(parse_freshness("", "Thu, 01 Jan 1970 00:00:00 GMT", "", now), seconds{0});
    EXPECT_EQ(parse_freshness("", "-1", "", now), seconds{0});  // invalid Expires: already expired
    auto far_expiry =
        parse_freshness("", "Fri, 31 Dec 9999 23:59:59 GMT", "Thu, 01 Jan 1970 00:00:00 GMT", now);
    ASSERT_TRUE(far_expiry);
    EXPECT_GE(*far_expiry, seconds{0});
}

}  // namespace
