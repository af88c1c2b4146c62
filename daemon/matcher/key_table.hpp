#pragma once
// A read-only hash table from folded words to posting lists (leaf ids), built once at
// compile time. Open addressing with a small bitmap in front: most words of an item are
// in no query, and the bitmap (8 KiB, stays in L1) rejects them without touching the table.
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace newswatch::matcher {

inline std::uint64_t hash_word(std::string_view s) noexcept {
    constexpr std::uint64_t k1 = 0x9E3779B97F4A7C15ULL;
    constexpr std::uint64_t k2 = 0xC2B2AE3D27D4EB4FULL;
    std::uint64_t h = k1 ^ (s.size() * k2);
    const char* p = s.data();
    std::size_t n = s.size();
    while (n >= 8) {
        std::uint64_t v;
        std::memcpy(&v, p, 8);
        h = (h ^ (v * k2)) * k1;
        h ^= h >> 29;
        p += 8;
        n -= 8;
    }
    if (n > 0) {
        std::uint64_t v = 0;
        std::memcpy(&v, p, n);
        h = (h ^ (v * k2)) * k1;
    }
    h ^= h >> 32;
    h *= k2;
    h ^= h >> 29;
    return h;
}

// One pattern whose first word is the key. The field mask and word count travel with it so
// that a one-word pattern in the wrong field is rejected without loading the pattern.
struct posting {
    std::uint32_t leaf = 0;
    std::uint8_t field_mask = 0;
    std::uint8_t words = 1;  // 1 = a single word; more = a phrase to verify
};

class key_table {
public:
    void add(std::string_view key, posting p) { building_[std::string(key)].push_back(p); }
    bool empty() const noexcept { return building_.empty() && postings_.empty(); }

    // Freezes what add() collected. Call once after the last add().
    void finish() {
        std::size_t capacity = 16;
        while (capacity < building_.size() * 2 + 2) capacity *= 2;
        slots_.assign(capacity, slot{});
        mask_ = capacity - 1;
        for (auto& [key, leaves] : building_) {
            const std::uint64_t h = hash_word(key);
            std::size_t at = h & mask_;
            while (slots_[at].key_size != 0) at = (at + 1) & mask_;
            slot& s = slots_[at];
            s.hash = h;
            s.key_begin = static_cast<std::uint32_t>(keys_.size());
            s.key_size = static_cast<std::uint32_t>(key.size());
            s.post_begin = static_cast<std::uint32_t>(postings_.size());
            s.post_size = static_cast<std::uint32_t>(leaves.size());
            keys_ += key;
            postings_.insert(postings_.end(), leaves.begin(), leaves.end());
            filter_[filter_word(h)] |= filter_bit(h);
        }
        building_.clear();
    }

    // The leaves whose first word is `key` (empty when none).
    struct postings {
        const posting* begin = nullptr;
        std::uint32_t size = 0;
    };
    postings find(std::string_view key) const noexcept {
        if (slots_.empty() || key.empty()) return {};
        const std::uint64_t h = hash_word(key);
        if ((filter_[filter_word(h)] & filter_bit(h)) == 0) return {};
        for (std::size_t at = h & mask_;; at = (at + 1) & mask_) {
            const slot& s = slots_[at];
            if (s.key_size == 0) return {};
            if (s.hash == h && s.key_size == key.size() && std::memcmp(keys_.data() + s.key_begin, key.data(), key.size()) == 0)
                return {postings_.data() + s.post_begin, s.post_size};
        }
    }

private:
    struct slot {
        std::uint64_t hash = 0;
        std::uint32_t key_begin = 0;
        std::uint32_t key_size = 0;  // 0 = empty slot (keys are never empty)
        std::uint32_t post_begin = 0;
        std::uint32_t post_size = 0;
    };
    static constexpr std::size_t filter_bits = 1 << 16;
    // Filter position from hash bits the table index (low bits) does not use.
    static std::size_t filter_word(std::uint64_t h) noexcept { return (h >> 48) & (filter_bits / 64 - 1); }
    static std::uint64_t filter_bit(std::uint64_t h) noexcept { return std::uint64_t{1} << ((h >> 42) & 63); }
    std::unordered_map<std::string, std::vector<posting>> building_;
    std::vector<slot> slots_;
    std::size_t mask_ = 0;
    std::string keys_;
    std::vector<posting> postings_;
    std::vector<std::uint64_t> filter_ = std::vector<std::uint64_t>(filter_bits / 64, 0);
};

}  // namespace newswatch::matcher
