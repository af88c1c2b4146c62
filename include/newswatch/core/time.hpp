#pragma once
// Time points in newswatch are UTC seconds; durations are parsed from "30s", "5m", "48h", "30d".
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace newswatch::core {

using timestamp = std::chrono::sys_seconds;
using seconds = std::chrono::seconds;

// Now, truncated to whole seconds.
timestamp now_utc() noexcept;

// "2024-07-09T12:00:00Z". Always UTC with a trailing Z.
std::string format_rfc3339(timestamp t);

// Parses "2024-07-09T12:00:00Z" / "+hh:mm" offsets / fractional seconds. Strict; for
// feed dates with all their variants use the parser's date functions.
std::optional<timestamp> parse_rfc3339(std::string_view text) noexcept;

// Parses a duration such as "90s", "5m", "48h", "30d", "1h30m" or a plain number of
// seconds. Returns nullopt for anything else (including negatives).
std::optional<seconds> parse_duration(std::string_view text) noexcept;

// "1h30m" style, for logs and docs.
std::string format_duration(seconds d);

}  // namespace newswatch::core
