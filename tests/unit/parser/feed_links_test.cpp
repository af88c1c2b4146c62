#include "newswatch/parser/feed_links.hpp"

#include <gtest/gtest.h>

namespace newswatch::parser {
namespace {

TEST(feed_links, alternate_links_of_feed_types_resolved_against_base) {
    const auto links = find_feed_links(
        "<html><head><base href=\"https://cdn.example/blog/\">"
        "<link rel='alternate feed' type='application/atom+xml; charset=utf-8' href='atom.xml' title=' Atom "
        "'>"
        "<link rel=alternate type=application/feed+json href=/feed.json>"
        "<link rel=\"alternate\" type=\"text/html\" href=\"/page\">"
        "<link rel=\"stylesheet\" type=\"application/rss+xml\" href=\"/no.xml\">"
        "<link type=\"application/rss+xml\" rel=\"ALTERNATE\" href=\"atom.xml\">"
        "<link rel=\"alternate\" type=\"application/rss+xml\" href=\"\">",
        "https://www.example/page");
    ASSERT_EQ(links.size(), 2u);
    EXPECT_EQ(links[0].url, "https://cdn.example/blog/atom.xml");
    EXPECT_EQ(links[0].title, "Atom");
    EXPECT_EQ(links[0].type, "application/atom+xml; charset=utf-8");
    EXPECT_EQ(links[1].url, "https://cdn.example/feed.json");
    EXPECT_FALSE(links[1].title);
}

TEST(feed_links, truncated_and_hostile_markup_ends_cleanly) {
    EXPECT_TRUE(find_feed_links("<link rel=\"alternate\" type=\"application/rss+xml\" href=\"/x", "http://a/")
                    .size() <= 1);
    EXPECT_TRUE(find_feed_links("<!-- <link", "http://a/").empty());
    EXPECT_TRUE(find_feed_links("<", "").empty());
    EXPECT_TRUE(find_feed_links("<link", "").empty());
    std::string many;
    for (int i = 0; i < 1000; ++i)
        many += "<link rel=alternate type=application/rss+xml href=/f" + std::to_string(i) + ">";
    EXPECT_EQ(find_feed_links(many, "http://a/", 100).size(), 100u);
}

}  // namespace
}  // namespace newswatch::parser
