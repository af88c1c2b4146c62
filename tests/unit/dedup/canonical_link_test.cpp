#include "newswatch/dedup/canonical_link.hpp"

#include <gtest/gtest.h>

namespace newswatch::dedup {
namespace {

TEST(canonical_link, drops_tracking_parameters_and_keeps_the_others_in_one_order) {
    const std::string plain = canonical_link("https://www.bbc.co.uk/news/world-123?id=7&page=2");
    EXPECT_EQ(plain, "https://bbc.co.uk/news/world-123?id=7&page=2");
    EXPECT_EQ(canonical_link("https://www.bbc.co.uk/news/world-123?utm_source=rss&page=2&utm_medium=feed&id=7"
                             "&fbclid=x&gclid=y&mc_cid=1&mc_eid=2&ocid=a&cmpid=b&at_medium=c&at_campaign=d"),
              plain);
    EXPECT_EQ(canonical_link("https://www.bbc.co.uk/news/world-123?page=2&id=7&UTM_Campaign=X"), plain);
}

TEST(canonical_link, ignores_scheme_case_default_port_fragment_www_and_trailing_slash) {
    const std::string expected = "https://example.com/a/b";
    for (const char* link : {"https://example.com/a/b", "HTTP://Example.COM/a/b", "http://example.com:80/a/b",
                             "https://example.com:443/a/b/", "https://www.example.com/a/b#comments",
                             "  https://example.com/a/b  "})
        EXPECT_EQ(canonical_link(link), expected) << link;
    EXPECT_EQ(canonical_link("https://example.com:8443/a/b"), "https://example.com:8443/a/b");
}

TEST(canonical_link, maps_amp_and_mobile_variants_to_the_article) {
    const std::string expected = "https://example.com/world/story-1";
    for (const char* link :
         {"https://amp.example.com/world/story-1", "https://m.example.com/world/story-1",
          "https://mobile.example.com/world/story-1", "https://example.com/world/story-1/amp",
          "https://example.com/world/story-1/amp/", "https://example.com/world/story-1.amp",
          "https://example.com/world/story-1?amp=1", "https://example.com/world/story-1?outputType=amp",
          "https://example.com/amp/world/story-1", "https://www.google.com/amp/s/example.com/world/story-1",
          "https://example-com.cdn.ampproject.org/c/s/example.com/world/story-1"})
        EXPECT_EQ(canonical_link(link), expected) << link;
    EXPECT_EQ(canonical_link("https://example.com/world/story-1.amp.html"),
              "https://example.com/world/story-1.html");
}

TEST(canonical_link, is_empty_for_what_is_no_web_link) {
    EXPECT_EQ(canonical_link(""), "");
    EXPECT_EQ(canonical_link("not a link"), "");
    EXPECT_EQ(canonical_link("urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a"), "");
    EXPECT_EQ(canonical_link("mailto:news@example.com"), "");
    EXPECT_EQ(canonical_link("/relative/path"), "");
}

TEST(canonical_link, tracking_parameters_are_the_documented_ones) {
    for (const char* name : {"utm_source", "utm_anything", "fbclid", "gclid", "mc_cid", "mc_eid", "ocid",
                             "cmpid", "at_medium", "at_xtor", "FBCLID", "msclkid", "igshid", "ns_campaign"})
        EXPECT_TRUE(is_tracking_parameter(name)) << name;
    for (const char* name : {"id", "page", "utm_", "at_", "q", "article", "amp"})
        EXPECT_FALSE(is_tracking_parameter(name)) << name;
}

}  // namespace
}  // namespace newswatch::dedup
