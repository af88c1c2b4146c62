#include "newswatch/text/word_cut.hpp"

#include <gtest/gtest.h>

namespace newswatch::text {
namespace {

TEST(word_cut, short_text_is_kept_with_its_blanks_collapsed) {
    EXPECT_EQ(cut_at_word("  NATO\n\tsummit \r\n opens  ", 100), "NATO summit opens");
}

TEST(word_cut, long_text_is_cut_at_the_last_word_that_fits_with_an_ellipsis) {
    EXPECT_EQ(cut_at_word("NATO leaders meet in Vilnius today", 20), "NATO leaders meet\u2026");
    EXPECT_LE(count_code_points(cut_at_word("NATO leaders meet in Vilnius today", 20)), 20u);
}

TEST(word_cut, the_limit_counts_code_points_and_never_splits_a_character) {
    const std::string ukrainian = "Україна вступить до НАТО найближчим часом";
    const std::string cut = cut_at_word(ukrainian, 20);
    EXPECT_LE(count_code_points(cut), 20u);
    EXPECT_EQ(cut, "Україна вступить до\u2026");
}

TEST(word_cut, a_single_long_word_is_cut_inside) {
    EXPECT_EQ(cut_at_word(std::string(50, 'x'), 10), std::string(9, 'x') + "\u2026");
}

TEST(word_cut, exactly_at_the_limit_is_not_cut) {
    EXPECT_EQ(cut_at_word("abcde fghij", 11), "abcde fghij");
}

}  // namespace
}  // namespace newswatch::text
