#include "newswatch/text/cue_lexicon.hpp"

#include <gtest/gtest.h>

namespace newswatch::text {
namespace {

// Marks for the first token whose key is `word`.
cue_marks marks_of(std::string_view text, std::string_view word) {
    const auto list = tokenize(text);
    for (std::size_t i = 0; i < list.tokens.size(); ++i)
        if (list.key(i) == word) return scan_clause(list, i, i + 1);
    ADD_FAILURE() << "no token " << word;
    return {};
}

TEST(cue_lexicon, negation_in_the_same_clause) {
    EXPECT_TRUE(marks_of("Rutte rules out NATO membership for Ukraine", "membership").negated);
    EXPECT_TRUE(marks_of("Germany has no plans to send Taurus missiles", "taurus").negated);
    EXPECT_TRUE(marks_of("Kremlin denied that talks took place", "talks").negated);
    EXPECT_TRUE(marks_of("Україна не вступить до НАТО", "нато").negated);
    EXPECT_TRUE(marks_of("Москва не планирует переговоры", "переговоры").negated);
    EXPECT_FALSE(marks_of("NATO backs Ukraine's membership", "membership").negated);
}

TEST(cue_lexicon, negation_stops_at_the_clause) {
    EXPECT_FALSE(marks_of("Moscow did not comment, but NATO confirmed the talks", "talks").negated);
    EXPECT_FALSE(marks_of("No comment. NATO confirmed the talks", "talks").negated);
}

TEST(cue_lexicon, hedges) {
    EXPECT_TRUE(marks_of("Talks may resume next week", "talks").hedged);
    EXPECT_TRUE(marks_of("Russia reportedly moved missiles to Belarus", "missiles").hedged);
    EXPECT_TRUE(marks_of("Переговоры могут возобновиться", "переговоры").hedged);
    EXPECT_TRUE(marks_of("Переговори можливо відновляться", "переговори").hedged);
    EXPECT_FALSE(marks_of("Talks resumed on Monday", "talks").hedged);
}

TEST(cue_lexicon, the_span_itself_is_no_cue) {
    const auto list = tokenize("no-fly zone over Ukraine");
    EXPECT_FALSE(scan_clause(list, 0, 3).negated);  // "no fly zone" is the hit
    EXPECT_EQ(single_word_cue("never"), cue_kind::negation);
    EXPECT_EQ(single_word_cue("could"), cue_kind::hedge);
    EXPECT_EQ(single_word_cue("nato"), cue_kind::none);
}

}  // namespace
}  // namespace newswatch::text
