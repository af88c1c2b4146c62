#pragma once
// Negation and hedge cues (English, Ukrainian, Russian) for marking hits that sit in a
// negated ("rules out", "no plans to", "denied", "not", "ні", "не") or hedged ("may",
// "reportedly", "could") clause. Words are compared as folded keys (casefold.hpp).
#include <cstddef>
#include <string_view>

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

// The kind of cue token `i` of `tokens` is, including the two-word "rule(s|d) out" (a
// negation, reported on "rule"). Keys must have been folded with `options`.
cue_kind token_cue(const token_list& tokens, std::size_t i, const fold_options& options = {});

// Marks for the tokens [first, last) of `tokens`: a cue anywhere in the same clause, outside
// the span itself, negates or hedges it. Cues are looked up in the tokens' keys, which must
// have been folded with `options` (and not stemmed). One span; for many spans of one text
// use clause_cues, which counts each clause once.
cue_marks scan_clause(const token_list& tokens, std::size_t first, std::size_t last,
                      const fold_options& options = {});

}  // namespace newswatch::text
