#include "newswatch/text/casefold.hpp"

#include <gtest/gtest.h>

namespace newswatch::text {
namespace {

TEST(casefold, folds_ascii_latin_and_cyrillic_case) {
    EXPECT_EQ(fold("NATO"), "nato");
    EXPECT_EQ(fold("НАТО"), "нато");
    EXPECT_EQ(fold("УКРАЇНА"), fold("Україна"));
    EXPECT_EQ(fold("Straße"), "strasse");  // full case folding, not just lowercasing
}

TEST(casefold, composes_to_nfc) {
    // "й" written as и + combining breve folds like the precomposed letter.
    EXPECT_EQ(fold("\xD0\x98\xCC\x86"), fold("й"));
    EXPECT_EQ(fold("e\xCC\x81"), fold("é"));
}

TEST(casefold, accent_insensitive_strips_marks_only_when_asked) {
    EXPECT_EQ(fold("Zürich", {true}), "zurich");
    EXPECT_EQ(fold("Zürich"), "zürich");
    EXPECT_NE(fold("Україна", {true}), fold("Україна"));  // ї -> і
}

TEST(casefold, drops_invalid_utf8) {
    const std::string bad = "NA\xFFTO\xC3";
    EXPECT_EQ(fold(bad), "nato");
}

}  // namespace
}  // namespace newswatch::text
