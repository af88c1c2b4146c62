#include "newswatch/logging/structured_log.hpp"

#include <utility>

#include "newswatch/core/output_text.hpp"

namespace newswatch::logging {

namespace {

thread_local const log_record* current_record = nullptr;

// Restores the previous record even if a sink throws (spdlog catches, but be sure).
class record_scope {
public:
    explicit record_scope(const log_record& r) noexcept : previous_(std::exchange(current_record, &r)) {}
    ~record_scope() { current_record = previous_; }
    record_scope(const record_scope&) = delete;
    record_scope& operator=(const record_scope&) = delete;

private:
    const log_record* previous_;
};

}  // namespace

std::string render_human(std::string_view message, const log_fields& fields) {
    std::string out;
    out.reserve(message.size() + 96);
    core::append_log_escaped(out, message, core::log_quoting::bare);
    fields.for_each([&](std::string_view key, const field_value& value) {
        if (!out.empty()) out += ' ';
        out += key;
        out += '=';
        if (value.is_number()) {
            out += std::to_string(value.number());
        } else {
            out += '"';
            core::append_log_escaped(out, value.text(), core::log_quoting::quoted);
            out += '"';
        }
    });
    return out;
}

void log(spdlog::logger& logger, spdlog::level::level_enum level, std::string_view message,
         const log_fields& fields) noexcept {
    if (!logger.should_log(level)) return;
    try {
        const std::string payload = render_human(message, fields);
        const log_record record{message, &fields, payload};
        const record_scope scope(record);
        logger.log(spdlog::source_loc{}, level, spdlog::string_view_t(payload.data(), payload.size()));
    } catch (...) {
        // Logging must never take a caller down.
    }
}

const log_record* record_of(const spdlog::details::log_msg& msg) noexcept {
    const log_record* r = current_record;
    // Only the record whose payload spdlog is passing on: a plain spdlog call made while a
    // record is current (a sink logging about itself) must not borrow its fields.
    if (r && r->payload.data() == msg.payload.data() && r->payload.size() == msg.payload.size()) return r;
    return nullptr;
}

std::string human_text(const spdlog::details::log_msg& msg) {
    if (const log_record* r = record_of(msg)) return std::string(r->payload);
    return core::log_escaped({msg.payload.data(), msg.payload.size()});
}

std::string_view level_name(spdlog::level::level_enum level) noexcept {
    switch (level) {
        case spdlog::level::trace:
            return "trace";
        case spdlog::level::debug:
            return "debug";
        case spdlog::level::info:
            return "info";
        case spdlog::level::warn:
            return "warn";
        case spdlog::level::err:
            return "error";
        case spdlog::level::critical:
            return "critical";
        default:
            return "off";
    }
}

std::optional<spdlog::level::level_enum> parse_level(std::string_view name) noexcept {
    if (name == "warning") return spdlog::level::warn;
    for (int l = spdlog::level::trace; l <= spdlog::level::off; ++l) {
        const auto level = static_cast<spdlog::level::level_enum>(l);
        if (level_name(level) == name) return level;
    }
    return std::nullopt;
}

}  // namespace newswatch::logging
