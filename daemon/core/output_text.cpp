#include "newswatch/core/output_text.hpp"

#include <cstdint>

namespace newswatch::core {

namespace {

// One step of UTF-8 decoding: the code point at `i` and its length, or length 0 when the
// byte at `i` does not start a valid sequence (overlong forms and surrogates are invalid).
struct decoded {
    std::uint32_t code_point = 0;
    std::size_t length = 0;
};

decoded decode_at(std::string_view s, std::size_t i) noexcept {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char b0 = byte(i);
    if (b0 < 0x80) return {b0, 1};
    std::size_t length = 0;
    std::uint32_t cp = 0, min = 0;
    if (b0 >= 0xC2 && b0 <= 0xDF)
        length = 2, cp = b0 & 0x1Fu, min = 0x80;
    else if (b0 >= 0xE0 && b0 <= 0xEF)
        length = 3, cp = b0 & 0x0Fu, min = 0x800;
    else if (b0 >= 0xF0 && b0 <= 0xF4)
        length = 4, cp = b0 & 0x07u, min = 0x10000;
    else
        return {};
    if (i + length > s.size()) return {};
    for (std::size_t k = 1; k < length; ++k) {
        const unsigned char b = byte(i + k);
        if ((b & 0xC0) != 0x80) return {};
        cp = (cp << 6) | (b & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return {};
    return {cp, length};
}

constexpr bool is_hostile(std::uint32_t cp) noexcept {
    return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 || cp == 0x2029;
}

constexpr char hex_digit(unsigned v) noexcept {
    return "0123456789ABCDEF"[v & 0xF];
}

void append_byte_escape(std::string& out, unsigned char b) {
    out += "\\x";
    out += hex_digit(b >> 4);
    out += hex_digit(b);
}

void append_code_point_escape(std::string& out, std::uint32_t cp) {
    out += "\\u{";
    for (int shift = 12; shift >= 0; shift -= 4) out += hex_digit(cp >> shift);
    out += '}';
}

}  // namespace

void append_log_escaped(std::string& out, std::string_view text, log_quoting quoting) {
    const bool quoted = quoting == log_quoting::quoted;
    std::size_t i = 0;
    while (i < text.size()) {
        const decoded d = decode_at(text, i);
        if (d.length == 0) {
            append_byte_escape(out, static_cast<unsigned char>(text[i]));
            ++i;
            continue;
        }
        if (d.code_point < 0x80 && is_hostile(d.code_point)) {
            append_byte_escape(out, static_cast<unsigned char>(d.code_point));
        } else if (is_hostile(d.code_point)) {
            append_code_point_escape(out, d.code_point);
        } else if (quoted && (d.code_point == '"' || d.code_point == '\\')) {
            out += '\\';
            out += static_cast<char>(d.code_point);
        } else {
            out.append(text.substr(i, d.length));
        }
        i += d.length;
    }
}

std::string log_escaped(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    append_log_escaped(out, text, log_quoting::bare);
    return out;
}

std::string log_quoted(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 2);
    out += '"';
    append_log_escaped(out, text, log_quoting::quoted);
    out += '"';
    return out;
}

std::string payload_text(std::string_view text) {
    if (is_output_safe(text)) return std::string(text);
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        const decoded d = decode_at(text, i);
        if (d.length == 0) {
            out += "\xEF\xBF\xBD";  // U+FFFD
            ++i;
            continue;
        }
        if (!is_hostile(d.code_point)) out.append(text.substr(i, d.length));
        i += d.length;
    }
    return out;
}

bool is_output_safe(std::string_view text) noexcept {
    std::size_t i = 0;
    while (i < text.size()) {
        const auto b = static_cast<unsigned char>(text[i]);
        if (b >= 0x20 && b < 0x7F) {  // the common case: printable ASCII
            ++i;
            continue;
        }
        const decoded d = decode_at(text, i);
        if (d.length == 0 || is_hostile(d.code_point)) return false;
        i += d.length;
    }
    return true;
}

void append_quoted_string_escaped(std::string& out, std::string_view text) {
    static constexpr char hex[] = "0123456789ABCDEF";
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20 || c == 0x7f) {
                    out += "\\u00";
                    out += hex[c >> 4];
                    out += hex[c & 0xF];
                } else {
                    out += ch;
                }
        }
    }
}

}  // namespace newswatch::core
