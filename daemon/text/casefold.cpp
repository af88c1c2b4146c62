#include "newswatch/text/casefold.hpp"

#include <array>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include <utf8proc.h>

namespace newswatch::text {

namespace {

// One utf8proc pass; false when utf8proc rejects the input.
bool map_append(std::string_view text, const fold_options& options, std::string& out) {
    int flags = UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD;
    if (options.accent_insensitive) flags |= UTF8PROC_STRIPMARK;
    utf8proc_uint8_t* mapped = nullptr;
    const auto n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                                static_cast<utf8proc_ssize_t>(text.size()), &mapped,
                                static_cast<utf8proc_option_t>(flags));
    const bool ok = n >= 0 && mapped != nullptr;
    if (ok) out.append(reinterpret_cast<const char*>(mapped), static_cast<std::size_t>(n));
    std::free(mapped);
    return ok;
}

// The folded form of every two-byte code point (U+0080..U+07FF: Latin, Greek, Cyrillic,
// Armenian, Hebrew, Arabic), computed once from utf8proc itself. Folding a word of such
// letters one code point at a time gives what utf8proc gives for the whole word, because
// NFC only ever joins a base with the combining marks after it: a code point that is a
// mark (or unassigned, or folds to more than 7 bytes) is marked `slow`, and a word with one
// goes through utf8proc whole. Cyrillic feeds spent most of their matching time in
// utf8proc_map's allocation and decomposition (issue 16's cold-round profile).
struct fold_entry {
    std::uint8_t size = 0;
    bool slow = true;
    char bytes[7] = {};
};

struct fold_table {
    std::array<fold_entry, 0x800> entries{};

    explicit fold_table(const fold_options& options) {
        int flags = UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD;
        if (options.accent_insensitive) flags |= UTF8PROC_STRIPMARK;
        for (std::int32_t cp = 0x80; cp < 0x800; ++cp) {
            switch (utf8proc_category(cp)) {
                case UTF8PROC_CATEGORY_CN:
                case UTF8PROC_CATEGORY_MN:
                case UTF8PROC_CATEGORY_MC:
                case UTF8PROC_CATEGORY_ME:
                    continue;
                default:
                    break;
            }
            utf8proc_uint8_t in[4];
            const auto len = utf8proc_encode_char(cp, in);
            utf8proc_uint8_t* mapped = nullptr;
            const auto n = utf8proc_map(in, len, &mapped, static_cast<utf8proc_option_t>(flags));
            if (n >= 0 && mapped != nullptr && static_cast<std::size_t>(n) <= sizeof(fold_entry::bytes)) {
                auto& e = entries[static_cast<std::size_t>(cp)];
                e.size = static_cast<std::uint8_t>(n);
                e.slow = false;
                std::memcpy(e.bytes, mapped, static_cast<std::size_t>(n));
            }
            std::free(mapped);
        }
    }
};

const fold_table& table_for(const fold_options& options) {
    static const fold_table plain(fold_options{false});
    static const fold_table insensitive(fold_options{true});
    return options.accent_insensitive ? insensitive : plain;
}

// Folds `text` through the table; false (and `out` as it was) when some code point needs
// utf8proc (three- and four-byte sequences, marks, invalid bytes).
bool table_fold_append(std::string_view text, const fold_options& options, std::string& out) {
    const auto& table = table_for(options).entries;
    const std::size_t start = out.size();
    const std::size_t n = text.size();
    for (std::size_t i = 0; i < n;) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            out.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
            ++i;
            continue;
        }
        const auto c1 = i + 1 < n ? static_cast<unsigned char>(text[i + 1]) : 0;
        if (c >= 0xC2 && c <= 0xDF && (c1 & 0xC0) == 0x80) {
            const auto& e = table[(static_cast<std::size_t>(c & 0x1F) << 6) | (c1 & 0x3F)];
            if (!e.slow) {
                out.append(e.bytes, e.size);
                i += 2;
                continue;
            }
        }
        out.resize(start);
        return false;
    }
    return true;
}

bool is_ascii(std::string_view text) noexcept {
    for (unsigned char c : text)
        if (c >= 0x80) return false;
    return true;
}

}  // namespace

void fold_append(std::string_view text, const fold_options& options, std::string& out) {
    if (is_ascii(text)) {
        // The common case (English text) without a utf8proc round trip and allocation.
        for (unsigned char c : text) out.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
        return;
    }
    if (table_fold_append(text, options, out)) return;
    if (map_append(text, options, out)) return;
    // Invalid UTF-8: fold what decodes, drop the rest byte by byte.
    std::size_t i = 0;
    while (i < text.size()) {
        utf8proc_int32_t cp = 0;
        const auto len = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data() + i),
                                          static_cast<utf8proc_ssize_t>(text.size() - i), &cp);
        if (len <= 0) {
            ++i;
            continue;
        }
        map_append(text.substr(i, static_cast<std::size_t>(len)), options, out);
        i += static_cast<std::size_t>(len);
    }
}

std::string fold(std::string_view text, const fold_options& options) {
    std::string out;
    out.reserve(text.size());
    fold_append(text, options, out);
    return out;
}

}  // namespace newswatch::text
