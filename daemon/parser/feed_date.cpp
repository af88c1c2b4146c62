#include "newswatch/parser/feed_date.hpp"

#include <array>
#include <chrono>

namespace newswatch::parser {

namespace {

inline bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
inline bool is_alpha(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
inline char lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? char(c + 32) : c; }

bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (lower(a[i]) != lower(b[i])) return false;
    return true;
}

std::optional<core::timestamp> make_time(int year, int month, int day, int hour, int minute,
                                         int second, int offset_minutes) noexcept {
    if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 ||
        hour > 24 || minute < 0 || minute > 59 || second < 0 || second > 60)
        return std::nullopt;
    const std::chrono::year_month_day ymd{std::chrono::year{year},
                                          std::chrono::month{unsigned(month)},
                                          std::chrono::day{unsigned(day)}};
    if (!ymd.ok()) return std::nullopt;
    if (second == 60) second = 59;  // leap second: keep it in the same minute
    return core::timestamp{std::chrono::sys_days{ymd}} + std::chrono::hours{hour} +
           std::chrono::minutes{minute - offset_minutes} + core::seconds{second};
}

// Reads exactly `len` digits at text[pos].
bool digits(std::string_view text, std::size_t pos, std::size_t len, int& out) noexcept {
    if (pos + len > text.size()) return false;
    int v = 0;
    for (std::size_t i = pos; i < pos + len; ++i) {
        if (!is_digit(text[i])) return false;
        v = v * 10 + (text[i] - '0');
    }
    out = v;
    return true;
}

// "+hh:mm", "+hhmm", "+hh", "Z" at text[pos..]; returns the new position or npos.
std::size_t read_offset(std::string_view text, std::size_t pos, int& offset) noexcept {
    offset = 0;
    if (pos >= text.size()) return pos;
    if (text[pos] == 'Z' || text[pos] == 'z') return pos + 1;
    if (text[pos] != '+' && text[pos] != '-' && text[pos] != '\xE2') return std::string_view::npos;
    std::size_t p = pos + 1;
    if (text[pos] == '\xE2') {  // U+2212 MINUS SIGN, seen in hand-written feeds
        if (text.substr(pos, 3) != "\xE2\x88\x92") return std::string_view::npos;
        p = pos + 3;
    }
    const int sign = text[pos] == '+' ? 1 : -1;
    int h = 0, m = 0;
    if (digits(text, p, 2, h)) p += 2;
    else if (digits(text, p, 1, h)) p += 1;  // "GMT+3"
    else return std::string_view::npos;
    if (p < text.size() && text[p] == ':') ++p;
    if (digits(text, p, 2, m)) p += 2;
    if (h > 23 || m > 59) return std::string_view::npos;
    offset = sign * (h * 60 + m);
    return p;
}

std::optional<core::timestamp> parse_iso(std::string_view t) noexcept {
    int year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0, offset = 0;
    std::size_t p = 0;
    if (!digits(t, 0, 4, year)) return std::nullopt;
    p = 4;
    const bool basic = t.size() >= 8 && digits(t, 4, 4, month);  // 20100906T...
    if (basic) {
        digits(t, 4, 2, month);
        digits(t, 6, 2, day);
        p = 8;
    } else if (p < t.size() && t[p] == '-') {
        if (!digits(t, p + 1, 2, month)) {
            if (!digits(t, p + 1, 1, month)) return std::nullopt;
            p += 2;
        } else {
            p += 3;
        }
        if (p < t.size() && t[p] == '-') {
            if (digits(t, p + 1, 2, day)) p += 3;
            else if (digits(t, p + 1, 1, day)) p += 2;
            else return std::nullopt;
        }
    }
    if (p < t.size() && (t[p] == 'T' || t[p] == 't' || t[p] == ' ')) {
        std::size_t q = p + 1;
        while (q < t.size() && t[q] == ' ') ++q;
        if (!digits(t, q, 2, hour)) {
            if (!digits(t, q, 1, hour)) return p == t.size() - 1 ? make_time(year, month, day, 0, 0, 0, 0) : std::nullopt;
            q += 1;
        } else {
            q += 2;
        }
        if (q < t.size() && t[q] == ':') ++q;
        if (!digits(t, q, 2, minute)) return std::nullopt;
        q += 2;
        if (q < t.size() && t[q] == ':') ++q;
        if (digits(t, q, 2, second)) q += 2;
        if (q < t.size() && (t[q] == '.' || t[q] == ',')) {
            ++q;
            while (q < t.size() && is_digit(t[q])) ++q;
        }
        while (q < t.size() && t[q] == ' ') ++q;
        p = q;
        if (p < t.size()) {
            if (iequals(t.substr(p), "UTC") || iequals(t.substr(p), "GMT")) {
                p = t.size();
            } else {
                p = read_offset(t, p, offset);
                if (p == std::string_view::npos) return std::nullopt;
            }
        }
    }
    while (p < t.size() && t[p] == ' ') ++p;
    if (p != t.size()) return std::nullopt;
    return make_time(year, month, day, hour, minute, second, offset);
}

