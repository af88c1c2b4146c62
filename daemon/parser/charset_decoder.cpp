#include "charset_decoder.hpp"

#include <iconv.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>

#include "newswatch/text/html_text.hpp"

namespace newswatch::parser {

namespace {

inline char lower(char c) noexcept {
    return (c >= 'A' && c <= 'Z') ? char(c + 32) : c;
}

std::string lowercase_trimmed(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '"' || s.front() == '\''))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '"' || s.back() == '\''))
        s.remove_suffix(1);
    std::string out(s);
    for (char& c : out) c = lower(c);
    return out;
}

// A single-byte charset as a 256-entry byte -> UTF-8 table, built once per charset by
// asking iconv about each byte (so every single-byte charset iconv knows works, at table
// speed rather than iconv speed).
struct byte_table {
    std::array<std::array<char, 4>, 256> utf8{};
    std::array<unsigned char, 256> len{};  // 0 = the byte is undefined in this charset
};

class iconv_handle {
public:
    iconv_handle(const char* to, const char* from) : cd_(iconv_open(to, from)) {}
    ~iconv_handle() {
        if (ok()) iconv_close(cd_);
    }
    iconv_handle(const iconv_handle&) = delete;
    iconv_handle& operator=(const iconv_handle&) = delete;
    bool ok() const noexcept { return cd_ != reinterpret_cast<iconv_t>(-1); }
    iconv_t get() const noexcept { return cd_; }

private:
    iconv_t cd_;
};

// nullptr when iconv does not know the charset or it is not a single-byte ASCII superset.
std::shared_ptr<const byte_table> build_table(const std::string& charset) {
    iconv_handle cd("UTF-8", charset.c_str());
    if (!cd.ok()) return nullptr;
    auto table = std::make_shared<byte_table>();
    for (int b = 0; b < 256; ++b) {
        iconv(cd.get(), nullptr, nullptr, nullptr, nullptr);
        char in = static_cast<char>(b);
        char* in_ptr = &in;
        std::size_t in_left = 1;
        char out[8];
        char* out_ptr = out;
        std::size_t out_left = sizeof out;
        const std::size_t r = iconv(cd.get(), &in_ptr, &in_left, &out_ptr, &out_left);
        if (r == static_cast<std::size_t>(-1)) {
            if (errno == EINVAL) return nullptr;  // an incomplete sequence: multi-byte charset
            if (charset == "windows-1252" && b >= 0x80 && b < 0xA0) {
                // WHATWG's windows-1252 index maps the five bytes iconv leaves undefined
                // (0x81, 0x8D, 0x8F, 0x90, 0x9D) to the C1 code points of the same value, so
                // a feed labelled Latin-1 is never rejected for one of them.
                table->utf8[b][0] = static_cast<char>(0xC2);
                table->utf8[b][1] = static_cast<char>(b);
                table->len[b] = 2;
                continue;
            }
            table->len[b] = 0;
            continue;
        }
        const std::size_t n = sizeof out - out_left;
        if (n == 0 || n > 4) return nullptr;  // stateful or odd: let iconv do it all
        if (b < 0x80 && !(n == 1 && out[0] == static_cast<char>(b))) return nullptr;
        for (std::size_t k = 0; k < n; ++k) table->utf8[b][k] = out[k];
        table->len[b] = static_cast<unsigned char>(n);
    }
    return table;
}

std::shared_ptr<const byte_table> table_for(const std::string& charset) {
    static std::mutex mutex;
    static std::map<std::string, std::shared_ptr<const byte_table>, std::less<>> cache;
    std::lock_guard lock(mutex);
    if (auto it = cache.find(charset); it != cache.end()) return it->second;
    auto table = build_table(charset);
    if (cache.size() < 256) cache.emplace(charset, table);
    return table;
}

