#pragma once
// Negation and hedge cues (English, Ukrainian, Russian) for marking hits that sit in a
// negated ("rules out", "no plans to", "denied", "not", "ні", "не") or hedged ("may",
// "reportedly", "could") clause. Words are compared as folded keys (casefold.hpp).
#include <cstddef>
#include <string_view>
#include <vector>

#include "newswatch/text/casefold.hpp"
#include "newswatch/text/tokenizer.hpp"

namespace newswatch::text {

enum class cue_kind : unsigned char { none = 0, negation = 1, hedge = 2 };

struct cue_marks {
    bool negated = false;
    bool hedged = false;
};

// The kind of cue one folded word is on its own (multi-word cues are found by scan_clause).
cue_kind single_word_cue(std::string_view folded_key, const fold_options& options = {});

// Marks for the tokens [first, last) of `tokens`: a cue anywhere in the same clause, outside
// the span itself, negates or hedges it. Cues are looked up in the tokens' keys, which must
// have been folded with `options` (and not stemmed).
cue_marks scan_clause(const token_list& tokens, std::size_t first, std::size_t last,
                      const fold_options& options = {});

// The same, remembering each token's cue kind in `cache` between calls on one token list
// (the matcher marks many hits of one text). `cache` starts empty; it is sized here.
cue_marks scan_clause(const token_list& tokens, std::size_t first, std::size_t last, const fold_options& options,
                      std::vector<unsigned char>& cache);

}  // namespace newswatch::text