struct zone_entry {
    std::string_view name;
    int minutes;
};

constexpr std::array<zone_entry, 40> zones{{
    {"UT", 0},       {"UTC", 0},      {"GMT", 0},     {"Z", 0},       {"WET", 0},
    {"EST", -300},   {"EDT", -240},   {"CST", -360},  {"CDT", -300},  {"MST", -420},
    {"MDT", -360},   {"PST", -480},   {"PDT", -420},  {"AKST", -540}, {"AKDT", -480},
    {"HST", -600},   {"AST", -240},   {"ADT", -180},  {"NST", -210},  {"NDT", -150},
    {"BST", 60},     {"IST", 60},     {"WEST", 60},   {"CET", 60},    {"CEST", 120},
    {"MET", 60},     {"MEST", 120},   {"EET", 120},   {"EEST", 180},  {"MSK", 180},
    {"MSD", 240},    {"KYIV", 120},   {"JST", 540},   {"KST", 540},   {"HKT", 480},
    {"SGT", 480},    {"AEST", 600},   {"AEDT", 660},  {"ACST", 570},  {"NZST", 720},
}};

struct month_entry {
    std::string_view prefix;  // enough letters to be unambiguous
    int month;
};

// English first; then the German/French/Spanish/Dutch/Polish/Russian/Ukrainian forms
// that turn up in feeds written by hand.
constexpr std::array<month_entry, 51> months{{
    {"jan", 1},  {"feb", 2},  {"mar", 3},  {"apr", 4},  {"may", 5},  {"jun", 6},
    {"jul", 7},  {"aug", 8},  {"sep", 9},  {"oct", 10}, {"nov", 11}, {"dec", 12},
    {"mär", 3},  {"mai", 5},  {"okt", 10}, {"dez", 12}, {"fév", 2},  {"avr", 4},
    {"juin", 6}, {"juil", 7}, {"aoû", 8},  {"ene", 1},  {"abr", 4},  {"ago", 8},
    {"dic", 12}, {"mrt", 3},  {"mei", 5},  {"set", 9},  {"out", 10}, {"gen", 1},  {"mag", 5},
    {"giu", 6},  {"lug", 7},  {"ott", 10},
    {"\xD1\x8F\xD0\xBD\xD0\xB2", 1},   // янв
    {"\xD1\x84\xD0\xB5\xD0\xB2", 2},   // фев
    {"\xD0\xBC\xD0\xB0\xD1\x80", 3},   // мар
    {"\xD0\xB0\xD0\xBF\xD1\x80", 4},   // апр
    {"\xD0\xBC\xD0\xB0\xD0\xB9", 5},   // май
    {"\xD0\xBC\xD0\xB0\xD1\x8F", 5},   // мая
    {"\xD0\xB8\xD1\x8E\xD0\xBD", 6},   // июн
    {"\xD0\xB8\xD1\x8E\xD0\xBB", 7},   // июл
    {"\xD0\xB0\xD0\xB2\xD0\xB3", 8},   // авг
    {"\xD1\x81\xD0\xB5\xD0\xBD", 9},   // сен
    {"\xD0\xBE\xD0\xBA\xD1\x82", 10},  // окт
    {"\xD0\xBD\xD0\xBE\xD1\x8F", 11},  // ноя
    {"\xD0\xB4\xD0\xB5\xD0\xBA", 12},  // дек
    {"\xD1\x81\xD1\x96\xD1\x87", 1},   // січ
    {"\xD0\xBB\xD1\x8E\xD1\x82", 2},   // лют
    {"\xD0\xBA\xD0\xB2\xD1\x96", 4},   // кві
    {"\xD1\x82\xD1\x80\xD0\xB0", 5},   // тра
}};