// Decodes with a byte table; returns the number of undefined bytes (each became U+FFFD).
std::size_t decode_with_table(std::string_view bytes, const byte_table& table, std::string& out) {
    // Written through a pointer into room for the longest result (3 bytes per input byte,
    // and 1 for the last 4-byte copy): appending per non-ASCII byte made Cyrillic feeds
    // cost several times the others (issue 16).
    out.resize(bytes.size() * 3 + 1);
    char* w = out.data();
    std::size_t undefined = 0;
    for (const char ch : bytes) {
        const auto b = static_cast<unsigned char>(ch);
        if (b < 0x80) {
            *w++ = ch;
        } else if (table.len[b] == 0) {
            std::memcpy(w, "\xEF\xBF\xBD", 3);
            w += 3;
            ++undefined;
        } else {
            std::memcpy(w, table.utf8[b].data(), 4);  // utf8[b] holds 4 bytes; len[b] count
            w += table.len[b];
        }
    }
    out.resize(static_cast<std::size_t>(w - out.data()));
    return undefined;
}

// Full iconv with replacement; returns replaced sequences, or -1 if iconv does not know it.
long decode_with_iconv(std::string_view bytes, const std::string& charset, std::string& out) {
    iconv_handle cd("UTF-8", charset.c_str());
    if (!cd.ok()) return -1;
    out.assign(bytes.size() * 2 + 16, '\0');
    char* in_ptr = const_cast<char*>(bytes.data());
    std::size_t in_left = bytes.size();
    std::size_t written = 0;
    long replaced = 0;
    while (in_left > 0) {
        char* out_ptr = out.data() + written;
        std::size_t out_left = out.size() - written;
        const std::size_t r = iconv(cd.get(), &in_ptr, &in_left, &out_ptr, &out_left);
        written = out.size() - out_left;
        if (r != static_cast<std::size_t>(-1)) break;
        if (errno == E2BIG) {
            out.resize(out.size() * 2);
            continue;
        }
        // EILSEQ (invalid) or EINVAL (truncated at the end): replace one byte and go on.
        if (out.size() - written < 8) out.resize(out.size() * 2);
        std::memcpy(out.data() + written, "\xEF\xBF\xBD", 3);
        written += 3;
        ++replaced;
        ++in_ptr;
        --in_left;
        iconv(cd.get(), nullptr, nullptr, nullptr, nullptr);
    }
    out.resize(written);
    return replaced;
}

bool is_ascii(std::string_view bytes) noexcept {
    std::size_t i = 0;
    std::uint64_t acc = 0;
    for (; i + 8 <= bytes.size(); i += 8) {
        std::uint64_t v;
        std::memcpy(&v, bytes.data() + i, 8);
        acc |= v;
        if ((i & 1023) == 0 && (acc & 0x8080808080808080ULL)) return false;
    }
    if (acc & 0x8080808080808080ULL) return false;
    for (; i < bytes.size(); ++i)
        if (static_cast<unsigned char>(bytes[i]) >= 0x80) return false;
    return true;
}

bool is_latin_default(const std::string& c) {
    return c == "windows-1252" || c == "iso-8859-15";
}

bool is_unicode_family(const std::string& c) {
    return c.rfind("utf-", 0) == 0 || c == "ucs-2";
}

// Cyrillic text in a single-byte charset is words of consecutive high bytes; Western text
// in Latin-1 has isolated accented letters.
bool looks_cyrillic(std::string_view bytes) noexcept {
    std::size_t long_runs = 0, short_runs = 0, run = 0;
    for (char ch : bytes) {
        const auto b = static_cast<unsigned char>(ch);
        if (b >= 0xA0) {
            ++run;
        } else {
            if (run >= 3)
                ++long_runs;
            else if (run > 0)
                ++short_runs;
            run = 0;
        }
    }
    if (run >= 3)
        ++long_runs;
    else if (run > 0)
        ++short_runs;
    return long_runs >= 2 && long_runs > short_runs;
}

