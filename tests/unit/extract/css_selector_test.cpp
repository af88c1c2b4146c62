#include "newswatch/extract/css_selector.hpp"

#include <gtest/gtest.h>

#include "newswatch/extract/html_document.hpp"

namespace {

using newswatch::extract::css_selector;
using newswatch::extract::html_document;

const html_document page = html_document::parse(R"(<html><body>
  <div id="main" class="story wide"><p id="a" data-role="lede">A</p><section><p id="b">B</p></section></div>
  <div class="aside"><p id="c">C</p></div><my-widget id="w">W</my-widget></body></html>)");

std::size_t count(std::string_view selector) {
    auto s = css_selector::parse(selector);
    EXPECT_TRUE(s.ok()) << selector << ": " << (s.ok() ? "" : s.err().message);
    return s.ok() ? s->select(page.root()).size() : 0;
}

TEST(css_selector, the_documented_subset) {
    EXPECT_EQ(count("p"), 3u);
    EXPECT_EQ(count("P"), 3u);       // tags are case-insensitive
    EXPECT_EQ(count(".story"), 1u);  // the div; its paragraphs are inside a match
    EXPECT_EQ(count("div.story.wide#main"), 1u);
    EXPECT_EQ(count(".story p"), 2u);  // descendant combinator
    EXPECT_EQ(count("#main section p"), 1u);
    EXPECT_EQ(count("[data-role]"), 1u);
    EXPECT_EQ(count("p[data-role=lede]"), 1u);
    EXPECT_EQ(count("p[data-role='lede']"), 1u);
    EXPECT_EQ(count("p[data-role=\"other\"]"), 0u);
    EXPECT_EQ(count("#a, #c"), 2u);      // comma list, document order
    EXPECT_EQ(count("my-widget"), 1u);   // elements gumbo does not know
    EXPECT_EQ(count(".story-not"), 0u);  // whole class names only
}

TEST(css_selector, unsupported_syntax_is_an_error_with_its_column) {
    for (const char* bad :
         {"div > p", "p:first-child", "a[href*=x]", "", ".", "#", "[", "[x", "p,", "a ~ b"}) {
        const auto s = css_selector::parse(bad);
        ASSERT_FALSE(s.ok()) << bad;
        EXPECT_NE(s.err().message.find("column"), std::string::npos) << s.err().message;
    }
    EXPECT_NE(css_selector::parse("div > p").err().message.find("column 5"), std::string::npos)
        << css_selector::parse("div > p").err().message;
}

}  // namespace
