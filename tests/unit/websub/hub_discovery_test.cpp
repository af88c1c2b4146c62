// WebSub discovery (W3C WebSub §4): Link headers and document links.
#include "newswatch/websub/hub_discovery.hpp"

#include <gtest/gtest.h>

namespace newswatch::websub {
namespace {

TEST(hub_discovery, link_headers_in_their_usual_spellings) {
    const auto links = parse_link_headers(
        {"<https://hub.example/>; rel=\"hub\", <https://a.example/feed>; rel=self",
         "<https://second.example/hub>;rel=\"hub alternate\"", "<https://a.example/other>; rel=\"self\"",
         "</relative>; rel=hub", "<ftp://x.example/>; rel=hub", "garbage, <https://b.example/>; type=\"x\""});
    EXPECT_EQ(links.hubs, (std::vector<std::string>{"https://hub.example/", "https://second.example/hub"}));
    EXPECT_EQ(links.self, "https://a.example/feed");  // the first self counts
}

TEST(hub_discovery, headers_win_over_the_document) {
    core::feed_meta doc;
    doc.hubs = {"https://doc-hub.example/"};
    doc.self_url = "https://a.example/doc-self";
    const auto d = discover({"<https://hdr-hub.example/>; rel=hub"}, doc, "https://a.example/fetched");
    EXPECT_EQ(d.hubs, std::vector<std::string>{"https://hdr-hub.example/"});
    EXPECT_EQ(d.topic, "https://a.example/doc-self");  // no self header: the document's
}

TEST(hub_discovery, the_document_when_no_header_names_a_hub_and_the_fetched_url_as_last_resort) {
    core::feed_meta doc;
    doc.hubs = {"https://doc-hub.example/"};
    auto d = discover({"<https://a.example/x>; rel=self"}, doc, "https://a.example/fetched");
    EXPECT_EQ(d.hubs, std::vector<std::string>{"https://doc-hub.example/"});
    EXPECT_EQ(d.topic, "https://a.example/fetched");
    EXPECT_TRUE(discover({}, core::feed_meta{}, "https://a.example/f").hubs.empty());
}

}  // namespace
}  // namespace newswatch::websub
