#include "json_log_sink.hpp"

#include <chrono>

#include "newswatch/core/time.hpp"

namespace newswatch::app {

std::string json_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 8);
    for (const char c : text) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
                    out += buf;
                } else {
                    out += c;
                }
        }
    }
    return out;
}

void json_log_sink::sink_it_(const spdlog::details::log_msg& msg) {
    const auto secs = std::chrono::time_point_cast<std::chrono::seconds>(msg.time);
    const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(msg.time - secs).count();
    std::string stamp = core::format_rfc3339(core::timestamp{secs.time_since_epoch()});
    char frac[8];
    std::snprintf(frac, sizeof frac, ".%03d", static_cast<int>(millis));
    stamp.insert(stamp.size() - 1, frac);
    const auto level = spdlog::level::to_string_view(msg.level);
    std::string line = "{\"time\":\"" + stamp + "\",\"level\":\"" + std::string(level.data(), level.size()) +
                       "\",\"logger\":\"" + json_escape({msg.logger_name.data(), msg.logger_name.size()}) +
                       "\",\"message\":\"" + json_escape({msg.payload.data(), msg.payload.size()}) + "\"}\n";
    std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace newswatch::app
