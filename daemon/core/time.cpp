#include "newswatch/core/time.hpp"

#include <charconv>
#include <cstdio>

namespace newswatch::core {

timestamp now_utc() noexcept {
    return std::chrono::time_point_cast<seconds>(std::chrono::system_clock::now());
}

std::string format_rfc3339(timestamp t) {
    const auto days = std::chrono::floor<std::chrono::days>(t);
    const std::chrono::year_month_day ymd{days};
    const std::chrono::hh_mm_ss hms{t - days};
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02dZ", int(ymd.year()),
                  unsigned(ymd.month()), unsigned(ymd.day()), int(hms.hours().count()),
                  int(hms.minutes().count()), int(hms.seconds().count()));
    return buffer;
}

namespace {

bool read_int(std::string_view text, std::size_t pos, std::size_t len, int& out) noexcept {
    if (pos + len > text.size()) return false;
    for (std::size_t i = pos; i < pos + len; ++i)
        if (text[i] < '0' || text[i] > '9') return false;
    std::from_chars(text.data() + pos, text.data() + pos + len, out);
    return true;
}

}  // namespace

std::optional<timestamp> parse_rfc3339(std::string_view text) noexcept {
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (!read_int(text, 0, 4, year) || text.size() < 19 || text[4] != '-' ||
        !read_int(text, 5, 2, month) || text[7] != '-' || !read_int(text, 8, 2, day) ||
        (text[10] != 'T' && text[10] != 't' && text[10] != ' ') || !read_int(text, 11, 2, hour) ||
        text[13] != ':' || !read_int(text, 14, 2, minute) || text[16] != ':' ||
        !read_int(text, 17, 2, second))
        return std::nullopt;
    std::size_t pos = 19;
    if (pos < text.size() && text[pos] == '.') {
        ++pos;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
    }
    int offset_minutes = 0;
    if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
        ++pos;
    } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
        int oh = 0, om = 0;
        if (!read_int(text, pos + 1, 2, oh) || pos + 3 >= text.size() || text[pos + 3] != ':' ||
            !read_int(text, pos + 4, 2, om))
            return std::nullopt;
        offset_minutes = (oh * 60 + om) * (text[pos] == '-' ? -1 : 1);
        pos += 6;
    } else {
        return std::nullopt;
    }
    if (pos != text.size()) return std::nullopt;
    const std::chrono::year_month_day ymd{std::chrono::year{year},
                                          std::chrono::month{unsigned(month)},
                                          std::chrono::day{unsigned(day)}};
    if (!ymd.ok() || hour > 23 || minute > 59 || second > 60) return std::nullopt;
    return timestamp{std::chrono::sys_days{ymd}} + std::chrono::hours{hour} +
           std::chrono::minutes{minute - offset_minutes} + seconds{second};
}

std::optional<seconds> parse_duration(std::string_view text) noexcept {
    if (text.empty()) return std::nullopt;
    long long total = 0;
    std::size_t pos = 0;
    bool any_unit = false;
    while (pos < text.size()) {
        long long value = 0;
        const auto [end, ec] = std::from_chars(text.data() + pos, text.data() + text.size(), value);
        if (ec != std::errc{} || value < 0) return std::nullopt;
        pos = static_cast<std::size_t>(end - text.data());
        if (pos == text.size()) {
            if (any_unit) return std::nullopt;  // "1h30" is ambiguous
            if (__builtin_add_overflow(total, value, &total)) return std::nullopt;
            break;
        }
        long long unit = 0;
        switch (text[pos]) {
            case 's': unit = 1; break;
            case 'm': unit = 60; break;
            case 'h': unit = 3600; break;
            case 'd': unit = 86400; break;
            case 'w': unit = 7 * 86400; break;
            default: return std::nullopt;
        }
        ++pos;
        any_unit = true;
        // "999999999999999d" must not wrap around into a small (or negative) duration.
        long long part = 0;
        if (__builtin_mul_overflow(value, unit, &part) || __builtin_add_overflow(total, part, &total))
            return std::nullopt;
    }
    return seconds{total};
}

std::string format_duration(seconds d) {
    long long s = d.count();
    if (s == 0) return "0s";
    std::string out;
    const auto part = [&](long long unit, char suffix) {
        if (s >= unit) {
            out += std::to_string(s / unit);
            out += suffix;
            s %= unit;
        }
    };
    part(86400, 'd');
    part(3600, 'h');
    part(60, 'm');
    part(1, 's');
    return out;
}

}  // namespace newswatch::core
