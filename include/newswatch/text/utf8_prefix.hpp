#pragma once
// Cutting text to a byte budget without splitting a UTF-8 character.
#include <cstddef>
#include <string_view>

namespace newswatch::text {

// The longest prefix of `text` of at most `max_bytes` bytes that does not end inside a
// multi-byte UTF-8 sequence (invalid bytes count as characters of their own).
inline std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes) noexcept {
    if (text.size() <= max_bytes) return text;
    std::size_t n = max_bytes;
    // Back up over at most three continuation bytes to the start of the cut character.
    for (int i = 0; i < 3 && n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80; ++i) --n;
    if ((static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) n = max_bytes;  // not UTF-8 there: cut anyway
    return text.substr(0, n);
}

}  // namespace newswatch::text
