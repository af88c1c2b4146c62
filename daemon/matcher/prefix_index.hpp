#pragma once
// Prefix patterns ("russia*") grouped by their first three bytes (two for the few two-byte
// prefixes), behind bitmaps, so a word costs one or two bitmap tests and, rarely, one small
// lookup. Internal to the matcher.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "key_table.hpp"

namespace newswatch::matcher {

struct prefix_index {
    struct entry {
        std::string prefix;
        std::vector<posting> leaves;
    };
    static constexpr std::size_t bits = 1 << 16;
    std::vector<std::uint64_t> heads3 = std::vector<std::uint64_t>(bits / 64, 0);  // hashed first three bytes
    std::vector<std::uint64_t> heads2 = std::vector<std::uint64_t>(bits / 64, 0);  // exact first two bytes
    std::unordered_map<std::uint32_t, std::vector<entry>> by_head3;
    std::unordered_map<std::uint32_t, std::vector<entry>> by_head2;
    bool empty = true;

    static std::uint32_t head(std::string_view key, std::size_t n) noexcept {
        std::uint32_t h = 0;
        for (std::size_t i = 0; i < n; ++i) h = (h << 8) | static_cast<unsigned char>(key[i]);
        return h;
    }
    static std::uint32_t slot3(std::uint32_t h) noexcept { return (h * 0x9E3779B1u) >> 16; }
    static bool test(const std::vector<std::uint64_t>& bitmap, std::uint32_t i) noexcept {
        return (bitmap[i / 64] & (std::uint64_t{1} << (i % 64))) != 0;
    }
    static void add_to(std::vector<entry>& list, const std::string& prefix, posting leaf) {
        auto it = std::find_if(list.begin(), list.end(), [&](const entry& e) { return e.prefix == prefix; });
        if (it == list.end()) it = list.insert(list.end(), entry{prefix, {}});
        it->leaves.push_back(leaf);
    }
    void add(const std::string& prefix, posting leaf) {
        empty = false;
        if (prefix.size() >= 3) {
            const auto h = head(prefix, 3);
            heads3[slot3(h) / 64] |= std::uint64_t{1} << (slot3(h) % 64);
            add_to(by_head3[h], prefix, leaf);
        } else {
            const auto h = head(prefix, 2);
            heads2[h / 64] |= std::uint64_t{1} << (h % 64);
            add_to(by_head2[h], prefix, leaf);
        }
    }
    // Calls f(leaves) for every prefix pattern `key` starts with.
    template <class F>
    void find(std::string_view key, F&& f) const {
        if (key.size() < 2) return;
        if (!by_head2.empty()) {
            const auto h = head(key, 2);
            if (test(heads2, h)) {
                const auto it = by_head2.find(h);
                if (it != by_head2.end())
                    for (const auto& e : it->second)
                        if (key.starts_with(e.prefix)) f(e.leaves);
            }
        }
        if (key.size() < 3) return;
        const auto h = head(key, 3);
        if (!test(heads3, slot3(h))) return;
        const auto it = by_head3.find(h);
        if (it == by_head3.end()) return;
        for (const auto& e : it->second)
            if (key.starts_with(e.prefix)) f(e.leaves);
    }
};

}  // namespace newswatch::matcher
