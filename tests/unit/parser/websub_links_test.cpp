// WebSub discovery in documents (issue #16 item 3, W3C WebSub §4): rel="hub" and
// rel="self" links in Atom, atom:link in RSS 2.0 and JSON Feed "hubs" / "feed_url".
#include "newswatch/parser/feed_parser.hpp"

#include <gtest/gtest.h>

namespace {

using namespace newswatch;

parser::parse_result parse(const std::string& text, std::string_view base = "https://site.example/feed") {
    parser::parse_options options;
    options.base_url = base;
    return parser::parse_feed(text, options);
}

TEST(parser_websub, atom_hub_and_self_links_are_exposed_resolved) {
    const auto r = parse(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>t</title>"
        "<link rel=\"alternate\" href=\"https://site.example/\"/>"
        "<link rel=\"hub\" href=\"https://hub.example/\"/><link rel=\"hub\" href=\"/local-hub\"/>"
        "<link rel=\"hub\" href=\"https://hub.example/\"/>"
        "<link rel=\"self\" href=\"https://site.example/atom.xml\"/></feed>");
    ASSERT_TRUE(r.ok()) << r.error;
    EXPECT_EQ(r.feed.hubs,
              (std::vector<std::string>{"https://hub.example/", "https://site.example/local-hub"}));
    EXPECT_EQ(r.feed.self_url, "https://site.example/atom.xml");
    EXPECT_EQ(r.feed.link, "https://site.example/");
}

TEST(parser_websub, rss_atom_links_name_the_hub_and_topic) {
    const auto r = parse(
        "<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\"><channel><title>t</title>"
        "<link>https://site.example/</link>"
        "<atom:link rel=\"hub\" href=\"https://pubsubhubbub.appspot.com/\"/>"
        "<atom:link rel=\"self\" href=\"https://site.example/feed/\" type=\"application/rss+xml\"/>"
        "<item><title>x</title><guid>1</guid></item></channel></rss>");
    ASSERT_TRUE(r.ok()) << r.error;
    EXPECT_EQ(r.feed.hubs, std::vector<std::string>{"https://pubsubhubbub.appspot.com/"});
    EXPECT_EQ(r.feed.self_url, "https://site.example/feed/");
    EXPECT_EQ(r.feed.link, "https://site.example/");  // the self link is no alternate
}

TEST(parser_websub, json_feed_hubs_and_feed_url) {
    const auto r = parse(
        R"({"version":"https://jsonfeed.org/version/1.1","title":"t","feed_url":"https://site.example/feed.json",)"
        R"("hubs":[{"type":"WebSub","url":"https://hub.example/"},{"type":"rssCloud"}],"items":[]})");
    ASSERT_TRUE(r.ok()) << r.error;
    EXPECT_EQ(r.feed.hubs, std::vector<std::string>{"https://hub.example/"});
    EXPECT_EQ(r.feed.self_url, "https://site.example/feed.json");
}

TEST(parser_websub, a_feed_without_hubs_has_none_and_hostile_counts_are_capped) {
    EXPECT_TRUE(parse("<rss version=\"2.0\"><channel><title>t</title></channel></rss>").feed.hubs.empty());
    std::string many = "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>t</title>";
    for (int i = 0; i < 100; ++i)
        many += "<link rel=\"hub\" href=\"https://hub" + std::to_string(i) + ".example/\"/>";
    many += "</feed>";
    EXPECT_EQ(parse(many).feed.hubs.size(), 8u);
}

}  // namespace
