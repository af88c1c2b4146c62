#include "newswatch/text/clause_cues.hpp"

#include <gtest/gtest.h>

#include <string>

namespace newswatch::text {
namespace {

// The definition, one token at a time: a cue in the clause of `first`, outside the span.
cue_marks reference(const token_list& list, std::size_t first, std::size_t last) {
    cue_marks m;
    for (std::size_t i = 0; i < list.tokens.size(); ++i) {
        if ((i >= first && i < last) || list.tokens[i].clause != list.tokens[first].clause) continue;
        const auto kind = token_cue(list, i);
        m.negated = m.negated || kind == cue_kind::negation;
        m.hedged = m.hedged || kind == cue_kind::hedge;
    }
    return m;
}

// Issue #10 item 3: the matcher marks every hit of an item through one clause_cues, which
// counts each clause once; its marks must be the definition's for every span.
TEST(clause_cues, marks_every_span_by_the_definition) {
    const auto list = tokenize(
        "Rutte rules out NATO membership for Ukraine, but Kyiv may still join. No-fly zone over Kyiv; "
        "the talks could resume, sources said. Україна не вступить до НАТО");
    clause_cues cues(list, {});
    for (std::size_t first = 0; first < list.tokens.size(); ++first)
        for (std::size_t last = first + 1; last <= list.tokens.size() && last <= first + 3; ++last) {
            const auto expected = reference(list, first, last);
            const auto got = cues.marks(first, last);
            EXPECT_EQ(got.negated, expected.negated) << first << ".." << last;
            EXPECT_EQ(got.hedged, expected.hedged) << first << ".." << last;
        }
    EXPECT_FALSE(cues.marks(3, 3).negated);                       // empty span
    EXPECT_FALSE(cues.marks(0, list.tokens.size() + 1).negated);  // out of range
}

TEST(clause_cues, one_long_clause_counts_cues_outside_the_span) {
    std::string text;
    for (int i = 0; i < 1000; ++i) text += "nato ukraine ";
    text += "not";
    const auto list = tokenize(text);
    clause_cues cues(list, {});
    for (std::size_t i = 0; i + 1 < list.tokens.size(); ++i) EXPECT_TRUE(cues.marks(i, i + 1).negated) << i;
    EXPECT_FALSE(cues.marks(list.tokens.size() - 1, list.tokens.size()).negated);  // the cue alone
}

}  // namespace
}  // namespace newswatch::text
