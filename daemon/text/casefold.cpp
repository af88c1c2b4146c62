#include "newswatch/text/casefold.hpp"

#include <cstdlib>

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
