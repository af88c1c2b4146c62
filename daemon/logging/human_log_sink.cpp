#include "newswatch/logging/human_log_sink.hpp"

#include <unistd.h>

#include <chrono>
#include <ctime>

#include "newswatch/logging/structured_log.hpp"

namespace newswatch::logging {

namespace {

std::string_view colour_of(spdlog::level::level_enum level) noexcept {
    switch (level) {
        case spdlog::level::trace:
            return "\033[37m";
        case spdlog::level::debug:
            return "\033[36m";
        case spdlog::level::info:
            return "\033[32m";
        case spdlog::level::warn:
            return "\033[33m\033[1m";
        case spdlog::level::err:
            return "\033[31m\033[1m";
        case spdlog::level::critical:
            return "\033[1m\033[41m";
        default:
            return "";
    }
}

}  // namespace

human_log_sink::human_log_sink(std::FILE* target)
    : target_(target), colour_(::isatty(::fileno(target)) == 1) {}

void human_log_sink::sink_it_(const spdlog::details::log_msg& msg) {
    const auto t = std::chrono::system_clock::to_time_t(msg.time);
    const auto millis =
        std::chrono::duration_cast<std::chrono::milliseconds>(msg.time.time_since_epoch()).count() % 1000;
    std::tm local{};
    localtime_r(&t, &local);
    char stamp[40];
    const std::size_t n = std::strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &local);
    std::snprintf(stamp + n, sizeof stamp - n, ".%03d ", static_cast<int>(millis));

    std::string line = stamp;
    const std::string_view level = level_name(msg.level);
    if (colour_) line += colour_of(msg.level);
    line += level;
    if (colour_) line += "\033[0m";
    line.append(level.size() < 5 ? 5 - level.size() : 0, ' ');
    line += " [";
    line.append(msg.logger_name.data(), msg.logger_name.size());
    line += "] ";
    line += human_text(msg);
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), target_);
}

}  // namespace newswatch::logging
