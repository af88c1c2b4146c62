#include "newswatch/extract/article_extractor.hpp"

#include <gtest/gtest.h>

#include <string>

#include "newswatch/core/time.hpp"

namespace {

using namespace newswatch;
using extract::extract_article;

const std::string paragraph1 =
    "Foreign ministers of the alliance met in Brussels on Tuesday, and agreed on a new package of air "
    "defence systems, ammunition and training for Ukraine's armed forces.";
const std::string paragraph2 =
    "The secretary general said the decision, reached after two days of talks, showed that allies remained "
    "united, although several governments asked for more time to consider the costs.";
const std::string paragraph3 =
    "Officials in Kyiv welcomed the move, but said deliveries had to arrive before winter, when attacks on "
    "the power grid usually intensify, and called for faster procurement.";

std::string news_page(std::string_view head_extra = {}, std::string_view article_attrs = {}) {
    return "<!DOCTYPE html><html lang=\"en-GB\"><head><title>Allies agree air defence package | Example "
           "News</title>" +
           std::string(head_extra) +
           "</head><body><header class=\"site-header\"><nav><a href=\"/\">Home</a> <a "
           "href=\"/world\">World</a> "
           "<a href=\"/sport\">Sport</a></nav></header>"
           "<div class=\"sidebar\"><h3>Most read</h3><ul><li><a href=\"/1\">Celebrity weds, again, in "
           "Rome</a></li>"
           "<li><a href=\"/2\">Ten recipes for a long, cold winter</a></li></ul></div>"
           "<article" +
           std::string(article_attrs) +
           "><h1>Allies agree air defence package</h1>"
           "<p class=\"byline\">By Jane Roe</p>"
           "<div class=\"share-tools\"><a href=\"/s/fb\">Share on Facebook</a><a href=\"/s/x\">Share on "
           "X</a></div>"
           "<p>" +
           paragraph1 + "</p><p>" + paragraph2 + "</p><p>" + paragraph3 +
           "</p></article>"
           "<div id=\"comments\"><p>First, great article, thanks, really, I mean it, absolutely.</p></div>"
           "<footer><p>Copyright, Example News, all rights reserved, 2026.</p></footer>"
           "<script>var x = 'Foreign ministers of the alliance, script text';</script></body></html>";
}

TEST(article_extractor, scoring_finds_the_article_and_leaves_the_page_furniture) {
    const auto a = extract_article(news_page(), {.base_url = "https://news.example/world/1"});
    EXPECT_EQ(a.source, extract::content_source::scoring);
    EXPECT_NE(a.text.find(paragraph1), std::string::npos) << a.text;
    EXPECT_NE(a.text.find(paragraph2 + "\n\n" + paragraph3), std::string::npos) << a.text;
    for (const char* junk :
         {"Most read", "Celebrity", "Share on", "great article", "Copyright", "script text", "Home"})
        EXPECT_EQ(a.text.find(junk), std::string::npos) << junk << " in:\n" << a.text;
    EXPECT_EQ(a.title, "Allies agree air defence package");
    EXPECT_EQ(a.byline, "By Jane Roe");
    EXPECT_EQ(a.lang, "en-GB");
    EXPECT_EQ(a.canonical_url, "https://news.example/world/1");
}

TEST(article_extractor, json_ld_news_article_and_meta_give_the_metadata) {
    const std::string head =
        R"(<link rel="canonical" href="/world/allies-agree"><meta property="og:title" content="OG title">)"
        R"(<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"Site"},)"
        R"({"@type":["NewsArticle"],"headline":"Allies agree a package","datePublished":"2026-03-01T10:30:00+01:00",)"
        R"("author":[{"@type":"Person","name":"Jane Roe"},{"@type":"Person","name":"John Doe"}],"inLanguage":"en"}]}</script>)";
    const auto a = extract_article(news_page(head), {.base_url = "https://news.example/a?x=1"});
    EXPECT_EQ(a.title, "Allies agree a package");
    EXPECT_EQ(a.byline, "Jane Roe, John Doe");
    ASSERT_TRUE(a.published.has_value());
    EXPECT_EQ(core::format_rfc3339(*a.published), "2026-03-01T09:30:00Z");
    EXPECT_EQ(a.canonical_url, "https://news.example/world/allies-agree");
    // The byline element stays in the text when the metadata already named the author.
    EXPECT_NE(a.text.find(paragraph1), std::string::npos);
}

TEST(article_extractor, meta_tags_when_there_is_no_json_ld) {
    const std::string head =
        R"(<meta property="og:title twitter:title" content="Meta title"><meta name="author" content="Ann Lee">)"
        R"(<meta property="article:published_time" content="2026-02-03T04:05:06Z"><meta property="og:url" content="https://news.example/m">)";
    const auto a = extract_article(news_page(head));
    EXPECT_EQ(a.title, "Meta title");
    EXPECT_EQ(a.byline, "Ann Lee");
    ASSERT_TRUE(a.published.has_value());
    EXPECT_EQ(core::format_rfc3339(*a.published), "2026-02-03T04:05:06Z");
    EXPECT_EQ(a.canonical_url, "https://news.example/m");
}

TEST(article_extractor, schema_org_article_body_microdata_wins) {
    const std::string page = "<html><body><div class=\"content\"><p>" + paragraph1 + "</p><p>" + paragraph2 +
                             "</p><p>" + paragraph3 + "</p></div><div itemprop=\"articleBody\"><p>" +
                             paragraph3 + "</p></div></body></html>";
    const auto a = extract_article(page);
    EXPECT_EQ(a.source, extract::content_source::article_body);
    EXPECT_EQ(a.text, paragraph3);
}

TEST(article_extractor, json_ld_article_body_when_the_page_renders_it_with_script) {
    const std::string page =
        R"(<html><head><script type="application/ld+json">{"@type":"NewsArticle","headline":"H","articleBody":")" +
        paragraph1 + " " + paragraph2 + R"("}</script></head><body><div id="app"></div></body></html>)";
    const auto a = extract_article(page);
    EXPECT_EQ(a.source, extract::content_source::json_ld);
    EXPECT_EQ(a.text, paragraph1 + " " + paragraph2);
}

