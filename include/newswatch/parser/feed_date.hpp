#pragma once
// Feed dates as they occur in the wild -> UTC. Pure; never throws.
#include <optional>
#include <string_view>

#include "newswatch/core/time.hpp"

namespace newswatch::parser {

// Accepts RFC 822/1123/2822 dates with the usual violations (no weekday, no seconds, named
// zones such as EST/CEST/MSK, two-digit years, missing zone = UTC, "Sept"/"June" spelled
// out, any token order as in ctime's "Mon Sep 6 00:01:00 UTC 2010"), RFC 3339 / ISO 8601
// (extended and basic forms, fractional seconds, "+hh", "+hhmm", "+hh:mm", space instead of
// 'T') and W3C-DTF ("2010", "2010-09", "2010-09-06"). nullopt when nothing sensible is found.
std::optional<core::timestamp> parse_feed_date(std::string_view text) noexcept;

}  // namespace newswatch::parser
