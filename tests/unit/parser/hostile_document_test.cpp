// Feed documents built to hurt a parser: deep nesting (no recursion in our code or pugixml
// may overflow the stack), entity expansion bombs, hundreds of thousands of items inside the
// fetcher's 16 MiB body cap, huge single nodes, broken UTF-8 and UTF-16 in JSON Feed.
// Time and memory of the large cases are measured in the report of issue #3, not asserted.
#include "newswatch/parser/feed_parser.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using namespace newswatch;
using parser::parse_feed;
using parser::parse_result;

constexpr int depth = 100'000;

std::string repeat(std::string_view s, std::size_t n) {
    std::string out;
    out.reserve(s.size() * n);
    for (std::size_t i = 0; i < n; ++i) out.append(s);
    return out;
}

bool has_warning(const parse_result& r, std::string_view text) {
    for (const auto& w : r.warnings)
        if (w.find(text) != std::string::npos) return true;
    return false;
}

bool valid_utf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        const std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (n == 0 || i + n > s.size()) return false;
        for (std::size_t k = 1; k < n; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
        i += n;
    }
    return true;
}

TEST(hostile_document, deeply_nested_markup_in_an_item_does_not_overflow_the_stack) {
    const std::string html = repeat("<div>", depth) + "deep text" + repeat("</div>", depth);
    auto r = parse_feed("<rss version=\"2.0\"><channel><title>t</title><item><title>x</title><description>" +
                        html + "</description></item></channel></rss>");
    ASSERT_TRUE(r.ok()) << r.error;
    ASSERT_EQ(r.items.size(), 1u);
    EXPECT_EQ(r.items[0].summary, "deep text");
}

TEST(hostile_document, deeply_nested_escaped_html_and_xhtml_content) {
    auto escaped = parse_feed("<rss version=\"2.0\"><channel><item><title>x</title><description>" +
                              repeat("&lt;b&gt;", depth) + "bold</description></item></channel></rss>");
    ASSERT_TRUE(escaped.ok()) << escaped.error;
    ASSERT_EQ(escaped.items.size(), 1u);
    EXPECT_EQ(escaped.items[0].summary, "bold");

    auto xhtml = parse_feed(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>t</title><entry><title>e</title>"
        "<content type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\">" +
        repeat("<span>", depth) + "inner" + repeat("</span>", depth) + "</div></content></entry></feed>");
    ASSERT_TRUE(xhtml.ok()) << xhtml.error;
    ASSERT_EQ(xhtml.items.size(), 1u);
    EXPECT_EQ(xhtml.items[0].content, "inner");
}

TEST(hostile_document, deep_nesting_outside_items_and_never_closed) {
    auto outside = parse_feed("<rss version=\"2.0\"><channel><title>t</title>" + repeat("<x>", depth) +
                              repeat("</x>", depth) + "<item><title>y</title></item></channel></rss>");
    ASSERT_TRUE(outside.ok()) << outside.error;
    EXPECT_EQ(outside.items.size(), 1u);

    // Ill-formed: the repair pass closes 100,000 open elements.
    auto unclosed =
        parse_feed("<rss version=\"2.0\"><channel><title>t</title><item><title>x</title><description>" +
                   repeat("<b>", depth) + "</item></channel></rss>");
    ASSERT_TRUE(unclosed.ok()) << unclosed.error;
    EXPECT_EQ(unclosed.items.size(), 1u);

    auto json =
        parse_feed("{\"version\":\"https://jsonfeed.org/version/1.1\",\"items\":[{\"id\":\"1\",\"x\":" +
                   repeat("[", depth) + repeat("]", depth) + "}]}");
    EXPECT_FALSE(json.ok());  // refused as too deep, not a crash
}

TEST(hostile_document, billion_laughs_is_not_expanded) {
    std::string doc = "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY lol \"lol\">";
    std::string previous = "lol";
    for (int i = 1; i <= 9; ++i) {
        const std::string name = "lol" + std::to_string(i);
        doc += "<!ENTITY " + name + " \"" + repeat("&" + previous + ";", 10) + "\">";
        previous = name;
    }
    doc +=
        "]><rss version=\"2.0\"><channel><title>&lol9;</title><item><title>&lol9;</title>"
        "<description>&lol9;&lol9;</description></item></channel></rss>";
    auto r = parse_feed(doc);
    ASSERT_TRUE(r.ok()) << r.error;
    ASSERT_EQ(r.items.size(), 1u);
    ASSERT_TRUE(r.items[0].title);
    EXPECT_LT(r.items[0].title->size(), 100u);  // 10^9 "lol"s would be 3 GB
    ASSERT_TRUE(r.items[0].summary);
    EXPECT_LT(r.items[0].summary->size(), 100u);
}