TEST(article_extractor, content_selector_overrides_scoring_and_reports_a_miss) {
    const auto selector = extract::css_selector::parse("#comments p, footer");
    ASSERT_TRUE(selector.ok());
    const auto a = extract_article(news_page(), {.content_selector = &*selector});
    EXPECT_EQ(a.source, extract::content_source::selector);
    EXPECT_EQ(a.text,
              "First, great article, thanks, really, I mean it, absolutely.\n\n"
              "Copyright, Example News, all rights reserved, 2026.");
    const auto miss = extract::css_selector::parse(".no-such-class");
    const auto b = extract_article(news_page(), {.content_selector = &*miss});
    EXPECT_EQ(b.source, extract::content_source::scoring);
    ASSERT_EQ(b.warnings.size(), 1u);
    EXPECT_NE(b.warnings[0].find(".no-such-class"), std::string::npos);
}

TEST(article_extractor, charset_from_meta_and_from_content_type) {
    const std::string body =
        "<p>\x93"
        "Caf\xE9\x94 \x96 " +
        paragraph1 + "</p>";
    const auto a =
        extract_article("<html><head><meta charset=\"iso-8859-1\"></head><body>" + body + "</body></html>");
    EXPECT_EQ(a.text.substr(0, 16), "\u201CCaf\u00E9\u201D \u2013 ");
    const auto b = extract_article("<html><body>" + body + "</body></html>",
                                   {.content_type = "text/html; charset=windows-1252"});
    EXPECT_EQ(b.text.substr(0, 16), "\u201CCaf\u00E9\u201D \u2013 ");
}

TEST(article_extractor, hostile_pages_give_values) {
    EXPECT_TRUE(extract_article("").text.empty());
    EXPECT_TRUE(extract_article("\xFF\xFE\x00").text.empty());
    std::string deep;
    for (int i = 0; i < 5000; ++i) deep += "<div>";
    deep += "<p>" + paragraph1 + "</p>";
    const auto a = extract_article(deep);  // deeper than the walk limit: no crash, no text
    EXPECT_TRUE(a.text.empty() || a.text.find("Foreign") != std::string::npos);
    const auto b =
        extract_article("<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"headline\":[[[[[");
    EXPECT_FALSE(b.title.has_value());
}

}  // namespace
