#include "newswatch/text/casefold.hpp"

#include <cstdlib>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <utf8proc.h>

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

// utf8proc's own answer for a whole word: what fold() promised before its per-code-point
// table for two-byte letters.
std::string utf8proc_fold(const std::string& word, bool accent_insensitive) {
    int flags = UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD;
    if (accent_insensitive) flags |= UTF8PROC_STRIPMARK;
    utf8proc_uint8_t* mapped = nullptr;
    const auto n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(word.data()),
                                static_cast<utf8proc_ssize_t>(word.size()), &mapped,
                                static_cast<utf8proc_option_t>(flags));
    std::string out = n >= 0 && mapped
                          ? std::string(reinterpret_cast<const char*>(mapped), static_cast<std::size_t>(n))
                          : std::string("<rejected>");
    std::free(mapped);
    return out;
}

std::string utf8(std::int32_t cp) {
    utf8proc_uint8_t b[4];
    const auto n = utf8proc_encode_char(cp, b);
    return std::string(reinterpret_cast<const char*>(b), static_cast<std::size_t>(n));
}

// Every pair of two-byte code points, and each beside ASCII letters, folds as utf8proc folds
// the whole word: NFC must never join across two code points the table folds separately
// (a mark after a letter, Hangul-style starter pairs). Fails if the table's exclusions miss
// one.
TEST(casefold, two_byte_letters_fold_as_utf8proc_folds_the_whole_word) {
    std::vector<std::string> assigned;
    for (std::int32_t cp = 0x80; cp < 0x800; ++cp)
        if (utf8proc_category(cp) != UTF8PROC_CATEGORY_CN) assigned.push_back(utf8(cp));
    for (const bool ai : {false, true}) {
        int mismatches = 0;
        for (const auto& a : assigned) {
            for (const std::string& word : {a, "A" + a, a + "z", "x" + a + "Y"})
                if (fold(word, {ai}) != utf8proc_fold(word, ai) && ++mismatches < 5)
                    ADD_FAILURE() << "ai=" << ai << " word " << word;
            for (const auto& b : assigned) {
                const std::string word = a + b;
                if (fold(word, {ai}) != utf8proc_fold(word, ai) && ++mismatches < 5)
                    ADD_FAILURE() << "ai=" << ai << " word " << word;
            }
        }
        EXPECT_EQ(mismatches, 0) << "accent_insensitive=" << ai;
    }
}

}  // namespace
}  // namespace newswatch::text
