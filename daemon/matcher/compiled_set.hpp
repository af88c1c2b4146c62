#pragma once
// Everything compile() builds from the watch specs; immutable afterwards, so several
// threads may match against one compiled_set. Internal to the matcher.
#include <array>
#include <cstdint>
#include <vector>

#include "compiled_query.hpp"
#include "key_space.hpp"
#include "newswatch/matcher/watch_set.hpp"
#include "prefix_index.hpp"

namespace newswatch::matcher {

struct compiled_set {
    std::vector<watch_spec> specs;
    std::vector<compiled_watch> watches;  // by spec index
    std::vector<leaf> leaves;             // every watch's leaves, in watch order
    std::vector<key_space> spaces;
    std::array<prefix_index, 2> prefixes;  // by accent_insensitive
    std::array<bool, 2> ai_needed{false, false};
    std::uint8_t fields_needed = 0;
    std::vector<std::uint32_t> min_hits_zero;  // watches that can match without a hit
};

}  // namespace newswatch::matcher