// windows-1251 puts lower-case letters at 0xE0..0xFF, KOI8 at 0xC0..0xDF; text is mostly
// lower case. KOI8-U differs from KOI8-R by Ukrainian letters where KOI8-R has box drawing.
std::string guess_cyrillic(std::string_view bytes) {
    std::size_t upper_half = 0, lower_half = 0, koi8u_only = 0;
    for (char ch : bytes) {
        const auto b = static_cast<unsigned char>(ch);
        if (b >= 0xE0)
            ++upper_half;
        else if (b >= 0xC0)
            ++lower_half;
        else if (b == 0xA4 || b == 0xA6 || b == 0xA7 || b == 0xAD || b == 0xB4 || b == 0xB6 || b == 0xB7 ||
                 b == 0xBD)
            ++koi8u_only;
    }
    if (upper_half >= lower_half) return "windows-1251";
    return koi8u_only > 0 ? "koi8-u" : "koi8-r";
}

enum class outcome { accepted, rejected, unknown };

struct attempt {
    outcome result;
    std::size_t replaced = 0;
};

attempt try_charset(std::string_view bytes, const std::string& charset, std::string& out) {
    if (charset == "utf-8") return {outcome::rejected};  // handled by the caller
    if (auto table = table_for(charset)) {
        const std::size_t bad = decode_with_table(bytes, *table, out);
        return {bad == 0 ? outcome::accepted : outcome::rejected, bad};
    }
    const long bad = decode_with_iconv(bytes, charset, out);
    if (bad < 0) return {outcome::unknown};
    return {bad == 0 ? outcome::accepted : outcome::rejected, static_cast<std::size_t>(bad)};
}

}  // namespace

std::string canonical_charset(std::string_view label) {
    std::string c = lowercase_trimmed(label);
    if (c.empty()) return c;
    if (c == "utf8" || c == "unicode-1-1-utf-8" || c == "x-unicode20utf8") return "utf-8";
    // WHATWG Encoding Standard: every Latin-1 and ASCII label means windows-1252 (what
    // browsers decode, and what servers labelled "ISO-8859-1" actually send: its C1 bytes
    // are curly quotes and dashes, never control characters).
    if (c == "latin1" || c == "latin-1" || c == "l1" || c == "iso8859-1" || c == "iso_8859-1" ||
        c == "iso88591" || c == "iso-ir-100" || c == "cp819" || c == "ibm819" || c == "csisolatin1" ||
        c == "iso_8859-1:1987" || c == "iso-8859-1" || c == "ascii" || c == "us-ascii" ||
        c == "ansi_x3.4-1968" || c == "iso646-us" || c == "cp1252" || c == "x-cp1252" || c == "windows-1252")
        return "windows-1252";
    if (c == "koi8r" || c == "koi8_r" || c == "koi8" || c == "cskoi8r") return "koi8-r";
    if (c == "koi8u" || c == "koi8_u") return "koi8-u";
    for (const char* prefix : {"cp125", "win125", "windows125", "x-cp125", "win-125", "windows_125"}) {
        const std::string_view p(prefix);
        if (c.size() == p.size() + 1 && c.compare(0, p.size(), p) == 0 && c.back() >= '0' && c.back() <= '8')
            return std::string("windows-125") + c.back();
    }
    for (const char* prefix : {"iso8859-", "iso_8859-", "iso8859_", "iso-8859_", "iso-8859-"}) {
        const std::string_view p(prefix);
        if (c.size() > p.size() && c.compare(0, p.size(), p) == 0) {
            std::string rest = c.substr(p.size());
            if (const auto colon = rest.find(':'); colon != std::string::npos) rest.resize(colon);
            return "iso-8859-" + rest;
        }
    }
    if (c == "utf16" || c == "utf_16") return "utf-16";
    if (c == "utf16le") return "utf-16le";
    if (c == "utf16be") return "utf-16be";
    if (c == "sjis" || c == "x-sjis" || c == "shift-jis") return "shift_jis";
    return c;
}

