#include "newswatch/text/tokenizer.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace newswatch::text {
namespace {

std::vector<std::string> keys(std::string_view text, const fold_options& o = {}) {
    const auto list = tokenize(text, o);
    std::vector<std::string> out;
    for (std::size_t i = 0; i < list.tokens.size(); ++i) out.emplace_back(list.key(i));
    return out;
}

using strings = std::vector<std::string>;

TEST(tokenizer, splits_hyphens_and_drops_possessives) {
    EXPECT_EQ(keys("NATO-led forces"), (strings{"nato", "led", "forces"}));
    EXPECT_EQ(keys("Ukraine's bid"), (strings{"ukraine", "bid"}));
    EXPECT_EQ(keys("Ukraine\xE2\x80\x99s bid"), (strings{"ukraine", "bid"}));  // ’s
    EXPECT_EQ(keys("Ukrainian"), (strings{"ukrainian"}));
}

TEST(tokenizer, keeps_apostrophes_inside_words) {
    EXPECT_EQ(keys("don't"), (strings{"don't"}));
    EXPECT_EQ(keys("об\xCA\xBC\xD1\x94\xD0\xB4\xD0\xBD\xD0\xB0\xD0\xBD\xD0\xBD\xD1\x8F"),
              (strings{"об'єднання"}));  // ʼ (U+02BC) normalised to '
    EXPECT_EQ(keys("'quoted'"), (strings{"quoted"}));
}

TEST(tokenizer, keeps_numbers_whole) {
    EXPECT_EQ(keys("1,000 troops, 2.5 km"), (strings{"1,000", "troops", "2.5", "km"}));
}

TEST(tokenizer, spans_and_code_point_offsets) {
    const std::string text = "Війна: НАТО-led Ukraine's";
    const auto list = tokenize(text);
    ASSERT_EQ(list.tokens.size(), 4u);
    EXPECT_EQ(list.tokens[1].char_offset, 7u);  // НАТО after "Війна: "
    EXPECT_EQ(text.substr(list.tokens[1].begin, list.tokens[1].end - list.tokens[1].begin), "НАТО");
    EXPECT_EQ(list.tokens[3].char_offset, 16u);
    EXPECT_EQ(text.substr(list.tokens[3].begin, list.tokens[3].end - list.tokens[3].begin), "Ukraine");
}

TEST(tokenizer, numbers_sentences_and_clauses) {
    const auto list = tokenize("The U.S. said no. NATO agreed, but Russia objected! Done");
    std::vector<std::uint32_t> sentences, clauses;
    for (const auto& t : list.tokens) {
        sentences.push_back(t.sentence);
        clauses.push_back(t.clause);
    }
    // the u s said no | nato agreed | but russia objected | done
    EXPECT_EQ(sentences, (std::vector<std::uint32_t>{0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2}));
    EXPECT_EQ(clauses, (std::vector<std::uint32_t>{0, 0, 0, 0, 0, 1, 1, 2, 2, 2, 3}));
}

TEST(tokenizer, never_fails_on_garbage) {
    std::string junk;
    for (int i = 0; i < 256; ++i) junk.push_back(static_cast<char>(i));
    const auto list = tokenize(junk + junk);
    for (const auto& t : list.tokens) EXPECT_LE(t.end, junk.size() * 2);
    EXPECT_TRUE(tokenize("").tokens.empty());
}

TEST(tokenizer, accent_insensitive_keys) {
    EXPECT_EQ(keys("Bürgenstock", {true}), (strings{"burgenstock"}));
}

}  // namespace
}  // namespace newswatch::text

namespace newswatch::text {
namespace {

TEST(tokenizer, refold_equals_tokenizing_again) {
    const std::string text = "Bürgenstock: Україна's allies, Zürich ob\xCA\xBC\xD1\x94\xD0\xB4\xD0\xBD\xD0\xB0\xD0\xBD\xD0\xBD\xD1\x8F. NATO-led";
    const auto plain = tokenize(text);
    token_list refolded;
    refold(text, plain, {true}, refolded);
    const auto direct = tokenize(text, {true});
    ASSERT_EQ(refolded.tokens.size(), direct.tokens.size());
    for (std::size_t i = 0; i < direct.tokens.size(); ++i) {
        EXPECT_EQ(refolded.key(i), direct.key(i));
        EXPECT_EQ(refolded.tokens[i].char_offset, direct.tokens[i].char_offset);
        EXPECT_EQ(refolded.tokens[i].clause, direct.tokens[i].clause);
    }
}

}  // namespace
}  // namespace newswatch::text
