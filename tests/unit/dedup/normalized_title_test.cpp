#include "newswatch/dedup/normalized_title.hpp"

#include <gtest/gtest.h>

namespace newswatch::dedup {
namespace {

TEST(normalized_title, folds_case_and_drops_punctuation) {
    EXPECT_EQ(normalized_title("NATO allies agree new air-defence package for Ukraine!"),
              "nato allies agree new air defence package for ukraine");
    EXPECT_EQ(normalized_title("«Zürich» talks: Kyiv, Brussels — and what next?"),
              normalized_title("zurich TALKS kyiv brussels and what next"));
}

TEST(normalized_title, strips_an_outlet_suffix) {
    const std::string expected = normalized_title("NATO allies agree new air defence package");
    EXPECT_FALSE(expected.empty());
    for (const char* title : {"NATO allies agree new air defence package - BBC News",
                              "NATO allies agree new air defence package | Reuters",
                              "NATO allies agree new air defence package \u2013 DW",
                              "NATO allies agree new air defence package \u2014 The Kyiv Independent",
                              "NATO allies agree new air defence package | World | The Guardian"})
        EXPECT_EQ(normalized_title(title), expected) << title;
}

TEST(normalized_title, keeps_a_long_tail_and_a_tail_that_would_leave_too_few_words) {
    // A tail of more than four words is part of the headline.
    EXPECT_EQ(normalized_title("Ceasefire holds - but both sides accuse each other of violations"),
              "ceasefire holds but both sides accuse each other of violations");
    // "Ukraine talks resume" alone has too few words: the tail stays.
    EXPECT_EQ(normalized_title("Ukraine talks resume - BBC News"), "ukraine talks resume bbc news");
}

TEST(normalized_title, is_empty_below_five_words) {
    EXPECT_EQ(normalized_title("Live updates"), "");
    EXPECT_EQ(normalized_title("NATO summit opens today"), "");
    EXPECT_EQ(normalized_title(""), "");
    EXPECT_EQ(normalized_title("... --- !!!"), "");
    EXPECT_NE(normalized_title("NATO summit opens in Vilnius"), "");
}

}  // namespace
}  // namespace newswatch::dedup
