#pragma once
// The named per-module loggers. Each module logs through its own logger so that its level
// can be set on its own ([daemon] log_levels = { fetcher = "warn" }).
#include <array>
#include <memory>
#include <string>
#include <string_view>

#include <spdlog/logger.h>

namespace newswatch::logging {

// Every logger name newswatch uses; the keys [daemon] log_levels accepts.
inline constexpr std::array<std::string_view, 6> module_names{"fetcher", "pipeline", "sinks",
                                                              "alerts",  "daemon",   "websub"};

// The logger `name`, created on first use from the default logger's sinks and level.
// Thread-safe. Callers keep the pointer: the lookup takes spdlog's registry lock.
std::shared_ptr<spdlog::logger> module_logger(const std::string& name);

}  // namespace newswatch::logging
