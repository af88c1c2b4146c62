#include "newswatch/text/entities.hpp"

#include <algorithm>
#include <cstdint>

#include "entities_table.hpp"

namespace newswatch::text {

namespace {

// HTML5 numeric reference fix-ups for 0x80..0x9F (the windows-1252 meanings); 0 = keep.
constexpr char32_t c1_windows_1252[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

inline bool is_alnum(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

inline int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// The longest legacy (no ';') name in the table is 6 characters ("middot", "frac34"...).
constexpr std::size_t max_legacy_name = 8;
constexpr std::size_t max_name = 40;

}  // namespace

void append_utf8(std::string& out, char32_t cp) {
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) cp = 0xFFFD;
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

std::string_view lookup_entity(std::string_view name) noexcept {
    const auto* begin = detail::entity_table;
    const auto* end = detail::entity_table + detail::entity_table_size;
    const auto* it = std::lower_bound(
        begin, end, name,
        [](const detail::entity_entry& e, std::string_view n) { return e.name < n; });
    if (it != end && it->name == name) return it->value;
    return {};
}

std::size_t decode_reference_at(std::string_view text, std::size_t pos, std::string& out,
                                bool* strict_xml) {
    if (strict_xml) *strict_xml = false;
    const std::size_t n = text.size();
    std::size_t i = pos + 1;
    if (i >= n) return 0;
    if (text[i] == '#') {
        ++i;
        const bool hex = i < n && (text[i] == 'x' || text[i] == 'X');
        if (hex) ++i;
        const std::size_t digits_start = i;
        std::uint32_t value = 0;
        bool overflow = false;
        while (i < n) {
            const int d = hex ? hex_value(text[i]) : (text[i] >= '0' && text[i] <= '9' ? text[i] - '0' : -1);
            if (d < 0) break;
            if (value > 0x10FFFF) overflow = true;
            else value = value * (hex ? 16 : 10) + static_cast<std::uint32_t>(d);
            ++i;
        }
        if (i == digits_start) return 0;  // "&#" or "&#x" without digits: literal
        const bool has_semicolon = i < n && text[i] == ';';
        if (has_semicolon) ++i;
        char32_t cp = overflow ? 0x110000 : value;
        const bool xml_allowed = cp == 0x9 || cp == 0xA || cp == 0xD ||
                                 (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) ||
                                 (cp >= 0x10000 && cp <= 0x10FFFF);
        if (strict_xml) *strict_xml = has_semicolon && xml_allowed;
        if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            cp = 0xFFFD;
        } else if (cp >= 0x80 && cp <= 0x9F && c1_windows_1252[cp - 0x80] != 0) {
            cp = c1_windows_1252[cp - 0x80];
        } else if (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') {
            cp = 0xFFFD;  // other C0 controls would be invalid in XML and in our plain text
        }
        append_utf8(out, cp);
        return i - pos;
    }
    std::size_t j = i;
    while (j < n && j - i < max_name && is_alnum(text[j])) ++j;
    if (j == i) return 0;
    if (j < n && text[j] == ';') {
        const std::string_view name = text.substr(i, j + 1 - i);
        // The references feeds use most, without a table search.
        std::string_view value;
        if (name == "amp;") value = "&";
        else if (name == "lt;") value = "<";
        else if (name == "gt;") value = ">";
        else if (name == "quot;") value = "\"";
        else if (name == "apos;") value = "'";
        else if (name == "nbsp;") value = "\xC2\xA0";
        else value = lookup_entity(name);
        if (!value.empty()) {
            if (strict_xml)
                *strict_xml = name == "amp;" || name == "lt;" || name == "gt;" ||
                              name == "quot;" || name == "apos;";
            out.append(value);
            return j + 1 - pos;
        }
    }
    // Legacy references without ';': the longest known prefix wins ("&notit" -> "¬it").
    for (std::size_t len = std::min(j - i, max_legacy_name); len > 0; --len) {
        const std::string_view value = lookup_entity(text.substr(i, len));
        if (!value.empty()) {
            out.append(value);
            return len + 1;
        }
    }
    return 0;
}

void append_decoded_entities(std::string& out, std::string_view text) {
    std::size_t start = 0;
    while (true) {
        const std::size_t amp = text.find('&', start);
        if (amp == std::string_view::npos) {
            out.append(text.substr(start));
            return;
        }
        out.append(text.substr(start, amp - start));
        const std::size_t used = decode_reference_at(text, amp, out);
        if (used == 0) {
            out.push_back('&');
            start = amp + 1;
        } else {
            start = amp + used;
        }
    }
}

std::string decode_entities(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    append_decoded_entities(out, text);
    return out;
}

}  // namespace newswatch::text