int month_from(std::string_view word) noexcept {
    // Lower-case ASCII letters only; the non-ASCII prefixes above are already lower case.
    char buf[16];
    const std::size_t n = word.size() < sizeof buf ? word.size() : sizeof buf;
    for (std::size_t i = 0; i < n; ++i) buf[i] = lower(word[i]);
    const std::string_view w(buf, n);
    for (const auto& m : months)
        if (w.size() >= m.prefix.size() && w.substr(0, m.prefix.size()) == m.prefix) return m.month;
    return 0;
}

std::optional<int> zone_from(std::string_view word) noexcept {
    for (const auto& z : zones)
        if (iequals(word, z.name)) return z.minutes;
    if (word.size() == 1 && is_alpha(word[0])) return 0;  // military zones: too ambiguous; UTC
    return std::nullopt;
}

std::optional<core::timestamp> parse_rfc822ish(std::string_view t) noexcept {
    int year = -1, month = 0, day = -1, hour = -1, minute = 0, second = 0, offset = 0;
    bool have_zone = false;
    std::size_t p = 0;
    const std::size_t n = t.size();
    while (p < n) {
        const char c = t[p];
        if (c == ' ' || c == ',' || c == '.' || c == '\t' || c == '/' ) {
            ++p;
            continue;
        }
        if (c == '-' && p + 1 < n && !is_digit(t[p + 1])) {
            ++p;
            continue;
        }
        if ((c == '+' || c == '-') && hour >= 0 && !have_zone) {
            const std::size_t q = read_offset(t, p, offset);
            if (q == std::string_view::npos) return std::nullopt;
            have_zone = true;
            p = q;
            continue;
        }
        if (c == '-') {  // "06-Sep-2010" separators
            ++p;
            continue;
        }
        if (is_digit(c)) {
            std::size_t q = p;
            while (q < n && is_digit(t[q])) ++q;
            const std::string_view num = t.substr(p, q - p);
            if (q < n && t[q] == ':') {  // a time
                int h = 0, m = 0, s = 0;
                std::size_t r = p;
                if (num.size() > 2) return std::nullopt;
                for (char d : num) h = h * 10 + (d - '0');
                r = q + 1;
                if (!digits(t, r, 2, m)) return std::nullopt;
                r += 2;
                if (r < n && t[r] == ':') {
                    if (!digits(t, r + 1, 2, s)) return std::nullopt;
                    r += 3;
                }
                if (r < n && t[r] == '.') {
                    ++r;
                    while (r < n && is_digit(t[r])) ++r;
                }
                hour = h;
                minute = m;
                second = s;
                p = r;
                continue;
            }
            int v = 0;
            if (num.size() > 4) return std::nullopt;
            for (char d : num) v = v * 10 + (d - '0');
            if (num.size() == 4) {
                if (year >= 0) return std::nullopt;
                year = v;
            } else if (day < 0 && num.size() <= 2 && v >= 1 && v <= 31) {
                day = v;
            } else if (year < 0 && num.size() <= 2) {
                year = v < 50 ? 2000 + v : 1900 + v;
            } else {
                return std::nullopt;
            }
            p = q;
            continue;
        }
        // A word: weekday, month, zone, or something like "(PST)" or "at".
        std::size_t q = p;
        if (c == '(') {
            const std::size_t close = t.find(')', p);
            if (close == std::string_view::npos) break;
            if (!have_zone) {
                if (auto z = zone_from(t.substr(p + 1, close - p - 1))) {
                    offset = *z;
                    have_zone = true;
                }
            }
            p = close + 1;
            continue;
        }
        while (q < n && (is_alpha(t[q]) || (static_cast<unsigned char>(t[q]) >= 0x80))) ++q;
        if (q == p) return std::nullopt;  // an unexpected symbol
        const std::string_view word = t.substr(p, q - p);
        if (month == 0) {
            if (int m = month_from(word)) {
                month = m;
                p = q;
                continue;
            }
        }
        if (!have_zone && hour >= 0) {
            if (auto z = zone_from(word)) {
                offset = *z;
                have_zone = true;
                // "GMT+3" / "UTC-05:00"
                if (q < n && (t[q] == '+' || t[q] == '-')) {
                    int extra = 0;
                    const std::size_t r = read_offset(t, q, extra);
                    if (r != std::string_view::npos) {
                        offset += extra;
                        q = r;
                    }
                }
                p = q;
                continue;
            }
        }
        p = q;  // weekday names and filler words
    }
    if (year < 0 || month == 0 || day < 0) return std::nullopt;
    if (hour < 0) hour = 0;
    return make_time(year, month, day, hour, minute, second, offset);
}

}  // namespace

