#include "newswatch/config/opml.hpp"

#include <gtest/gtest.h>

namespace newswatch::config {
namespace {

TEST(opml, nested_folders_and_categories_become_tags) {
    const auto doc = parse_opml(
        "<opml version=\"1.0\"><body><outline title=\"A\"><outline text=\"B\">"
        "<outline xmlurl=\"https://x.example/f\" text=\"X\" category=\"/c/d, e\"/></outline></outline>"
        "<outline xmlUrl=\"https://x.example/f\"/></body></opml>");
    ASSERT_TRUE(doc);
    ASSERT_EQ(doc->feeds.size(), 1u);
    EXPECT_EQ(doc->feeds[0].tags, (std::vector<std::string>{"A", "B", "c/d", "e"}));
    EXPECT_EQ(doc->feeds[0].title, "X");
    ASSERT_EQ(doc->notices.size(), 1u);
    EXPECT_NE(doc->notices[0].message.find("duplicate feed URL"), std::string::npos);
}

TEST(opml, what_is_not_opml_is_an_error_with_a_line) {
    EXPECT_FALSE(parse_opml("<rss/>"));
    EXPECT_FALSE(parse_opml("<opml><head/></opml>"));
    const auto broken = parse_opml("<opml>\n<body>\n<outline");
    ASSERT_FALSE(broken);
    EXPECT_NE(broken.err().message.find("line 3"), std::string::npos) << broken.err().message;
}

TEST(opml, write_then_parse_gives_the_same_feeds) {
    std::vector<opml_feed> feeds(3);
    feeds[0].url = "https://a.example/f?x=1&y=2";
    feeds[0].title = "A <&> \"q\"";
    feeds[0].tags = {"news", "eu"};
    feeds[1].url = "https://b.example/f";
    feeds[2].url = "https://c.example/f";
    feeds[2].tags = {"news"};
    const auto back = parse_opml(write_opml(feeds, "t"));
    ASSERT_TRUE(back);
    ASSERT_EQ(back->feeds.size(), 3u);
    EXPECT_EQ(back->feeds[0].url, feeds[0].url);
    EXPECT_EQ(back->feeds[0].title, feeds[0].title);
    EXPECT_EQ(back->feeds[0].tags, feeds[0].tags);
    EXPECT_EQ(back->feeds[1].url, feeds[2].url);  // grouped in the "news" folder
    EXPECT_EQ(back->feeds[2].url, feeds[1].url);
    EXPECT_EQ(back->feeds[2].title, "https://b.example/f");
}

TEST(opml, feed_tables_escape_toml_strings) {
    opml_feed f;
    f.url = "https://a.example/\"x\"";
    f.title = "tab\there\\";
    f.tags = {"a"};
    EXPECT_EQ(
        feed_tables_toml({f}),
        "[[feed]]\nurl = \"https://a.example/\\\"x\\\"\"\ntitle = \"tab\\there\\\\\"\ntags = [\"a\"]\n\n");
}

}  // namespace
}  // namespace newswatch::config
