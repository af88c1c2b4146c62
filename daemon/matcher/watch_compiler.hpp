#pragma once
// Turns watch specs into a compiled_set: checks each spec, parses its query, folds (and
// stems) the words of every term, and files each pattern under its first word. Internal to
// the matcher.
#include <cstdint>
#include <string>

#include "compiled_set.hpp"
#include "newswatch/matcher/watch_set.hpp"
#include "snowball_stemmer.hpp"

namespace newswatch::matcher {

class watch_compiler {
public:
    explicit watch_compiler(compiled_set& out) : set_(out) {}

    // Compiles set.specs[index] (after every earlier one); false with `err` filled when the
    // spec or its query is wrong.
    bool compile_watch(std::uint32_t index, query_error& err);

    // Freezes the lookup tables. Call once, after the last compile_watch().
    void finish();

private:
    std::uint8_t space_for(bool accent_insensitive, const std::string& language);
    bool compile_node(const query_node& q, std::uint32_t watch, std::uint8_t space, std::uint8_t watch_mask,
                      snowball_stemmer& stemmer, eval_node& out, query_error& err);

    compiled_set& set_;
};

}  // namespace newswatch::matcher
