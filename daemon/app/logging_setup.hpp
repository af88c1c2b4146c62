#pragma once
// Logging for both binaries. Under systemd (JOURNAL_STREAM set) lines go to the journal as
// structured entries (NEWSWATCH_* fields) without our own timestamps; otherwise to stderr
// in a human format, or JSON lines with --log-format json. `journal` without a reachable
// journal socket falls back to the human format on stderr with one warning.
#include <map>
#include <string>

#include <spdlog/common.h>

namespace newswatch::app {

enum class log_format { automatic, human, json, journal };

log_format parse_log_format(const std::string& text);  // throws usage_error

// `level`: trace, debug, info, warn, error, critical, off. Throws usage_error if unknown.
// `module_levels` (logger name -> level, from [daemon] log_levels) override it per module.
void setup_logging(const std::string& level, log_format format,
                   const std::map<std::string, std::string>& module_levels = {});

// Changes the level of every logger set up by setup_logging (SIGHUP). Returns the level
// now in force; throws usage_error if unknown.
spdlog::level::level_enum set_log_level(const std::string& level);

}  // namespace newswatch::app