std::string charset_from_content_type(std::string_view ct) {
    std::string lowered(ct);
    for (char& c : lowered) c = lower(c);
    std::size_t pos = 0;
    while ((pos = lowered.find("charset", pos)) != std::string::npos) {
        std::size_t p = pos + 7;
        while (p < lowered.size() && lowered[p] == ' ') ++p;
        if (p < lowered.size() && lowered[p] == '=') {
            ++p;
            while (p < lowered.size() && lowered[p] == ' ') ++p;
            std::size_t end = p;
            if (end < lowered.size() && (lowered[end] == '"' || lowered[end] == '\'')) {
                const char q = lowered[end];
                const std::size_t close = lowered.find(q, end + 1);
                return lowered.substr(end + 1,
                                      close == std::string::npos ? std::string::npos : close - end - 1);
            }
            while (end < lowered.size() && lowered[end] != ';' && lowered[end] != ' ' && lowered[end] != ',')
                ++end;
            return lowered.substr(p, end - p);
        }
        pos = p;
    }
    return {};
}

std::string charset_from_xml_declaration(std::string_view bytes) {
    std::size_t p = 0;
    while (p < bytes.size() && (bytes[p] == ' ' || bytes[p] == '\t' || bytes[p] == '\n' || bytes[p] == '\r'))
        ++p;
    if (bytes.compare(p, 5, "<?xml") != 0) return {};
    const std::size_t end = bytes.find("?>", p);
    const std::string_view decl = bytes.substr(
        p, end == std::string_view::npos ? std::min<std::size_t>(200, bytes.size() - p) : end - p);
    const std::size_t enc = decl.find("encoding");
    if (enc == std::string_view::npos) return {};
    std::size_t q = enc + 8;
    while (q < decl.size() && (decl[q] == ' ' || decl[q] == '=' || decl[q] == '\t')) ++q;
    if (q >= decl.size() || (decl[q] != '"' && decl[q] != '\'')) return {};
    const char quote = decl[q];
    const std::size_t close = decl.find(quote, q + 1);
    if (close == std::string_view::npos) return {};
    return lowercase_trimmed(decl.substr(q + 1, close - q - 1));
}

