#include "newswatch/text/html_text.hpp"

#include <utf8proc.h>

#include <bit>
#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace newswatch::text {

namespace {

// --- UTF-8 validation -------------------------------------------------------------------

// Length of the valid UTF-8 sequence at s[i] (1..4), or 0 if invalid there.
inline std::size_t utf8_sequence_length(const unsigned char* s, std::size_t i, std::size_t n) noexcept {
    const unsigned char c = s[i];
    if (c < 0x80) return 1;
    if (c < 0xC2) return 0;
    if (c < 0xE0) return (i + 1 < n && (s[i + 1] & 0xC0) == 0x80) ? 2 : 0;
    if (c < 0xF0) {
        if (i + 2 >= n) return 0;
        const unsigned char c1 = s[i + 1];
        if ((c1 & 0xC0) != 0x80 || (s[i + 2] & 0xC0) != 0x80) return 0;
        if (c == 0xE0 && c1 < 0xA0) return 0;   // overlong
        if (c == 0xED && c1 >= 0xA0) return 0;  // surrogates
        return 3;
    }
    if (c < 0xF5) {
        if (i + 3 >= n) return 0;
        const unsigned char c1 = s[i + 1];
        if ((c1 & 0xC0) != 0x80 || (s[i + 2] & 0xC0) != 0x80 || (s[i + 3] & 0xC0) != 0x80) return 0;
        if (c == 0xF0 && c1 < 0x90) return 0;   // overlong
        if (c == 0xF4 && c1 >= 0x90) return 0;  // > U+10FFFF
        return 4;
    }
    return 0;
}

inline bool ascii_block(const unsigned char* p) noexcept {
    std::uint64_t v;
    std::memcpy(&v, p, 8);
    return (v & 0x8080808080808080ULL) == 0;
}

inline char32_t decode_at(const unsigned char* s, std::size_t len) noexcept {
    switch (len) {
        case 1:
            return s[0];
        case 2:
            return (char32_t(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
        case 3:
            return (char32_t(s[0] & 0x0F) << 12) | (char32_t(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
        default:
            return (char32_t(s[0] & 0x07) << 18) | (char32_t(s[1] & 0x3F) << 12) |
                   (char32_t(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
    }
}

// True for code points whose NFC is certainly themselves whatever follows or precedes them
// (starters that never compose, no singleton decomposition). Conservative: anything not
// listed sends the text through utf8proc.
inline bool nfc_stable(char32_t cp) noexcept {
    if (cp < 0x300) return true;
    if (cp >= 0x400 && cp <= 0x482) return true;    // Cyrillic
    if (cp >= 0x48A && cp <= 0x52F) return true;    // Cyrillic (no combining marks)
    if (cp >= 0x5D0 && cp <= 0x5EA) return true;    // Hebrew letters
    if (cp >= 0x1E00 && cp <= 0x1EFF) return true;  // Latin Extended Additional
    if (cp >= 0x2010 && cp <= 0x2027) return true;  // dashes, quotes, bullets, ellipsis
    if (cp >= 0x2030 && cp <= 0x205E) return true;
    if (cp >= 0x20A0 && cp <= 0x20BF) return true;    // currency
    if (cp >= 0x2190 && cp <= 0x21FF) return true;    // arrows
    if (cp >= 0x2500 && cp <= 0x27BF) return true;    // box drawing, shapes, dingbats
    if (cp >= 0x3040 && cp <= 0x3098) return true;    // Hiragana (voiced marks excluded)
    if (cp >= 0x4E00 && cp <= 0x9FFF) return true;    // CJK unified ideographs
    if (cp >= 0x1F300 && cp <= 0x1FAFF) return true;  // emoji
    return false;
}

// --- the whitespace-collapsing builder ------------------------------------------------------

enum break_level : int { no_break = 0, space_break = 1, line_break = 2, paragraph_break = 3 };

class text_builder {
public:
    explicit text_builder(std::size_t reserve, int max_level) : max_level_(max_level) {
        out_.reserve(reserve);
    }

    void request_break(int level) noexcept {
        if (level > max_level_) level = max_level_;
        if (level > pending_) pending_ = level;
    }

    // Appends text whose references are already decoded (or must not be decoded).
    void append_text(std::string_view text) {
        const auto* s = reinterpret_cast<const unsigned char*>(text.data());
        const std::size_t n = text.size();
        std::size_t i = 0;
        std::size_t run = 0;  // start of the pending run of ordinary bytes
        while (i < n) {
            const unsigned char c = s[i];
            if (c > 0x20 && c < 0x80) {
                // Printable ASCII: try 8 bytes at a time (none < 0x20, none >= 0x80), single
                // spaces included: prose breaks every few bytes on a space otherwise, and
                // this loop was the parser's hottest (issue 16). A block is taken when no two
                // spaces are adjacent and its last byte is no space (the next block's first
                // byte then follows a visible character). The byte flags can be set for a
                // byte next to a real match (borrows), which only sends it the slow way.
                ++i;
                constexpr std::uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
                while (std::endian::native == std::endian::little && i + 8 <= n) {
                    std::uint64_t v;
                    std::memcpy(&v, s + i, 8);
                    const std::uint64_t x = v ^ (ones * 0x20);
                    const std::uint64_t space = (x - ones) & ~x & highs;
                    const std::uint64_t control = (v - ones * 0x20) & ~v & highs;
                    const std::uint64_t last_space = x >> 56 == 0 ? 1 : 0;
                    if ((v & highs) | control | (space & (space << 8)) | last_space) break;
                    i += 8;
                }
                continue;
            }
            // Cyrillic letters (U+0400..U+0482, U+048A..U+04FF): the common non-ASCII case.
            if (c >= 0xD0 && c <= 0xD3 && i + 1 < n && (s[i + 1] & 0xC0) == 0x80 &&
                !(c == 0xD2 && s[i + 1] >= 0x83 && s[i + 1] <= 0x89)) {
                i += 2;
                continue;
            }
            // A single space between two visible characters needs no collapsing: it stays
            // in the run (the common case in prose).
            if (c == ' ' && i > run && i + 1 < n && s[i - 1] > 0x20 &&
                ((s[i + 1] > 0x20 && s[i + 1] < 0x80) || (s[i + 1] >= 0xD0 && s[i + 1] <= 0xD3))) {
                ++i;
                continue;
            }
            if (c >= 0x80) {
                const std::size_t len = utf8_sequence_length(s, i, n);
                if (len == 0) {
                    flush_run(text, run, i);
                    emit(std::string_view("\xEF\xBF\xBD"));
                    ++i;
                    run = i;
                    continue;
                }
                const char32_t cp = decode_at(s + i, len);
                if (!nfc_stable(cp)) needs_nfc_ = true;
                // Only ASCII whitespace collapses in HTML: NBSP and the other Unicode spaces
                // (U+2000..U+200A, U+202F, U+205F, U+3000), literal or from a reference, keep
                // their character ("10&nbsp;km" must not wrap or lose its meaning). The line
                // and paragraph separators and NEL are hostile in output: they become breaks.
                if (cp == 0x2028 || cp == 0x2029 || cp == 0x85) {
                    flush_run(text, run, i);
                    request_break(cp == 0x2029 ? paragraph_break : cp == 0x2028 ? line_break : space_break);
                    i += len;
                    run = i;
                    continue;
                }
                if (cp == 0x200B || cp == 0xFEFF || cp == 0xAD) {  // zero-width, BOM, soft hyphen
                    flush_run(text, run, i);
                    i += len;
                    run = i;
                    continue;
                }
                i += len;
                continue;
            }
            // c <= 0x20: whitespace or a control character.
            flush_run(text, run, i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
                request_break(space_break);
            } else if (c == '\n') {
                request_break(newline_level_);
            }  // other C0 controls are dropped
            ++i;
            run = i;
        }
        flush_run(text, run, n);
    }

    // A newline in the source text counts as a space in HTML, a line break in plain text.
    void set_newline_level(int level) noexcept { newline_level_ = level; }

    std::string finish() && {
        if (needs_nfc_) return to_nfc(std::move(out_));
        return std::move(out_);
    }

private:
    void flush_run(std::string_view text, std::size_t from, std::size_t to) {
        if (to > from) emit(text.substr(from, to - from));
    }

    void emit(std::string_view piece) {
        if (pending_ != no_break) {
            if (!out_.empty()) {
                if (pending_ == space_break)
                    out_.push_back(' ');
                else if (pending_ == line_break)
                    out_.push_back('\n');
                else
                    out_.append("\n\n");
            }
            pending_ = no_break;
        }
        out_.append(piece);
    }

    std::string out_;
    int pending_ = no_break;
    int max_level_;
    int newline_level_ = space_break;
    bool needs_nfc_ = false;
};

// Decodes references in `text` and feeds the result to the builder.
void append_with_references(text_builder& b, std::string_view text, std::string& scratch) {
    std::size_t start = 0;
    while (true) {
        const std::size_t amp = text.find('&', start);
        if (amp == std::string_view::npos) {
            b.append_text(text.substr(start));
            return;
        }
        b.append_text(text.substr(start, amp - start));
        scratch.clear();
        const std::size_t used = decode_reference_at(text, amp, scratch);
        if (used == 0) {
            b.append_text("&");
            start = amp + 1;
        } else {
            b.append_text(scratch);
            start = amp + used;
        }
    }
}

inline char lower(char c) noexcept {
    return (c >= 'A' && c <= 'Z') ? char(c + 32) : c;
}

inline bool is_name_char(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == ':' || c == '_';
}

inline bool is_alpha(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// What a tag does to the text flow.
enum class tag_kind { inline_tag, cell, line, paragraph, br, raw_text };

tag_kind classify(std::string_view name) noexcept {
    switch (name.size()) {
        case 1:
            if (name == "p") return tag_kind::paragraph;
            break;
        case 2:
            if (name == "br") return tag_kind::br;
            if (name == "li" || name == "tr" || name == "dt" || name == "dd") return tag_kind::line;
            if (name == "td" || name == "th") return tag_kind::cell;
            if (name == "ul" || name == "ol" || name == "dl" || name == "hr") return tag_kind::paragraph;
            if (name[0] == 'h' && name[1] >= '1' && name[1] <= '6') return tag_kind::paragraph;
            break;
        case 3:
            if (name == "div") return tag_kind::line;
            if (name == "pre" || name == "nav") return tag_kind::paragraph;
            break;
        case 4:
            if (name == "main" || name == "form") return tag_kind::paragraph;
            if (name == "head") return tag_kind::raw_text;
            break;
        case 5:
            if (name == "style") return tag_kind::raw_text;
            if (name == "table" || name == "aside") return tag_kind::paragraph;
            if (name == "tbody" || name == "thead" || name == "tfoot") return tag_kind::line;
            break;
        case 6:
            if (name == "script" || name == "iframe" || name == "object") return tag_kind::raw_text;
            if (name == "figure" || name == "header" || name == "footer" || name == "center")
                return tag_kind::paragraph;
            if (name == "option") return tag_kind::line;
            break;
        case 7:
            if (name == "section" || name == "article" || name == "address" || name == "details")
                return tag_kind::paragraph;
            if (name == "caption" || name == "summary") return tag_kind::line;
            break;
        case 8:
            if (name == "noscript" || name == "template") return tag_kind::raw_text;
            if (name == "fieldset") return tag_kind::paragraph;
            break;
        case 10:
            if (name == "blockquote" || name == "figcaption") return tag_kind::paragraph;
            break;
        default:
            break;
    }
    return tag_kind::inline_tag;
}

// Index just past the '>' that ends the tag starting at `pos` (quotes respected), or npos.
std::size_t tag_end(std::string_view html, std::size_t pos) noexcept {
    char quote = 0;
    for (std::size_t i = pos; i < html.size(); ++i) {
        const char c = html[i];
        if (quote) {
            if (c == quote) quote = 0;
        } else if (c == '"' || c == '\'') {
            // Quotes only delimit values right after '='; stray ones elsewhere are text.
            std::size_t k = i;
            while (k > pos && (html[k - 1] == ' ' || html[k - 1] == '\t' || html[k - 1] == '\n')) --k;
            if (k > pos && html[k - 1] == '=') quote = c;
        } else if (c == '>') {
            return i + 1;
        }
    }
    return std::string_view::npos;
}

// Position of "</name" (case-insensitive) at or after `from`, or npos.
std::size_t find_closing(std::string_view html, std::size_t from, std::string_view name) noexcept {
    while (true) {
        const std::size_t lt = html.find("</", from);
        if (lt == std::string_view::npos) return lt;
        std::size_t k = 0;
        while (k < name.size() && lt + 2 + k < html.size() && lower(html[lt + 2 + k]) == name[k]) ++k;
        if (k == name.size() && (lt + 2 + k >= html.size() || !is_name_char(html[lt + 2 + k]))) return lt;
        from = lt + 2;
    }
}

}  // namespace

bool is_valid_utf8(std::string_view text) noexcept {
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    std::size_t i = 0;
    while (i < n) {
        const unsigned char c = s[i];
        if (c < 0x80) {
            ++i;
            while (i + 8 <= n && ascii_block(s + i)) i += 8;
            continue;
        }
        if (c >= 0xC2 && c < 0xE0) {
            if (i + 1 >= n || (s[i + 1] & 0xC0) != 0x80) return false;
            i += 2;
            continue;
        }
        const std::size_t len = utf8_sequence_length(s, i, n);
        if (len == 0) return false;
        i += len;
    }
    return true;
}

std::string sanitize_utf8(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    std::size_t i = 0;
    std::size_t run = 0;
    while (i < n) {
        if (i + 8 <= n && ascii_block(s + i)) {
            bool controls = false;
            for (int k = 0; k < 8; ++k)
                if (s[i + k] < 0x20) controls = true;
            if (!controls) {
                i += 8;
                continue;
            }
        }
        const unsigned char c = s[i];
        if (c < 0x20) {
            if (c == '\t' || c == '\n' || c == '\r') {
                ++i;
                continue;
            }
            out.append(text.substr(run, i - run));
            ++i;
            run = i;
            continue;
        }
        const std::size_t len = utf8_sequence_length(s, i, n);
        if (len == 0) {
            out.append(text.substr(run, i - run));
            out.append("\xEF\xBF\xBD");
            ++i;
            run = i;
            continue;
        }
        i += len;
    }
    out.append(text.substr(run));
    return out;
}

std::string to_nfc(std::string text) {
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    bool stable = true;
    for (std::size_t i = 0; i < n && stable;) {
        if (s[i] < 0x80) {
            ++i;
            continue;
        }
        const std::size_t len = utf8_sequence_length(s, i, n);
        if (len == 0) return to_nfc(sanitize_utf8(text));
        stable = nfc_stable(decode_at(s + i, len));
        i += len;
    }
    if (stable) return text;
    utf8proc_uint8_t* result = nullptr;
    const utf8proc_ssize_t len =
        utf8proc_map(s, static_cast<utf8proc_ssize_t>(n), &result,
                     static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
    if (len < 0 || result == nullptr) return text;  // cannot happen for valid UTF-8
    std::string out(reinterpret_cast<const char*>(result), static_cast<std::size_t>(len));
    std::free(result);
    return out;
}

namespace {

std::string html_to_text_impl(std::string_view html, int max_level) {
    text_builder b(html.size(), max_level);
    std::string scratch;
    const std::size_t n = html.size();
    std::size_t i = 0;
    char name_buf[16];
    while (i < n) {
        const std::size_t lt = html.find('<', i);
        const std::size_t text_end = lt == std::string_view::npos ? n : lt;
        if (text_end > i) append_with_references(b, html.substr(i, text_end - i), scratch);
        if (lt == std::string_view::npos) break;
        i = lt;
        // What follows '<'? (Comments and CDATA start "<!": one byte tells most tags from
        // them without the two string compares, which showed in profiles.)
        const bool bang = i + 1 < n && html[i + 1] == '!';
        if (bang && html.compare(i, 4, "<!--") == 0) {
            const std::size_t end = html.find("-->", i + 4);
            i = end == std::string_view::npos ? n : end + 3;
            continue;
        }
        if (bang && html.compare(i, 9, "<![CDATA[") == 0) {
            const std::size_t end = html.find("]]>", i + 9);
            const std::size_t stop = end == std::string_view::npos ? n : end;
            b.append_text(html.substr(i + 9, stop - (i + 9)));
            i = end == std::string_view::npos ? n : end + 3;
            continue;
        }
        if (i + 1 < n && (html[i + 1] == '!' || html[i + 1] == '?')) {
            const std::size_t end = html.find('>', i + 2);
            i = end == std::string_view::npos ? n : end + 1;
            continue;
        }
        const bool closing = i + 1 < n && html[i + 1] == '/';
        const std::size_t name_start = i + (closing ? 2 : 1);
        if (name_start >= n || !is_alpha(html[name_start])) {
            // A '<' that starts no tag ("a < b") is text.
            b.append_text("<");
            ++i;
            continue;
        }
        std::size_t k = name_start;
        std::size_t len = 0;
        while (k < n && is_name_char(html[k])) {
            if (len < sizeof name_buf) name_buf[len] = lower(html[k]);
            ++len;
            ++k;
        }
        const std::string_view name =
            len <= sizeof name_buf ? std::string_view(name_buf, len) : std::string_view();
        const std::size_t end = tag_end(html, k);
        const std::size_t after = end == std::string_view::npos ? n : end;
        const tag_kind kind = classify(name);
        switch (kind) {
            case tag_kind::inline_tag:
                break;
            case tag_kind::cell:
                b.request_break(space_break);
                break;
            case tag_kind::br:
                b.request_break(line_break);
                break;
            case tag_kind::line:
                b.request_break(line_break);
                break;
            case tag_kind::paragraph:
                b.request_break(paragraph_break);
                break;
            case tag_kind::raw_text:
                if (!closing && !(after >= 2 && html[after - 2] == '/')) {
                    const std::size_t close = find_closing(html, after, name);
                    if (close == std::string_view::npos) {
                        i = n;
                        continue;
                    }
                    const std::size_t close_end = tag_end(html, close + 2);
                    i = close_end == std::string_view::npos ? n : close_end;
                    b.request_break(space_break);
                    continue;
                }
                break;
        }
        i = after;
    }
    return std::move(b).finish();
}

}  // namespace

std::string html_to_text(std::string_view html) {
    return html_to_text_impl(html, paragraph_break);
}

std::string html_to_line(std::string_view html) {
    return html_to_text_impl(html, space_break);
}

std::string clean_text(std::string_view plain) {
    text_builder b(plain.size(), space_break);
    std::string scratch;
    append_with_references(b, plain, scratch);
    return std::move(b).finish();
}

}  // namespace newswatch::text
