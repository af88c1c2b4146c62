#include "html_charset.hpp"

#include <iconv.h>

#include <cerrno>
#include <cstring>

#include "dom.hpp"
#include "newswatch/text/html_text.hpp"

namespace newswatch::extract {

namespace {

// The value after "charset=" in `text` (lowercased), or empty.
std::string charset_parameter(std::string_view text) {
    const std::string lowered = dom::lowercase(text);
    const std::size_t at = lowered.find("charset");
    if (at == std::string::npos) return {};
    std::size_t p = at + 7;
    while (p < lowered.size() && lowered[p] == ' ') ++p;
    if (p >= lowered.size() || lowered[p] != '=') return {};
    ++p;
    while (p < lowered.size() && (lowered[p] == ' ' || lowered[p] == '"' || lowered[p] == '\'')) ++p;
    std::size_t end = p;
    while (end < lowered.size() && lowered[end] != ';' && lowered[end] != ' ' && lowered[end] != '"' &&
           lowered[end] != '\'' && lowered[end] != '>' && lowered[end] != '/')
        ++end;
    return lowered.substr(p, end - p);
}

// <meta charset="x"> or <meta http-equiv="Content-Type" content="text/html; charset=x">
// in the prescan window.
std::string meta_charset(std::string_view bytes) {
    const std::string head = dom::lowercase(bytes.substr(0, 1024));
    std::size_t pos = 0;
    while ((pos = head.find("<meta", pos)) != std::string::npos) {
        const std::size_t end = head.find('>', pos);
        const std::string_view tag(head.data() + pos, (end == std::string::npos ? head.size() : end) - pos);
        if (std::string c = charset_parameter(tag); !c.empty()) return c;
        pos += 5;
    }
    return {};
}

std::string whatwg_name(std::string label) {
    if (label == "iso-8859-1" || label == "latin1" || label == "l1" || label == "iso8859-1" ||
        label == "us-ascii" || label == "ascii" || label == "cp1252" || label == "x-cp1252" ||
        label == "iso_8859-1" || label == "windows-1252")
        return "windows-1252";
    if (label == "utf8" || label == "unicode-1-1-utf-8") return "utf-8";
    return label;
}

// iconv with U+FFFD for what it cannot convert; empty optional-like false when iconv does
// not know the charset.
bool convert(std::string_view bytes, const std::string& charset, std::string& out) {
    iconv_t cd = iconv_open("UTF-8", charset.c_str());
    if (cd == reinterpret_cast<iconv_t>(-1)) return false;
    out.assign(bytes.size() * 2 + 16, '\0');
    char* in = const_cast<char*>(bytes.data());
    std::size_t in_left = bytes.size();
    std::size_t written = 0;
    while (in_left > 0) {
        char* o = out.data() + written;
        std::size_t o_left = out.size() - written;
        const std::size_t r = iconv(cd, &in, &in_left, &o, &o_left);
        written = out.size() - o_left;
        if (r != static_cast<std::size_t>(-1)) break;
        if (errno == E2BIG) {
            out.resize(out.size() * 2);
            continue;
        }
        if (out.size() - written < 8) out.resize(out.size() * 2);
        // windows-1252's five holes (0x81 0x8D 0x8F 0x90 0x9D) are C1 code points in WHATWG.
        const auto b = static_cast<unsigned char>(*in);
        if (charset == "windows-1252" && b >= 0x80 && b < 0xA0) {
            out[written++] = static_cast<char>(0xC2);
            out[written++] = static_cast<char>(b);
        } else {
            std::memcpy(out.data() + written, "\xEF\xBF\xBD", 3);
            written += 3;
        }
        ++in;
        --in_left;
        iconv(cd, nullptr, nullptr, nullptr, nullptr);
    }
    iconv_close(cd);
    out.resize(written);
    return true;
}

}  // namespace

std::string html_to_utf8(std::string_view bytes, std::string_view content_type) {
    if (bytes.substr(0, 3) == "\xEF\xBB\xBF") return text::sanitize_utf8(bytes.substr(3));
    std::string out;
    if (bytes.substr(0, 2) == "\xFF\xFE" && convert(bytes.substr(2), "UTF-16LE", out)) return out;
    if (bytes.substr(0, 2) == "\xFE\xFF" && convert(bytes.substr(2), "UTF-16BE", out)) return out;
    if (text::is_valid_utf8(bytes)) return std::string(bytes);  // ASCII and UTF-8 pages
    std::string charset = whatwg_name(charset_parameter(content_type));
    if (charset.empty() || charset.rfind("utf-16", 0) == 0) charset = whatwg_name(meta_charset(bytes));
    if (charset.empty() || charset == "utf-8" || charset.rfind("utf-16", 0) == 0) {
        // Declared UTF-8 with a few bad bytes stays UTF-8; undeclared is windows-1252.
        if (charset == "utf-8") return text::sanitize_utf8(bytes);
        charset = "windows-1252";
    }
    if (convert(bytes, charset, out)) return text::sanitize_utf8(out);
    if (convert(bytes, "windows-1252", out)) return text::sanitize_utf8(out);
    return text::sanitize_utf8(bytes);
}

}  // namespace newswatch::extract