decoded_text decode_to_utf8(std::string_view bytes, std::string_view content_type, bool is_xml) {
    decoded_text result;
    auto finish_utf8 = [&](std::string_view body, bool warn_invalid, bool known_valid = false) {
        result.encoding = "utf-8";
        if (known_valid || text::is_valid_utf8(body)) {
            result.utf8.assign(body);
        } else {
            if (warn_invalid) result.warnings.push_back("invalid UTF-8 byte sequences replaced by U+FFFD");
            result.utf8 = text::sanitize_utf8(body);
        }
    };

    // 1. A byte order mark decides.
    const auto starts = [&](std::string_view prefix) {
        return bytes.size() >= prefix.size() && bytes.substr(0, prefix.size()) == prefix;
    };
    std::string bom_charset;
    std::size_t bom_len = 0;
    if (starts("\xEF\xBB\xBF")) {
        bom_charset = "utf-8";
        bom_len = 3;
    } else if (starts(std::string_view("\x00\x00\xFE\xFF", 4))) {
        bom_charset = "utf-32be";
        bom_len = 4;
    } else if (starts(std::string_view("\xFF\xFE\x00\x00", 4))) {
        bom_charset = "utf-32le";
        bom_len = 4;
    } else if (starts("\xFE\xFF")) {
        bom_charset = "utf-16be";
        bom_len = 2;
    } else if (starts("\xFF\xFE")) {
        bom_charset = "utf-16le";
        bom_len = 2;
    } else if (is_xml && starts(std::string_view("<\0?\0", 4))) {
        bom_charset = "utf-16le";
    } else if (is_xml && starts(std::string_view("\0<\0?", 4))) {
        bom_charset = "utf-16be";
    }
    if (!bom_charset.empty()) {
        const std::string_view body = bytes.substr(bom_len);
        if (bom_charset == "utf-8") {
            finish_utf8(body, true);
            return result;
        }
        std::string out;
        const long bad = decode_with_iconv(body, bom_charset, out);
        result.encoding = bom_charset.substr(0, 6);  // "utf-16" / "utf-32": the BOM says the order
        if (bad > 0)
            result.warnings.push_back("invalid " + result.encoding + " sequences replaced by U+FFFD");
        if (bad < 0) {  // cannot happen with glibc; keep the bytes readable anyway
            finish_utf8(body, true);
            return result;
        }
        result.utf8 = text::sanitize_utf8(out);
        return result;
    }

    // 2. The HTTP charset, then the XML declaration (RFC 7303 section 8.x order).
    const std::string http = canonical_charset(charset_from_content_type(content_type));
    std::string decl = is_xml ? canonical_charset(charset_from_xml_declaration(bytes)) : std::string();
    // Without a BOM the bytes are ASCII-compatible; a UTF-16 declaration cannot be right.
    if (is_unicode_family(decl) && decl != "utf-8") decl = "utf-8";

    struct candidate {
        std::string charset;
        const char* source;
    };
    std::vector<candidate> candidates;
    if (!http.empty() && !(is_unicode_family(http) && http != "utf-8"))
        candidates.push_back({http, "the HTTP Content-Type"});
    if (!decl.empty() && (candidates.empty() || candidates[0].charset != decl))
        candidates.push_back({decl, "the XML declaration"});

    if (is_ascii(bytes)) {
        result.utf8.assign(bytes);
        result.encoding = candidates.empty() ? "utf-8" : candidates[0].charset;
        return result;
    }
    const bool valid_utf8 = text::is_valid_utf8(bytes);

    std::string out;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        const auto& c = candidates[i];
        if (c.charset == "utf-8") {
            if (valid_utf8) {
                finish_utf8(bytes, false, true);
                return result;
            }
            result.warnings.push_back(std::string("charset utf-8 from ") + c.source +
                                      " does not fit the bytes (invalid UTF-8)");
            continue;
        }
        if (valid_utf8) {
            // Multi-byte UTF-8 sequences by chance in single-byte text are rare; a server
            // default ("iso-8859-1") over a UTF-8 body is common.
            result.warnings.push_back("charset " + c.charset + " from " + c.source +
                                      " does not fit the bytes (they are UTF-8); decoded as utf-8");
            finish_utf8(bytes, false);
            return result;
        }
        if (is_latin_default(c.charset)) {
            if (i + 1 < candidates.size()) {
                result.warnings.push_back("charset " + c.charset + " from " + c.source + " disagrees with " +
                                          candidates[i + 1].charset + " from " + candidates[i + 1].source +
                                          "; using the latter");
                continue;
            }
            if (looks_cyrillic(bytes)) {
                result.warnings.push_back("charset " + c.charset + " from " + c.source +
                                          " does not fit the bytes (Cyrillic text)");
                break;
            }
        }
        const attempt a = try_charset(bytes, c.charset, out);
        if (a.result == outcome::accepted) {
            result.utf8 = std::move(out);
            result.encoding = c.charset;
            return result;
        }
        if (a.result == outcome::unknown) {
            result.warnings.push_back("unknown charset " + c.charset + " from " + c.source);
        } else {
            result.warnings.push_back("charset " + c.charset + " from " + c.source +
                                      " does not fit the bytes (" + std::to_string(a.replaced) +
                                      " undefined sequences)");
        }
    }

    // 3. Nothing declared fits: detect.
    if (valid_utf8) {
        if (!candidates.empty()) result.warnings.push_back("decoded as utf-8 (detected)");
        finish_utf8(bytes, false);
        return result;
    }
    std::string guess = looks_cyrillic(bytes) ? guess_cyrillic(bytes) : "windows-1252";
    const attempt a = try_charset(bytes, guess, out);
    if (a.result == outcome::unknown) {  // no iconv tables at all: keep the bytes readable
        finish_utf8(bytes, true);
        return result;
    }
    result.warnings.push_back(std::string(candidates.empty()
                                              ? "no charset declared and the bytes are not UTF-8"
                                              : "no declared charset fits") +
                              "; decoded as " + guess + " (detected)");
    result.utf8 = text::sanitize_utf8(out);
    result.encoding = guess;
    return result;
}

}  // namespace newswatch::parser
