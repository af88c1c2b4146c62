#pragma once
// How document words are turned into keys: folding (with or without accents) and an
// optional stemmer, plus the table of pattern first words in that form. Every watch uses
// one space; usually there are only one or two. Internal to the matcher.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "key_table.hpp"

namespace newswatch::matcher {

struct key_space {
    bool accent_insensitive = false;
    std::string language;  // "" = not stemmed
    key_table exact;       // first token key -> leaves

    // Stemming every word is the dominant cost of a stemmed space. For stemmers that only
    // strip suffixes, a stem starts with the word's first bytes, so a word whose first
    // `head_size` bytes begin no stemmed key of this space needs no stem: it cannot match.
    std::size_t head_size = 0;  // 0 = no filter (stem every word)
    std::vector<std::uint64_t> heads = std::vector<std::uint64_t>(1024, 0);

    static std::uint32_t head_slot(std::string_view key, std::size_t n) noexcept {
        std::uint32_t h = 0;
        for (std::size_t i = 0; i < n; ++i) h = (h << 8) | static_cast<unsigned char>(key[i]);
        return (h * 0x9E3779B1u) >> 16;
    }
    bool may_match(std::string_view word) const noexcept {
        if (head_size == 0) return true;
        if (word.size() < head_size) return false;  // its stem is shorter than every key
        const auto slot = head_slot(word, head_size);
        return (heads[slot / 64] & (std::uint64_t{1} << (slot % 64))) != 0;
    }
    static bool suffix_only(const std::string& language) {
        for (const char* l : {"english", "en", "eng", "porter", "russian", "ru", "rus"})
            if (language == l) return true;
        return false;
    }
    void build_heads(const std::vector<std::string_view>& keys) {
        if (language.empty() || !suffix_only(language) || keys.empty()) return;
        std::size_t shortest = 3;
        for (const auto k : keys) shortest = std::min(shortest, k.size());
        if (shortest < 2) return;  // a one-byte stem: no filter
        head_size = shortest;
        for (const auto k : keys) {
            const auto slot = head_slot(k, head_size);
            heads[slot / 64] |= std::uint64_t{1} << (slot % 64);
        }
    }
};

}  // namespace newswatch::matcher
