#pragma once
// MinHash over word shingles: an estimate of the Jaccard similarity of two texts' sets of
// `shingle_words`-word sequences from 64 independent minima. Pure; no I/O.
//
// The values are persisted (state database, dedup_stories.signature): the hash functions
// below must not change without a schema step that drops the stored signatures.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace newswatch::dedup {

inline constexpr std::size_t minhash_size = 64;
// Chosen on the generated multi-outlet stream (docs/BENCHMARKS.md, "Deduplication"): with 2
// words, one or two changed words in a 30-word lede keep a similarity near 0.8, and
// different stories on one topic stay below 0.25.
inline constexpr std::size_t default_shingle_words = 3;
// The similarity at or above which two texts are one story ([daemon] dedup_threshold).
inline constexpr double default_similarity_threshold = 0.5;
// Texts with fewer words than this carry too few shingles for a stable estimate.
inline constexpr std::size_t min_signature_words = 12;

struct minhash_signature {
    std::array<std::uint32_t, minhash_size> values{};
    bool operator==(const minhash_signature&) const = default;
};

// The folded words of `text` (text::tokenize, accent-insensitive), at most `max_words`.
std::vector<std::string> signature_words(std::string_view text, std::size_t max_words);

// The signature of the word sequence; nullopt with fewer than min_signature_words words.
std::optional<minhash_signature> minhash_of(const std::vector<std::string>& words,
                                            std::size_t shingle_words = default_shingle_words);

// The estimated Jaccard similarity: the share of equal minima, 0..1.
double similarity(const minhash_signature& a, const minhash_signature& b) noexcept;

// Bytes for storage (little-endian uint32 values) and back; nullopt for a wrong size.
std::string to_bytes(const minhash_signature& s);
std::optional<minhash_signature> signature_from_bytes(std::string_view bytes);

}  // namespace newswatch::dedup
