#include "logging_setup.hpp"

#include <cstdlib>

#include <spdlog/spdlog.h>

#include "cli_args.hpp"
#include "newswatch/logging/human_log_sink.hpp"
#include "newswatch/logging/journal_log_sink.hpp"
#include "newswatch/logging/json_log_sink.hpp"
#include "newswatch/logging/module_logger.hpp"
#include "newswatch/logging/structured_log.hpp"

namespace newswatch::app {

namespace {

spdlog::level::level_enum level_of(const std::string& text) {
    const auto level = logging::parse_level(text);
    if (!level)
        throw usage_error("unknown log level '" + text +
                          "' (trace, debug, info, warn, error, critical, off)");
    return *level;
}

}  // namespace

log_format parse_log_format(const std::string& text) {
    if (text == "auto") return log_format::automatic;
    if (text == "human") return log_format::human;
    if (text == "json") return log_format::json;
    if (text == "journal") return log_format::journal;
    throw usage_error("--log-format must be auto, human, json or journal, not '" + text + "'");
}

namespace {

// The per-module levels of the running configuration: a new global level (SIGHUP) leaves
// the modules that have their own.
std::map<std::string, std::string>& configured_module_levels() {
    static std::map<std::string, std::string> levels;
    return levels;
}

}  // namespace

spdlog::level::level_enum set_log_level(const std::string& level_text) {
    const auto level = level_of(level_text);
    spdlog::set_level(level);  // every registered logger, the cached ones included
    for (const auto& [name, module_level] : configured_module_levels())
        if (auto l = spdlog::get(name)) l->set_level(level_of(module_level));
    return level;
}

void setup_logging(const std::string& level_text, log_format format,
                   const std::map<std::string, std::string>& module_levels) {
    configured_module_levels() = module_levels;
    const auto level = level_of(level_text);
    if (format == log_format::automatic)
        format = std::getenv("JOURNAL_STREAM") ? log_format::journal : log_format::human;

    bool journal_missing = false;
    spdlog::sink_ptr sink;
    if (format == log_format::journal) {
        auto fallback = std::make_shared<logging::human_log_sink>(stderr);
        if (logging::journal_log_sink::journal_available())
            sink = std::make_shared<logging::journal_log_sink>("newswatchd", fallback);
        else
            sink = fallback, journal_missing = true;
    } else if (format == log_format::json) {
        sink = std::make_shared<logging::json_log_sink>(stderr);
    } else {
        sink = std::make_shared<logging::human_log_sink>(stderr);
    }
    auto logger = std::make_shared<spdlog::logger>("newswatch", sink);
    logger->set_level(level);
    spdlog::drop_all();
    spdlog::set_default_logger(logger);
    spdlog::set_level(level);
    // Every module logger exists now, with this sink and its own level.
    for (const std::string_view name : logging::module_names) {
        auto l = logger->clone(std::string(name));
        const auto it = module_levels.find(std::string(name));
        l->set_level(it == module_levels.end() ? level : level_of(it->second));
        spdlog::register_logger(l);
    }
    spdlog::flush_on(spdlog::level::trace);
    // Said whatever the levels: the operator asked for the journal and must learn where the
    // lines went instead.
    if (journal_missing) {
        auto announcer = logger->clone("daemon");
        announcer->set_level(spdlog::level::trace);
        logging::log(
            *announcer, spdlog::level::warn,
            "--log-format journal: no journal socket at /run/systemd/journal/socket; logging to stderr",
            {.event = "log_fallback"});
    }
}

}  // namespace newswatch::app
