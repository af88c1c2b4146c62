#include "newswatch/text/entities.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "test_paths.hpp"

namespace {

using newswatch::text::decode_entities;
using newswatch::text::lookup_entity;

TEST(entities, xml_and_html5_named_references) {
    EXPECT_EQ(decode_entities("a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos;"), "a & b <c> \"d\" 'e'");
    EXPECT_EQ(decode_entities("&nbsp;&mdash;&hellip;&eacute;&copy;"), "\u00A0—…é©");
    EXPECT_EQ(decode_entities("&NotNestedLessLess;"), "\u2AA1\u0338");  // two code points
    EXPECT_EQ(decode_entities("&fjlig;"), "fj");
    EXPECT_EQ(decode_entities("&unknown; & &;"), "&unknown; & &;");
}

TEST(entities, legacy_names_without_semicolon) {
    EXPECT_EQ(decode_entities("AT&amp T"), "AT& T");
    EXPECT_EQ(decode_entities("&copy 2024"), "© 2024");
    EXPECT_EQ(decode_entities("&notit;"), "¬it;");  // longest legacy prefix, as HTML5 does
}

TEST(entities, numeric_references) {
    EXPECT_EQ(decode_entities("&#65;&#x42;&#X43;&#1082;"), "ABCк");
    EXPECT_EQ(decode_entities("&#128512;"), "😀");
    EXPECT_EQ(decode_entities("&#150;&#x80;"), "–€");  // windows-1252 meanings, as HTML5
    EXPECT_EQ(decode_entities("&#65 x"), "A x");
}

TEST(entities, forbidden_references_become_replacement_and_never_cut) {
    EXPECT_EQ(decode_entities("a&#0;b"), "a\uFFFDb");
    EXPECT_EQ(decode_entities("a&#xD800;b"), "a\uFFFDb");
    EXPECT_EQ(decode_entities("a&#x110000;b"), "a\uFFFDb");
    EXPECT_EQ(decode_entities("a&#99999999999999999999;b"), "a\uFFFDb");
    EXPECT_EQ(decode_entities("a&#1;b"), "a\uFFFDb");
    EXPECT_EQ(decode_entities("&#x;&#;"), "&#x;&#;");
}

// The generated table (daemon/text/entities_table.cpp) must agree with the committed data
// file (daemon/text/entities.tsv), which is the full WHATWG list.
TEST(entities, table_matches_the_committed_whatwg_data_file) {
    std::ifstream in(newswatch::testing::source_dir() / "daemon/text/entities.tsv");
    ASSERT_TRUE(in) << "daemon/text/entities.tsv missing";
    std::string line;
    std::size_t rows = 0;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        const auto tab = line.find('\t');
        ASSERT_NE(tab, std::string::npos) << line;
        const std::string name = line.substr(0, tab);
        std::string expected;
        std::istringstream cps(line.substr(tab + 1));
        std::string hex;
        while (cps >> hex) newswatch::text::append_utf8(expected, static_cast<char32_t>(std::stoul(hex, nullptr, 16)));
        EXPECT_EQ(lookup_entity(name), expected) << name;
        ++rows;
    }
    EXPECT_EQ(rows, 2231u) << "the WHATWG list has 2231 names (with and without ';')";
}

}  // namespace
