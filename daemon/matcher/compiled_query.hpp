#pragma once
// A watch's query after compilation: its terms and phrases as leaves (folded, stemmed word
// keys) and the operator tree over them. Internal to the matcher.
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "newswatch/matcher/query.hpp"

namespace newswatch::matcher {

inline constexpr std::size_t field_count = std::size(query_fields);
// Unscoped terms: title, summary, content and the fetched article (bit 7).
inline constexpr std::uint8_t default_field_mask = 0b1000'0111;
static_assert(std::size(query_fields) <= 8, "field masks are 8 bits");

// The index of a field in query_fields, -1 when there is no such field.
inline int field_index(std::string_view name) noexcept {
    for (std::size_t i = 0; i < field_count; ++i)
        if (query_fields[i] == name) return static_cast<int>(i);
    return -1;
}

// One word of a compiled pattern.
struct leaf_token {
    std::string key;      // folded (and stemmed, unless prefix) form
    bool prefix = false;  // key is a prefix of the folded word
};

// One term or phrase of one watch's query.
struct leaf {
    std::uint32_t watch = 0;
    std::uint8_t field_mask = default_field_mask;
    std::uint8_t space = 0;  // index into key spaces: how exact keys were made
    std::string pattern;
    std::vector<leaf_token> tokens;
};

struct eval_node {
    query_op op = query_op::term;
    int distance = 0;
    std::uint32_t leaf = 0;
    std::vector<eval_node> children;
};

struct compiled_watch {
    eval_node root;
    std::uint32_t first_leaf = 0;  // the watch's leaves are [first_leaf, leaf_end)
    std::uint32_t leaf_end = 0;
    std::uint8_t space = 0;
    bool accent_insensitive = false;
};

}  // namespace newswatch::matcher
