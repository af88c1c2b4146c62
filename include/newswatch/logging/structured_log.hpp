#pragma once
// Structured logging on top of spdlog. A call names a logger, a level, a short constant
// message and fields:
//
//   logging::log(*logger, spdlog::level::warn, "fetch failed",
//                {.event = "fetch", .feed = url, .outcome = "timeout", .extra = {{"status", 0}}});
//
// The payload spdlog carries is the human rendering (`fetch failed event="fetch" feed="…"`,
// every value escaped by core::append_log_escaped), so any spdlog sink prints a safe
// line; newswatch's own sinks (human, json, journal) read the record itself through
// record_of() and render the fields their own way. Works from any thread.
#include <optional>
#include <string>
#include <string_view>

#include <spdlog/details/log_msg.h>
#include <spdlog/logger.h>

#include "newswatch/logging/log_fields.hpp"

namespace newswatch::logging {

struct log_record {
    std::string_view message;  // constant text of the call site (escaped anyway)
    const log_fields* fields;
    std::string_view payload;  // the human rendering handed to spdlog
};

// Never throws: a log line that cannot be built is dropped.
void log(spdlog::logger& logger, spdlog::level::level_enum level, std::string_view message,
         const log_fields& fields = {}) noexcept;

// The record `msg` was logged from, or nullptr for a line logged through plain spdlog
// calls (whose payload a sink must escape itself). Valid during the sink call only.
const log_record* record_of(const spdlog::details::log_msg& msg) noexcept;

// `message key="value" key=42 ...`, every part escaped for a log.
std::string render_human(std::string_view message, const log_fields& fields);

// What a sink writes as the text of `msg`: the human rendering of a record, or the
// escaped payload of a plain call.
std::string human_text(const spdlog::details::log_msg& msg);

// Level names, the same on input and output: trace, debug, info, warn, error, critical,
// off ("warning" is accepted on input for older configurations).
std::string_view level_name(spdlog::level::level_enum level) noexcept;
std::optional<spdlog::level::level_enum> parse_level(std::string_view name) noexcept;

}  // namespace newswatch::logging
