#pragma once
// The key/value fields of one log line. The six named fields are the ones operators filter
// on; they become `key="value"` in the human format, JSON keys in the json format and
// NEWSWATCH_<KEY> journal fields (journalctl NEWSWATCH_WATCH=membership). `extra` carries
// the rest (status, bytes, error, ...) the same way. Values are views: a log_fields lives
// only for the log call it is built in.
#include <concepts>
#include <string>
#include <string_view>
#include <vector>

namespace newswatch::logging {

class field_value {
public:
    field_value(std::string_view text) noexcept : text_(text) {}
    field_value(const std::string& text) noexcept : text_(text) {}
    field_value(const char* text) noexcept : text_(text) {}
    template <std::integral T>
    requires(!std::same_as<T, bool> && !std::same_as<T, char>) field_value(T number)
    noexcept : number_(static_cast<long long>(number)), is_number_(true) {}

    bool is_number() const noexcept { return is_number_; }
    long long number() const noexcept { return number_; }
    std::string_view text() const noexcept { return text_; }

private:
    std::string_view text_;
    long long number_ = 0;
    bool is_number_ = false;
};

// `key` is a constant in snake_case ([a-z0-9_]); never text from outside.
struct field {
    std::string_view key;
    field_value value;
};

struct log_fields {
    std::string_view event{};     // what happened, stable for machines: "fetch", "feed_processed", ...
    std::string_view feed{};      // the configured feed URL
    std::string_view watch{};     // watch name
    std::string_view sink{};      // sink name
    std::string_view alert_id{};  // 32 hex digits
    std::string_view outcome{};   // "ok", "not_modified", "timeout", "delivered", ...
    std::vector<field> extra{};

    // Calls f(key, value) for every field that is set, named fields first in the order above.
    template <class F>
    void for_each(F&& f) const {
        const std::pair<std::string_view, std::string_view> named[] = {
            {"event", event}, {"feed", feed},         {"watch", watch},
            {"sink", sink},   {"alert_id", alert_id}, {"outcome", outcome}};
        for (const auto& [key, value] : named)
            if (!value.empty()) f(key, field_value(value));
        for (const auto& x : extra) f(x.key, x.value);
    }
};

}  // namespace newswatch::logging