std::optional<core::timestamp> parse_feed_date(std::string_view text) noexcept {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\n' ||
                             text.front() == '\r'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\n' ||
                             text.back() == '\r'))
        text.remove_suffix(1);
    if (text.empty() || text.size() > 200) return std::nullopt;
    if (text.size() >= 4 && is_digit(text[0]) && is_digit(text[1]) && is_digit(text[2]) &&
        is_digit(text[3])) {
        if (auto t = parse_iso(text)) return t;
        if (text.size() >= 10 && text.size() < 64 && (text[4] == '/' || text[4] == '.')) {
            // "2024/07/09 12:34:56", "2024.07.09": ISO with other separators.
            char buf[64];
            text.copy(buf, text.size());
            if (buf[7] == buf[4]) buf[4] = buf[7] = '-';
            if (auto t = parse_iso(std::string_view(buf, text.size()))) return t;
        }
    }
    // "09.07.2024 12:34[:56] [+0300]" (day first, as Russian and Ukrainian sites write it).
    {
        int day = 0, month = 0, year = 0;
        std::size_t p = 0;
        const auto number = [&](int& out, std::size_t max_len) {
            const std::size_t start = p;
            out = 0;
            while (p < text.size() && is_digit(text[p]) && p - start < max_len) out = out * 10 + (text[p++] - '0');
            return p > start;
        };
        if (number(day, 2) && p < text.size() && text[p] == '.' && (++p, number(month, 2)) &&
            p < text.size() && text[p] == '.' && (++p, number(year, 4)) && p >= 8 && text[p - 5] == '.') {
            const std::string_view rest = text.substr(p);
            int hour = 0, minute = 0, second = 0, offset = 0;
            std::size_t q = 0;
            while (q < rest.size() && (rest[q] == ' ' || rest[q] == ',' || rest[q] == 'T')) ++q;
            if (q < rest.size()) {
                if (!digits(rest, q, 2, hour) || q + 2 >= rest.size() || rest[q + 2] != ':' ||
                    !digits(rest, q + 3, 2, minute))
                    return std::nullopt;
                q += 5;
                if (q < rest.size() && rest[q] == ':' && digits(rest, q + 1, 2, second)) q += 3;
                while (q < rest.size() && rest[q] == ' ') ++q;
                if (q < rest.size()) {
                    if (auto z = zone_from(rest.substr(q))) offset = *z;
                    else if (read_offset(rest, q, offset) == std::string_view::npos) return std::nullopt;
                }
            }
            return make_time(year, month, day, hour, minute, second, offset);
        }
    }
    return parse_rfc822ish(text);
}

}  // namespace newswatch::parser
