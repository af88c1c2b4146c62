#include "newswatch/text/clause_cues.hpp"

namespace newswatch::text {

namespace {
constexpr unsigned char unknown = 0xFF;
}

clause_cues::clause_cues(const token_list& tokens, const fold_options& options)
    : tokens_(tokens), options_(options) {}

cue_kind clause_cues::kind(std::size_t i) {
    if (kinds_.empty()) kinds_.assign(tokens_.tokens.size(), unknown);
    if (kinds_[i] == unknown) kinds_[i] = static_cast<unsigned char>(token_cue(tokens_, i, options_));
    return static_cast<cue_kind>(kinds_[i]);
}

const clause_cues::clause_count& clause_cues::count_clause(std::size_t inside) {
    const auto& toks = tokens_.tokens;
    const std::uint32_t clause = toks[inside].clause;
    const auto found = clauses_.find(clause);
    if (found != clauses_.end()) return found->second;
    // Clause numbers never decrease through the text, so a clause is one run of tokens.
    std::size_t begin = inside;
    while (begin > 0 && toks[begin - 1].clause == clause) --begin;
    std::size_t end = inside;
    while (end < toks.size() && toks[end].clause == clause) ++end;
    clause_count c;
    c.end = static_cast<std::uint32_t>(end);
    for (std::size_t i = begin; i < end; ++i) {
        const auto k = kind(i);
        if (k == cue_kind::negation)
            ++c.negations;
        else if (k == cue_kind::hedge)
            ++c.hedges;
    }
    return clauses_.emplace(clause, c).first->second;
}

cue_marks clause_cues::marks(std::size_t first, std::size_t last) {
    cue_marks marks;
    if (first >= last || last > tokens_.tokens.size()) return marks;
    const clause_count& c = count_clause(first);
    std::uint32_t negations = c.negations;
    std::uint32_t hedges = c.hedges;
    // The span's own words are no cue ("no-fly zone" is not negated by its "no").
    for (std::size_t i = first; i < last && i < c.end; ++i) {
        const auto k = kind(i);
        if (k == cue_kind::negation)
            --negations;
        else if (k == cue_kind::hedge)
            --hedges;
    }
    marks.negated = negations > 0;
    marks.hedged = hedges > 0;
    return marks;
}

}  // namespace newswatch::text
