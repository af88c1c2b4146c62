#include "logging_setup.hpp"

#include <cstdlib>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/sinks/systemd_sink.h>
#include <spdlog/spdlog.h>

#include "cli_args.hpp"
#include "json_log_sink.hpp"

namespace newswatch::app {

log_format parse_log_format(const std::string& text) {
    if (text == "auto") return log_format::automatic;
    if (text == "human") return log_format::human;
    if (text == "json") return log_format::json;
    if (text == "journal") return log_format::journal;
    throw usage_error("--log-format must be auto, human, json or journal, not '" + text + "'");
}

namespace {

spdlog::level::level_enum level_of(const std::string& level_text) {
    const auto level = spdlog::level::from_str(level_text == "warning" ? "warn" : level_text);
    if (level == spdlog::level::off && level_text != "off")
        throw usage_error("unknown log level '" + level_text + "' (trace, debug, info, warn, error, critical, off)");
    return level;
}

}  // namespace

spdlog::level::level_enum set_log_level(const std::string& level_text) {
    const auto level = level_of(level_text);
    spdlog::set_level(level);  // every registered logger, the cached ones included
    return level;
}

void setup_logging(const std::string& level_text, log_format format) {
    const auto level = level_of(level_text);
    if (format == log_format::automatic)
        format = std::getenv("JOURNAL_STREAM") ? log_format::journal : log_format::human;

    std::shared_ptr<spdlog::logger> logger;
    if (format == log_format::journal) {
        // Identifier "newswatchd"; the journal records time, PID and priority itself.
        auto sink = std::make_shared<spdlog::sinks::systemd_sink_st>("newswatchd", true);
        sink->set_pattern("[%n] %v");
        logger = std::make_shared<spdlog::logger>("newswatch", sink);
    } else if (format == log_format::json) {
        logger = std::make_shared<spdlog::logger>("newswatch", std::make_shared<json_log_sink>());
    } else {
        auto sink = std::make_shared<spdlog::sinks::stderr_color_sink_st>();
        sink->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%-5l%$ [%n] %v");
        logger = std::make_shared<spdlog::logger>("newswatch", sink);
    }
    logger->set_level(level);
    spdlog::drop_all();
    spdlog::set_default_logger(logger);
    spdlog::set_level(level);
    // Named per-module loggers clone the default one lazily; make sure they exist now so
    // they pick up this sink and level.
    for (const char* name : {"fetcher", "pipeline", "sinks", "alerts", "daemon"}) {
        auto l = logger->clone(name);
        l->set_level(level);
        spdlog::register_logger(l);
    }
    spdlog::flush_on(spdlog::level::trace);
}

}  // namespace newswatch::app
