#include "newswatch/logging/json_log_sink.hpp"

#include <chrono>

#include "newswatch/core/output_text.hpp"
#include "newswatch/core/time.hpp"
#include "newswatch/logging/structured_log.hpp"

namespace newswatch::logging {

namespace {

void append_string(std::string& out, std::string_view key, std::string_view value) {
    out += ",\"";
    out += key;
    out += "\":\"";
    core::append_quoted_string_escaped(out, core::log_escaped(value));
    out += '"';
}

}  // namespace

std::string json_log_sink::render(const spdlog::details::log_msg& msg) {
    const auto secs = std::chrono::time_point_cast<std::chrono::seconds>(msg.time);
    const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(msg.time - secs).count();
    std::string stamp = core::format_rfc3339(core::timestamp{secs.time_since_epoch()});
    char frac[8];
    std::snprintf(frac, sizeof frac, ".%03d", static_cast<int>(millis));
    stamp.insert(stamp.size() - 1, frac);

    std::string line = "{\"time\":\"" + stamp + "\",\"level\":\"" + std::string(level_name(msg.level)) + "\"";
    append_string(line, "logger", {msg.logger_name.data(), msg.logger_name.size()});
    const log_record* record = record_of(msg);
    append_string(line, "message",
                  record ? record->message : std::string_view(msg.payload.data(), msg.payload.size()));
    if (record) {
        record->fields->for_each([&](std::string_view key, const field_value& value) {
            if (value.is_number()) {
                line += ",\"";
                line += key;
                line += "\":";
                line += std::to_string(value.number());
            } else {
                append_string(line, key, value.text());
            }
        });
    }
    line += '}';
    return line;
}

void json_log_sink::sink_it_(const spdlog::details::log_msg& msg) {
    std::string line = render(msg);
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), target_);
}

}  // namespace newswatch::logging
