// Issue 15, item 4: the parser's remaining gaps, one test each.
#include "newswatch/parser/feed_parser.hpp"

#include <gtest/gtest.h>

#include <string>

#include "newswatch/core/time.hpp"

namespace {

using namespace newswatch;
using parser::parse_feed;
using parser::parse_result;

parse_result parse(std::string_view xml, std::string_view content_type = {}) {
    parser::parse_options options;
    options.content_type = content_type;
    options.base_url = "https://example.org/feed.xml";
    return parse_feed(xml, options);
}

std::string rss_item(std::string_view channel_ns, std::string_view item_body) {
    return "<?xml version=\"1.0\"?><rss version=\"2.0\" " + std::string(channel_ns) +
           "><channel><title>t</title><item>" + std::string(item_body) + "</item></channel></rss>";
}

// --- WHATWG label mapping: ISO-8859-1 and US-ASCII mean windows-1252 -------------------------

// 0x93/0x94 are windows-1252's curly quotes; 0x81 is a byte windows-1252 leaves undefined in
// iconv but WHATWG maps to U+0081, so it must not make the whole declaration "not fit".
const std::string latin1_body =
    "<rss version=\"2.0\"><channel><title>t</title><item><title>\x93Quoted\x94 caf\xE9 \x96 "
    "ok\x81</title></item></channel></rss>";

TEST(issue15_parser_charset, iso_8859_1_declared_decodes_as_windows_1252) {
    const auto r = parse("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>" + latin1_body);
    ASSERT_TRUE(r.ok()) << r.error;
    EXPECT_EQ(r.encoding, "windows-1252");
    EXPECT_TRUE(r.warnings.empty()) << r.warnings.at(0);  // the label fits: no detection
    ASSERT_EQ(r.items.size(), 1u);
    // 0x81 decodes to U+0081, not U+FFFD (kept by the decoder; outputs escape C1 controls).
    EXPECT_EQ(r.items[0].title, "\u201CQuoted\u201D caf\u00E9 \u2013 ok\u0081");
}

TEST(issue15_parser_charset, us_ascii_from_http_decodes_as_windows_1252) {
    const auto r = parse("<?xml version=\"1.0\"?>" + latin1_body, "application/rss+xml; charset=US-ASCII");
    ASSERT_TRUE(r.ok()) << r.error;
    EXPECT_EQ(r.encoding, "windows-1252");
    EXPECT_TRUE(r.warnings.empty()) << r.warnings.at(0);
    ASSERT_EQ(r.items.size(), 1u);
    EXPECT_EQ(r.items[0].title, "\u201CQuoted\u201D caf\u00E9 \u2013 ok\u0081");
}

TEST(issue15_parser_charset, latin1_label_variants_map_to_windows_1252) {
    for (const char* label : {"latin1", "l1", "iso_8859-1", "ascii", "ANSI_X3.4-1968", "cp1252"}) {
        const auto r = parse("<?xml version=\"1.0\" encoding=\"" + std::string(label) + "\"?>" + latin1_body);
        ASSERT_TRUE(r.ok()) << label;
        EXPECT_EQ(r.encoding, "windows-1252") << label;
        EXPECT_TRUE(r.warnings.empty()) << label << ": " << r.warnings.at(0);
        EXPECT_EQ(r.items.at(0).title, "\u201CQuoted\u201D caf\u00E9 \u2013 ok\u0081") << label;
    }
}

// --- space character references keep their character ---------------------------------------

TEST(issue15_parser_text, nbsp_and_other_space_references_keep_their_character) {
    const auto r = parse(rss_item("",
                                  "<title>10&#160;km from Kyiv</title>"
                                  "<description>Price:&amp;nbsp;5&amp;thinsp;%, 1&amp;#8239;000 "
                                  "and&amp;#x2002;more</description>"));
    ASSERT_TRUE(r.ok()) << r.error;
    ASSERT_EQ(r.items.size(), 1u);
    EXPECT_EQ(r.items[0].title, "10\u00A0km from Kyiv");
    EXPECT_EQ(r.items[0].summary, "Price:\u00A05\u2009%, 1\u202F000 and\u2002more");
}

// --- Atom 0.3 under namespace URI variants ---------------------------------------------------

TEST(issue15_parser_atom03, namespace_uri_variants_are_atom_03) {
    for (const char* uri :
         {"http://purl.org/atom/ns#", "http://purl.org/atom/ns", "https://purl.org/atom/ns#",
          "http://purl.org/atom/ns/", "HTTP://PURL.ORG/ATOM/NS#",
          "http://purl.org/atom/ns#draft-ietf-atompub-format-03"}) {
        const std::string xml = "<feed version=\"0.3\" xmlns=\"" + std::string(uri) +
                                "\"><title>f</title><entry><title>e</title><id>tag:1</id>"
                                "<link rel=\"alternate\" type=\"text/html\" href=\"https://example.org/a\"/>"
                                "<issued>2024-03-01T10:00:00Z</issued></entry></feed>";
        const auto r = parse(xml);
        ASSERT_TRUE(r.ok()) << uri << ": " << r.error;
        EXPECT_EQ(r.format, parser::feed_format::atom03) << uri;
        ASSERT_EQ(r.items.size(), 1u) << uri;
        EXPECT_EQ(r.items[0].title, "e") << uri;
        EXPECT_EQ(r.items[0].link, "https://example.org/a") << uri;
        EXPECT_TRUE(r.items[0].published.has_value()) << uri;
    }
}

// --- upper-case iTunes elements --------------------------------------------------------------

TEST(issue15_parser_itunes, upper_case_element_names) {
    const auto r = parse(rss_item("xmlns:itunes=\"http://www.itunes.com/DTDs/Podcast-1.0.dtd\"",
                                  "<title>ep</title><itunes:Author>Jane Roe</itunes:Author>"
                                  "<itunes:SUMMARY>About NATO</itunes:SUMMARY>"));
    ASSERT_TRUE(r.ok()) << r.error;
    ASSERT_EQ(r.items.size(), 1u);
    ASSERT_EQ(r.items[0].authors.size(), 1u);
    EXPECT_EQ(r.items[0].authors[0].name, "Jane Roe");
    EXPECT_EQ(r.items[0].summary, "About NATO");
}

// --- dcterms:modified and dcterms:created as dates --------------------------------------------

TEST(issue15_parser_dates, dcterms_created_and_modified_in_atom_entries_and_feeds) {
    const auto r = parse(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xmlns:dcterms=\"http://purl.org/dc/terms/\">"
        "<title>f</title><dcterms:modified>2024-03-02T00:00:00Z</dcterms:modified>"
        "<entry><id>1</id><title>e</title>"
        "<dcterms:created>2024-03-01T10:00:00Z</dcterms:created>"
        "<dcterms:modified>2024-03-01T12:00:00Z</dcterms:modified></entry></feed>");
    ASSERT_TRUE(r.ok()) << r.error;
    ASSERT_EQ(r.items.size(), 1u);
    ASSERT_TRUE(r.items[0].published.has_value());
    ASSERT_TRUE(r.items[0].updated.has_value());
    EXPECT_EQ(core::format_rfc3339(*r.items[0].published), "2024-03-01T10:00:00Z");
    EXPECT_EQ(core::format_rfc3339(*r.items[0].updated), "2024-03-01T12:00:00Z");
    ASSERT_TRUE(r.feed.updated.has_value());
    EXPECT_EQ(core::format_rfc3339(*r.feed.updated), "2024-03-02T00:00:00Z");
}

TEST(issue15_parser_dates, dcterms_modified_dates_an_rss_channel_and_an_undated_item) {
    const auto r = parse(
        "<rss version=\"2.0\" xmlns:dcterms=\"http://purl.org/dc/terms/\"><channel><title>t</title>"
        "<dcterms:modified>2024-03-02T00:00:00Z</dcterms:modified>"
        "<item><title>a</title><dcterms:modified>2024-03-01T12:00:00Z</dcterms:modified></item>"
        "</channel></rss>");
    ASSERT_TRUE(r.ok()) << r.error;
    ASSERT_TRUE(r.feed.updated.has_value());
    EXPECT_EQ(core::format_rfc3339(*r.feed.updated), "2024-03-02T00:00:00Z");
    ASSERT_EQ(r.items.size(), 1u);
    ASSERT_TRUE(r.items[0].updated.has_value());
    EXPECT_EQ(core::format_rfc3339(*r.items[0].updated), "2024-03-01T12:00:00Z");
}

// --- media:category and nested itunes:category -----------------------------------------------

TEST(issue15_parser_categories, media_category_and_nested_itunes_category) {
    const auto r =
        parse(rss_item("xmlns:media=\"http://search.yahoo.com/mrss/\" "
                       "xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\"",
                       "<title>a</title><media:category scheme=\"urn:x\">World/Europe</media:category>"
                       "<itunes:category text=\"News\"><itunes:category text=\"Politics\"/>"
                       "</itunes:category><media:group><media:category>Defence</media:category>"
                       "</media:group>"));
    ASSERT_TRUE(r.ok()) << r.error;
    ASSERT_EQ(r.items.size(), 1u);
    EXPECT_EQ(r.items[0].categories,
              (std::vector<std::string>{"World/Europe", "News", "Politics", "Defence"}));
}

TEST(issue15_parser_categories, media_category_in_atom_entries) {
    const auto r = parse(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xmlns:media=\"http://search.yahoo.com/mrss/\">"
        "<title>f</title><entry><id>1</id><title>e</title>"
        "<media:category>Ukraine</media:category></entry></feed>");
    ASSERT_TRUE(r.ok()) << r.error;
    ASSERT_EQ(r.items.size(), 1u);
    EXPECT_EQ(r.items[0].categories, (std::vector<std::string>{"Ukraine"}));
}

// --- a link without href never outranks an alternate link -------------------------------------

TEST(issue15_parser_links, atom_link_without_href_never_outranks_an_alternate) {
    const auto r = parse(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>f</title>"
        "<link rel=\"alternate\"/><link rel=\"alternate\" type=\"application/json\" "
        "href=\"https://example.org/home.json\"/>"
        "<entry><id>1</id><title>e</title><link/>"
        "<link rel=\"alternate\" type=\"application/pdf\" href=\"https://example.org/a.pdf\"/>"
        "</entry><entry><id>2</id><title>e2</title><link rel=\"alternate\" href=\"\"/>"
        "<link href=\"https://example.org/b\"/></entry></feed>");
    ASSERT_TRUE(r.ok()) << r.error;
    EXPECT_EQ(r.feed.link, "https://example.org/home.json");
    ASSERT_EQ(r.items.size(), 2u);
    EXPECT_EQ(r.items[0].link, "https://example.org/a.pdf");
    EXPECT_EQ(r.items[1].link, "https://example.org/b");
}

TEST(issue15_parser_links, rss_atom_link_without_href_is_no_link) {
    const auto r = parse(rss_item("xmlns:atom=\"http://www.w3.org/2005/Atom\"",
                                  "<title>a</title><atom:link/><atom:link rel=\"alternate\" "
                                  "href=\"https://example.org/c\"/>"));
    ASSERT_TRUE(r.ok()) << r.error;
    ASSERT_EQ(r.items.size(), 1u);
    EXPECT_EQ(r.items[0].link, "https://example.org/c");
}

}  // namespace
