#pragma once
// Negation and hedge marks for many spans of one token list. The matcher marks every hit of
// an item, and a hostile item can have millions of hits in one long clause: scanning the
// clause for each hit made marking quadratic. Here each clause's cues are counted once, the
// first time a span in it asks, so marking k spans of an n-token text costs O(n + k).
#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "newswatch/text/casefold.hpp"
#include "newswatch/text/cue_lexicon.hpp"
#include "newswatch/text/tokenizer.hpp"

namespace newswatch::text {

class clause_cues {
public:
    // `tokens` must outlive this object and stay unchanged; its keys are folded with
    // `options` (and not stemmed).
    clause_cues(const token_list& tokens, const fold_options& options);

    // Marks for the tokens [first, last): a cue anywhere in the clause of `first`, outside
    // the span itself, negates or hedges it. Empty or out-of-range spans have no marks.
    cue_marks marks(std::size_t first, std::size_t last);

private:
    struct clause_count {
        std::uint32_t end = 0;  // one past the clause's last token
        std::uint32_t negations = 0;
        std::uint32_t hedges = 0;
    };
    cue_kind kind(std::size_t i);  // computed on first use, then cached
    const clause_count& count_clause(std::size_t inside);

    const token_list& tokens_;
    fold_options options_;
    std::vector<unsigned char> kinds_;                         // per token; sized on first use
    std::unordered_map<std::uint32_t, clause_count> clauses_;  // by clause number
};

}  // namespace newswatch::text
