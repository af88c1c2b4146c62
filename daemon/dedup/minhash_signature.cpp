#include "newswatch/dedup/minhash_signature.hpp"

#include <algorithm>
#include <limits>

#include "newswatch/text/tokenizer.hpp"

#include "mix64.hpp"

namespace newswatch::dedup {
namespace {

// FNV-1a: stable across builds and platforms (std::hash is not), the stored signatures
// depend on it.
constexpr std::uint64_t fnv1a(std::string_view s, std::uint64_t h = 0xcbf29ce484222325ULL) noexcept {
    for (const unsigned char c : s) {
        h ^= c;
        h *= 0x100000001b3ULL;
    }
    return h;
}

// The i-th hash function: multiply-shift with a fixed odd multiplier and offset per i
// (2-universal), applied to the shingle's mixed 64-bit hash.
struct hash_family {
    std::array<std::uint64_t, minhash_size> a{}, b{};
    constexpr hash_family() {
        for (std::size_t i = 0; i < minhash_size; ++i) {
            a[i] = mix64(0x9e3779b97f4a7c15ULL * (2 * i + 1)) | 1;
            b[i] = mix64(0x632be59bd9b4e019ULL * (2 * i + 2));
        }
    }
};
constexpr hash_family family;

}  // namespace

std::vector<std::string> signature_words(std::string_view text, std::size_t max_words) {
    const text::token_list tokens = text::tokenize(text, text::fold_options{.accent_insensitive = true});
    std::vector<std::string> out;
    const std::size_t n = std::min(max_words, tokens.tokens.size());
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i) out.emplace_back(tokens.key(i));
    return out;
}

std::optional<minhash_signature> minhash_of(const std::vector<std::string>& words,
                                            std::size_t shingle_words) {
    if (shingle_words == 0 || words.size() < std::max(min_signature_words, shingle_words))
        return std::nullopt;
    minhash_signature s;
    s.values.fill(std::numeric_limits<std::uint32_t>::max());
    for (std::size_t i = 0; i + shingle_words <= words.size(); ++i) {
        std::uint64_t h = 0xcbf29ce484222325ULL;
        for (std::size_t k = 0; k < shingle_words; ++k) h = fnv1a(words[i + k], fnv1a(" ", h));
        const std::uint64_t x = mix64(h);
        for (std::size_t j = 0; j < minhash_size; ++j) {
            const auto v = static_cast<std::uint32_t>((family.a[j] * x + family.b[j]) >> 32);
            s.values[j] = std::min(s.values[j], v);
        }
    }
    return s;
}

double similarity(const minhash_signature& a, const minhash_signature& b) noexcept {
    std::size_t equal = 0;
    for (std::size_t i = 0; i < minhash_size; ++i) equal += a.values[i] == b.values[i];
    return static_cast<double>(equal) / static_cast<double>(minhash_size);
}

std::string to_bytes(const minhash_signature& s) {
    std::string out;
    out.reserve(minhash_size * 4);
    for (const std::uint32_t v : s.values)
        for (int shift = 0; shift < 32; shift += 8) out += static_cast<char>((v >> shift) & 0xff);
    return out;
}

std::optional<minhash_signature> signature_from_bytes(std::string_view bytes) {
    if (bytes.size() != minhash_size * 4) return std::nullopt;
    minhash_signature s;
    for (std::size_t i = 0; i < minhash_size; ++i) {
        std::uint32_t v = 0;
        for (int k = 0; k < 4; ++k)
            v |= std::uint32_t{static_cast<unsigned char>(bytes[i * 4 + k])} << (8 * k);
        s.values[i] = v;
    }
    return s;
}

}  // namespace newswatch::dedup