TEST(hostile_document, half_a_million_items_within_the_body_cap_stop_at_the_item_limit) {
    const std::string doc = "<rss version=\"2.0\"><channel><title>t</title>" +
                            repeat("<item><title>a</title></item>", 500'000) + "</channel></rss>";
    ASSERT_LT(doc.size(), 16u << 20);
    auto r = parse_feed(doc);
    ASSERT_TRUE(r.ok()) << r.error;
    EXPECT_EQ(r.items.size(), parser::default_max_items);
    EXPECT_TRUE(has_warning(r, "item limit reached: 490000 items after the first 10000 ignored"));
}

TEST(hostile_document, item_limit_applies_to_every_format) {
    parser::parse_options options;
    options.max_items = 3;
    auto rss10 = parse_feed(
        "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" "
        "xmlns=\"http://purl.org/rss/1.0/\">"
        "<channel><title>t</title></channel>" +
            repeat("<item><title>i</title><link>http://e/</link></item>", 5) + "</rdf:RDF>",
        options);
    auto atom = parse_feed("<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>t</title>" +
                               repeat("<entry><title>e</title><id>x</id></entry>", 5) + "</feed>",
                           options);
    std::string items;
    for (int i = 0; i < 5; ++i) items += std::string(i ? "," : "") + "{\"id\":\"" + std::to_string(i) + "\"}";
    auto json =
        parse_feed("{\"version\":\"https://jsonfeed.org/version/1.1\",\"items\":[" + items + "]}", options);
    for (const auto* r : {&rss10, &atom, &json}) {
        ASSERT_TRUE(r->ok()) << r->error;
        EXPECT_EQ(r->items.size(), 3u);
        EXPECT_TRUE(has_warning(*r, "2 items after the first 3 ignored"));
    }
    EXPECT_EQ(json.items[2].id, "2");  // the first ones, in document order
}

TEST(hostile_document, huge_single_text_and_attribute_nodes) {
    const std::string title(8 << 20, 'A');
    const std::string href(6 << 20, 'h');
    auto r = parse_feed("<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>t</title><entry><title>" + title +
                        "</title><link href=\"http://e/" + href + "\"/><id>i</id></entry></feed>");
    ASSERT_TRUE(r.ok()) << r.error;
    ASSERT_EQ(r.items.size(), 1u);
    EXPECT_EQ(r.items[0].title, title);
    ASSERT_TRUE(r.items[0].link);
    EXPECT_GT(r.items[0].link->size(), href.size());
}

TEST(hostile_document, invalid_utf8_and_overlong_sequences_in_json_feed_become_valid_text) {
    const std::string doc =
        "{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":\"t\xc0\xaf\xe0\x80\xaf \xff\xfe\","
        "\"items\":[{\"id\":\"1\",\"title\":\"over\xc0\xbclong \xed\xa0\x80 surrogate \xf4\x90\x80\x80\","
        "\"content_text\":\"x\xc1\xbf\"}]}";
    auto r = parse_feed(doc);
    ASSERT_TRUE(r.ok()) << r.error;
    ASSERT_EQ(r.items.size(), 1u);
    EXPECT_TRUE(valid_utf8(*r.items[0].title)) << *r.items[0].title;
    EXPECT_TRUE(valid_utf8(*r.items[0].content));
    EXPECT_TRUE(valid_utf8(*r.feed.title));
}

TEST(hostile_document, unpaired_surrogate_escapes_in_json_feed_are_replaced_not_fatal) {
    auto r = parse_feed(
        "{\"version\":\"https://jsonfeed.org/version/1.1\",\"items\":[{\"id\":\"1\","
        "\"title\":\"cut \\ud83d emoji \\udc00 pair \\ud83d\\ude00 literal \\\\ud800\"}]}");
    ASSERT_TRUE(r.ok()) << r.error;
    ASSERT_EQ(r.items.size(), 1u);
    EXPECT_EQ(r.items[0].title, "cut \xef\xbf\xbd emoji \xef\xbf\xbd pair \xf0\x9f\x98\x80 literal \\ud800");
    EXPECT_TRUE(has_warning(r, "2 unpaired UTF-16 surrogate escapes replaced"));
}

}  // namespace
