#include "newswatch/http/http_headers.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <string>

namespace newswatch::http {

bool is_safe_header_value(std::string_view value, std::size_t max_length) noexcept {
    if (value.size() > max_length) return false;
    for (unsigned char c : value)
        if ((c < 0x20 && c != '\t') || c == 0x7f) return false;
    return true;
}

bool is_header_name(std::string_view name) noexcept {
    if (name.empty() || name.size() > 256) return false;
    for (unsigned char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                        std::strchr("!#$%&'*+-.^_`|~", c) != nullptr;
        if (!ok || c == 0) return false;
    }
    return true;
}

std::string_view trim_header_value(std::string_view s) noexcept {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
        s.remove_suffix(1);
    return s;
}

namespace {

std::optional<long long> parse_non_negative(std::string_view digits) noexcept {
    if (digits.empty()) return std::nullopt;
    long long value = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (end != digits.data() + digits.size()) return std::nullopt;
    if (ec == std::errc::result_out_of_range) return 1LL << 40;  // absurdly large: clamp later
    if (ec != std::errc{} || value < 0) return std::nullopt;
    return value;
}

bool iequals(std::string_view a, std::string_view b) noexcept {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return (x | 0x20) == (y | 0x20); });
}

}  // namespace

std::optional<core::timestamp> parse_http_date(std::string_view text) noexcept {
    text = trim_header_value(text);
    if (text.empty() || text.size() > 64) return std::nullopt;
    char buffer[72];
    std::memcpy(buffer, text.data(), text.size());
    buffer[text.size()] = '\0';
    const time_t t = curl_getdate(buffer, nullptr);
    if (t == -1) return std::nullopt;
    return core::timestamp{core::seconds{t}};
}

std::optional<core::seconds> parse_retry_after(std::string_view value, core::timestamp now) noexcept {
    value = trim_header_value(value);
    if (value.empty()) return std::nullopt;
    if (value.front() >= '0' && value.front() <= '9') {
        auto n = parse_non_negative(value);
        if (!n) return std::nullopt;
        return core::seconds{std::min<long long>(*n, 1LL << 32)};
    }
    auto date = parse_http_date(value);
    if (!date) return std::nullopt;
    return std::max(core::seconds{0}, *date - now);
}

std::optional<core::seconds> parse_freshness(std::string_view cache_control, std::string_view expires,
                                             std::string_view date, core::timestamp now) noexcept {
    // Cache-Control directives are comma separated; names are case-insensitive.
    std::string_view rest = cache_control;
    std::optional<core::seconds> max_age;
    bool no_cache = false;
    while (!rest.empty()) {
        auto comma = rest.find(',');
        std::string_view directive = trim_header_value(rest.substr(0, comma));
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
        auto eq = directive.find('=');
        std::string_view name = trim_header_value(directive.substr(0, eq));
        std::string_view arg =
            eq == std::string_view::npos ? std::string_view{} : trim_header_value(directive.substr(eq + 1));
        if (arg.size() >= 2 && arg.front() == '"' && arg.back() == '"') arg = arg.substr(1, arg.size() - 2);
        if (iequals(name, "max-age")) {
            if (auto n = parse_non_negative(arg)) max_age = core::seconds{std::min<long long>(*n, 1LL << 32)};
        } else if (iequals(name, "no-cache") || iequals(name, "no-store")) {
            no_cache = true;
        }
    }
    if (max_age) return max_age;
    if (no_cache) return core::seconds{0};
    if (trim_header_value(expires).empty()) return std::nullopt;
    auto expiry = parse_http_date(expires);
    if (!expiry) return core::seconds{0};
    const core::timestamp base = parse_http_date(date).value_or(now);
    return std::max(core::seconds{0}, *expiry - base);
}

}  // namespace newswatch::http
