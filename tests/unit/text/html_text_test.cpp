#include "newswatch/text/html_text.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using namespace newswatch::text;

TEST(html_text, tags_removed_blocks_become_breaks) {
    EXPECT_EQ(html_to_text("<p>One <b>bold</b> word.</p><p>Two</p>"), "One bold word.\n\nTwo");
    EXPECT_EQ(html_to_text("a<br>b<br/>c"), "a\nb\nc");
    EXPECT_EQ(html_to_text("<ul><li>x</li><li>y</li></ul>after"), "x\ny\n\nafter");
    EXPECT_EQ(html_to_text("<div>a</div><div>b</div>"), "a\nb");
    EXPECT_EQ(html_to_text("<table><tr><td>1</td><td>2</td></tr></table>"), "1 2");
    EXPECT_EQ(html_to_text("<span>a</span><span>b</span>"), "ab");
}

// The 8-byte scan of printable text (issue 16) keeps single spaces in a run: whitespace runs
// at every offset around the 8-byte blocks still collapse to one space, and a lone space
// stays, whatever the alignment.
TEST(html_text, whitespace_collapses_at_every_block_offset) {
    for (const std::string ws : {"  ", " \t", "\n", " \n ", "\t", " "}) {
        for (std::size_t at = 1; at < 30; ++at) {
            std::string in(40, 'x');
            for (std::size_t k = 0; k < in.size(); k += 5) in[k] = static_cast<char>('a' + k % 26);
            const std::string left = in.substr(0, at), right = in.substr(at);
            EXPECT_EQ(html_to_text(left + ws + right), left + " " + right) << "at " << at;
            EXPECT_EQ(html_to_text("<p>" + left + ws + right + "</p>"), left + " " + right) << "at " << at;
            EXPECT_EQ(html_to_text(left + " " + ws + " " + right + "  "), left + " " + right) << "at " << at;
        }
    }
}

TEST(html_text, script_style_and_comments_dropped) {
    EXPECT_EQ(html_to_text("x<script>var a = '<p>';</script>y"), "x y");
    EXPECT_EQ(html_to_text("x<STYLE type=text/css>p{}</STYLE>y"), "x y");
    EXPECT_EQ(html_to_text("x<!-- <p>hidden</p> -->y"), "xy");
    EXPECT_EQ(html_to_text("x<script>never closed"), "x");
}

TEST(html_text, entities_whitespace_and_nfc) {
    EXPECT_EQ(html_to_text("  Fish &amp; chips now \n\t ok  "), "Fish & chips now ok");
    // Issue 15: NBSP and the other space references keep their character.
    EXPECT_EQ(html_to_text("chips&nbsp;&nbsp;now&#8201;ok&#x3000;x"), "chips\u00A0\u00A0now\u2009ok\u3000x");
    EXPECT_EQ(html_to_text("Cafe\xCC\x81"), "Caf\xC3\xA9");  // e + combining acute -> é (NFC)
    EXPECT_EQ(html_to_text("&lt;p&gt; is text"), "<p> is text");
    EXPECT_EQ(html_to_text("a < b > c"), "a < b > c");
    EXPECT_EQ(html_to_text("<a href=\"x?a=1&amp;b=2\" title='a>b'>link</a>"), "link");
    EXPECT_EQ(html_to_text("<![CDATA[raw &amp; kept]]>"), "raw &amp; kept");
    EXPECT_EQ(html_to_text("Київ&#0;Львів"), "Київ\uFFFDЛьвів");
}

TEST(html_text, invalid_utf8_is_replaced) {
    EXPECT_EQ(html_to_text("a\xFF"
                           "b"),
              "a\uFFFDb");
    EXPECT_EQ(sanitize_utf8("a\xC3"
                            "b\x01"
                            "c"),
              "a\uFFFDbc");
    EXPECT_TRUE(is_valid_utf8("Київ 😀"));
    EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));  // a surrogate
}

TEST(html_text, clean_text_and_html_to_line) {
    EXPECT_EQ(clean_text("  NATO &amp;\n Ukraine  "), "NATO & Ukraine");
    EXPECT_EQ(clean_text("<b> stays"), "<b> stays");
    EXPECT_EQ(html_to_line("<p>One</p><p>Two</p>"), "One Two");
    EXPECT_EQ(decode_entities("&eacute;"), "é");
}

TEST(html_text, nfc_of_already_composed_text_is_unchanged) {
    const std::string s = "Україна і НАТО — 2024 … “quoted”";
    EXPECT_EQ(to_nfc(s), s);
    EXPECT_EQ(to_nfc("\xE2\x84\xAB"), "\xC3\x85");  // ANGSTROM SIGN -> Å
}

}  // namespace
