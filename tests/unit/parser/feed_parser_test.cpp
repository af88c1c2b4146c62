// parse_feed on the fixtures in tests/data/parser/: one per charset, recovery case and
// format feature, named for the case.
#include "newswatch/parser/feed_parser.hpp"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>

#include "newswatch/core/time.hpp"
#include "newswatch/parser/feed_json.hpp"
#include "test_paths.hpp"

namespace {

using namespace newswatch;
using parser::parse_feed;
using parser::parse_result;

std::string fixture(const std::string& name) {
    return newswatch::testing::read_file(newswatch::testing::source_dir() / "tests/data/parser" / name);
}

parse_result parse_fixture(const std::string& name, std::string_view content_type = {}) {
    parser::parse_options options;
    options.content_type = content_type;
    return parse_feed(fixture(name), options);
}

std::string all_warnings(const parse_result& r) {
    std::string out;
    for (const auto& w : r.warnings) out += w + "\n";
    return out;
}

const std::string uk_title = "Україна і НАТО: нова угода";

// --- charsets ------------------------------------------------------------------------

TEST(parser_charset, windows1251_declared) {
    const auto r = parse_fixture("charset_windows1251_declared.xml");
    ASSERT_TRUE(r.ok()) << r.error;
    EXPECT_EQ(r.encoding, "windows-1251");
    EXPECT_TRUE(r.warnings.empty()) << all_warnings(r);
    ASSERT_EQ(r.items.size(), 1u);
    EXPECT_EQ(r.items[0].title, uk_title);
    EXPECT_EQ(r.items[0].summary, "Київ — Єдність, ґрунт, їжак.");
}

TEST(parser_charset, koi8r_declared) {
    const auto r = parse_fixture("charset_koi8r_declared.xml");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.encoding, "koi8-r");
    EXPECT_EQ(r.items.at(0).title, "Россия и НАТО: заявление");
    EXPECT_EQ(r.items.at(0).summary, "Москва");
}

TEST(parser_charset, koi8u_declared) {
    const auto r = parse_fixture("charset_koi8u_declared.xml");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.encoding, "koi8-u");
    EXPECT_EQ(r.items.at(0).title, uk_title);
    EXPECT_EQ(r.items.at(0).summary, "Київ, ґрунт");
}

TEST(parser_charset, iso8859_2_polish) {
    const auto r = parse_fixture("charset_iso8859_2_polish.xml");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.encoding, "iso-8859-2");
    EXPECT_EQ(r.items.at(0).title, "Polska i NATO: żółć, źdźbło");
    EXPECT_EQ(r.items.at(0).summary, "Gdańsk");
}

TEST(parser_charset, utf8_bom) {
    const auto r = parse_fixture("charset_utf8_bom.xml");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.encoding, "utf-8");
    EXPECT_TRUE(r.warnings.empty()) << all_warnings(r);
    EXPECT_EQ(r.items.at(0).title, uk_title);
}

TEST(parser_charset, utf16le_bom) {
    const auto r = parse_fixture("charset_utf16le_bom.xml");
    ASSERT_TRUE(r.ok()) << r.error;
    EXPECT_EQ(r.encoding, "utf-16");
    EXPECT_EQ(r.items.at(0).title, uk_title);
}

TEST(parser_charset, http_says_latin1_but_body_is_utf8_falls_back_with_warning) {
    const auto r =
        parse_fixture("charset_http_latin1_body_utf8.xml", "application/rss+xml; charset=ISO-8859-1");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.encoding, "utf-8");
    EXPECT_FALSE(r.warnings.empty());
    EXPECT_EQ(r.items.at(0).title, uk_title);
}

TEST(parser_charset, http_says_latin1_but_xml_declares_windows1251) {
    const auto r = parse_fixture("charset_http_latin1_body_windows1251.xml", "text/xml; charset=iso-8859-1");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.encoding, "windows-1251");
    EXPECT_FALSE(r.warnings.empty());
    EXPECT_EQ(r.items.at(0).title, uk_title);
}

TEST(parser_charset, http_charset_wins_when_it_fits) {
    // RFC 7303: the HTTP charset overrides the XML declaration when both are plausible.
    const auto r = parse_fixture("charset_koi8r_declared.xml", "text/xml; charset=\"koi8-r\"");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.encoding, "koi8-r");
    EXPECT_TRUE(r.warnings.empty()) << all_warnings(r);
}

TEST(parser_charset, undeclared_windows1251_is_detected) {
    const auto r = parse_fixture("charset_undeclared_windows1251.xml");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.encoding, "windows-1251");
    EXPECT_FALSE(r.warnings.empty());
    EXPECT_EQ(r.items.at(0).title, uk_title);
}

TEST(parser_charset, undeclared_koi8r_is_detected) {
    const auto r = parse_fixture("charset_undeclared_koi8r.xml");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.encoding, "koi8-r");
    EXPECT_EQ(r.items.at(0).title, "Россия и НАТО: заявление");
}

TEST(parser_charset, declared_utf8_but_body_windows1251_falls_back) {
    const auto r = parse_fixture("charset_declared_utf8_body_windows1251.xml");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.encoding, "windows-1251");
    EXPECT_FALSE(r.warnings.empty());
    EXPECT_EQ(r.items.at(0).title, uk_title);
}

TEST(parser_charset, invalid_utf8_bytes_are_replaced_not_dropped) {
    const auto r = parse_fixture("charset_invalid_utf8_bytes.xml");
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r.items.size(), 1u);
    // One stray byte in otherwise valid UTF-8: replaced by U+FFFD (windows-1252 detection
    // would not be wrong either; either way the item is kept and the rest intact).
    ASSERT_TRUE(r.items[0].title.has_value());
    EXPECT_NE(r.items[0].title->find("Caf"), std::string::npos);
    EXPECT_NE(r.items[0].title->find(" ok"), std::string::npos);
    EXPECT_FALSE(r.warnings.empty());
}

// --- recovery ------------------------------------------------------------------------

void expect_three_items_with_warning(const parse_result& r, const std::string& middle_title) {
    ASSERT_TRUE(r.ok()) << r.error;
    EXPECT_FALSE(r.warnings.empty()) << "an ill-formed feed must say so";
    ASSERT_EQ(r.items.size(), 3u) << all_warnings(r);
    EXPECT_EQ(r.items[0].title, "First");
    EXPECT_EQ(r.items[1].title, middle_title);
    EXPECT_EQ(r.items[2].title, "Last");
}

TEST(parser_recovery, unescaped_ampersand) {
    const auto r = parse_fixture("recovery_unescaped_ampersand.xml");
    expect_three_items_with_warning(r, "Fish & Chips");
    EXPECT_EQ(r.items[1].link, "http://example.org/2?a=1&b=2");
}

TEST(parser_recovery, undefined_entities_are_decoded_as_html) {
    const auto r = parse_fixture("recovery_undefined_entities.xml");
    expect_three_items_with_warning(r, "Café — news…\u00A0now");
}

TEST(parser_recovery, mismatched_tags) {
    const auto r = parse_fixture("recovery_mismatched_tags.xml");
    expect_three_items_with_warning(r, "Middle");
    EXPECT_EQ(r.items[1].summary, "bold");
}

TEST(parser_recovery, unclosed_element) {
    const auto r = parse_fixture("recovery_unclosed_element.xml");
    expect_three_items_with_warning(r, "Middle");
    EXPECT_EQ(r.items[1].summary, "para");
}

TEST(parser_recovery, garbage_after_root) {
    const auto r = parse_fixture("recovery_garbage_after_root.xml");
    expect_three_items_with_warning(r, "Middle");
}

TEST(parser_recovery, stray_less_than) {
    const auto r = parse_fixture("recovery_stray_lt.xml");
    expect_three_items_with_warning(r, "a < b and 3 <4");
}

TEST(parser_recovery, unquoted_attribute) {
    const auto r = parse_fixture("recovery_unquoted_attribute.xml");
    expect_three_items_with_warning(r, "Middle");
    ASSERT_EQ(r.items[1].enclosures.size(), 1u);
    EXPECT_EQ(r.items[1].enclosures[0].url, "http://example.org/a.mp3");
    EXPECT_EQ(r.items[1].enclosures[0].length, 12);
}

TEST(parser_recovery, truncated_keeps_every_readable_item) {
    const auto r = parse_fixture("recovery_truncated.xml");
    ASSERT_TRUE(r.ok()) << r.error;
    EXPECT_FALSE(r.warnings.empty());
    ASSERT_GE(r.items.size(), 2u);
    EXPECT_EQ(r.items[0].title, "First");
    EXPECT_EQ(r.items[1].title, "Middle");
}

TEST(parser_recovery, forbidden_numeric_references_never_cut_text) {
    const auto r = parse_fixture("entities_forbidden_numeric.xml");
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r.items.size(), 3u);
    EXPECT_EQ(r.items[1].title,
              "before\xEF\xBF\xBD"
              "after \xEF\xBF\xBD end – x");
}

TEST(parser_recovery, doctype_entities_are_not_a_warning) {
    const auto r = parse_fixture("rss091_netscape_doctype_entities.xml");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.format, parser::feed_format::rss09x);
    EXPECT_TRUE(r.warnings.empty()) << all_warnings(r);
    EXPECT_EQ(r.feed.title, "Old\u00A0feed");  // issue 15: &nbsp; keeps its character
    EXPECT_EQ(r.items.at(0).title, "Café");
}

TEST(parser_recovery, html_page_is_not_a_feed) {
    const auto r = parse_fixture("not_a_feed_html_page.html");
    EXPECT_EQ(r.status, parser::parse_status::not_a_feed);
    EXPECT_FALSE(r.error.empty());
}

TEST(parser_recovery, garbage_inputs_are_values_not_crashes) {
    for (std::string_view bytes :
         {std::string_view(""), std::string_view("   "), std::string_view("<"), std::string_view("<rss"),
          std::string_view("{"), std::string_view("\xFF\xFE"),
          std::string_view("<rss><channel><item><title>x"), std::string_view("hello")}) {
        const auto r = parse_feed(bytes);
        if (r.ok())
            EXPECT_NE(r.format, parser::feed_format::unknown);
        else
            EXPECT_FALSE(r.error.empty());
    }
    const auto truncated = parse_feed("<rss><channel><item><title>x");
    ASSERT_TRUE(truncated.ok());
    ASSERT_EQ(truncated.items.size(), 1u);
    EXPECT_EQ(truncated.items[0].title, "x");
}

// --- formats -------------------------------------------------------------------------

TEST(parser_rss20, wellformed_full_feed) {
    parser::parse_options options;
    const std::string bytes = fixture("wellformed_rss20_full.xml");
    const auto r = parse_feed(bytes, options);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.format, parser::feed_format::rss20);
    EXPECT_EQ(r.encoding, "utf-8");
    EXPECT_TRUE(r.warnings.empty()) << all_warnings(r);
    EXPECT_EQ(r.feed.title, "World & Europe");
    EXPECT_EQ(r.feed.link, "https://news.example.org/");
    EXPECT_EQ(r.feed.subtitle, "Latest news");
    EXPECT_EQ(r.feed.language, "uk");
    EXPECT_EQ(r.feed.updated, core::parse_rfc3339("2024-07-09T09:00:00Z"));
    EXPECT_EQ(r.feed.ttl_minutes, 15);
    EXPECT_EQ(r.feed.skip_hours, (std::vector<int>{0, 1}));
    EXPECT_EQ(r.feed.skip_days, (std::vector<int>{6, 0}));
    ASSERT_EQ(r.items.size(), 3u);
    const auto& a = r.items[0];
    EXPECT_EQ(a.id, "urn:news:1");
    EXPECT_EQ(a.title, "NATO summit & Ukraine");
    EXPECT_EQ(a.link, "https://news.example.org/2024/07/09/nato");
    EXPECT_EQ(a.published, core::parse_rfc3339("2024-07-09T10:30:00Z"));
    ASSERT_EQ(a.authors.size(), 1u);
    EXPECT_EQ(a.authors[0].name, "Jane Doe");
    EXPECT_EQ(a.categories, (std::vector<std::string>{"World", "Europe"}));
    EXPECT_EQ(a.summary, "Leaders met in Washington.\n\nSecond\u00A0paragraph.");
    EXPECT_NE(a.summary_html->find("<script>"), std::string::npos) << "original HTML kept";
    EXPECT_EQ(a.content, "Full text here.\nLine two.");
    ASSERT_EQ(a.enclosures.size(), 2u);
    EXPECT_EQ(a.enclosures[0].url, "https://cdn.example.org/a.mp3");
    EXPECT_EQ(a.enclosures[0].type, "audio/mpeg");
    EXPECT_EQ(a.enclosures[0].length, 12345);
    EXPECT_EQ(a.enclosures[1].length, 999);
    EXPECT_EQ(r.items[1].id, "https://news.example.org/2");
    EXPECT_EQ(r.items[2].id.rfind("sha256:", 0), 0u);
    // Stable identity: the same bytes give the same ids.
    const auto again = parse_feed(bytes, options);
    EXPECT_EQ(again.items[2].id, r.items[2].id);
}

TEST(parser_atom10, xml_base_links_text_constructs_and_inherited_author) {
    const auto r = parse_fixture("atom10_xml_base_relative_links.xml");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.format, parser::feed_format::atom10);
    EXPECT_TRUE(r.warnings.empty()) << all_warnings(r);
    EXPECT_EQ(r.feed.title, "Blog <b>");
    EXPECT_EQ(r.feed.link, "https://example.org/blog/");
    EXPECT_EQ(r.feed.language, "en");
    EXPECT_EQ(r.feed.updated, core::parse_rfc3339("2024-07-09T10:00:00Z"));
    ASSERT_EQ(r.items.size(), 2u);
    const auto& e = r.items[0];
    EXPECT_EQ(e.id, "tag:example.org,2024:1");
    EXPECT_EQ(e.link, "https://example.org/blog/posts/1");
    ASSERT_EQ(e.enclosures.size(), 1u);
    EXPECT_EQ(e.enclosures[0].url, "https://example.org/media/1.mp3");
    EXPECT_EQ(e.enclosures[0].length, 42);
    EXPECT_EQ(e.published, core::parse_rfc3339("2024-07-09T10:00:00Z"));
    EXPECT_EQ(e.updated, core::parse_rfc3339("2024-07-09T10:00:00Z"));
    EXPECT_EQ(e.categories, (std::vector<std::string>{"nato"}));
    EXPECT_EQ(e.summary, "Hello world & friends");
    EXPECT_EQ(e.content, "Para one\n\nPara two");
    ASSERT_EQ(e.authors.size(), 1u);
    EXPECT_EQ(e.authors[0].name, "Feed Author");
    const auto& f = r.items[1];
    EXPECT_EQ(f.title, "A < B");
    EXPECT_EQ(f.link, "https://other.example.net/x/y");
    ASSERT_EQ(f.authors.size(), 1u);
    EXPECT_EQ(f.authors[0].email, "e@example.org");
}

TEST(parser_rss10, rdf_with_dublin_core_and_content) {
    const auto r = parse_fixture("rdf10_dublin_core.xml");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.format, parser::feed_format::rss10);
    EXPECT_TRUE(r.warnings.empty()) << all_warnings(r);
    EXPECT_EQ(r.feed.language, "pl");
    ASSERT_EQ(r.items.size(), 2u);
    EXPECT_EQ(r.items[0].id, "http://example.org/a1");
    EXPECT_EQ(r.items[0].published, core::parse_rfc3339("2024-07-09T08:00:00Z"));
    EXPECT_EQ(r.items[0].authors.at(0).name, "Jan Kowalski");
    EXPECT_EQ(r.items[0].categories, (std::vector<std::string>{"Polityka"}));
    EXPECT_EQ(r.items[0].content, "Body");
}

TEST(parser_jsonfeed, v11_fields) {
    const auto r = parse_fixture("jsonfeed11_basic.json");
    ASSERT_TRUE(r.ok()) << r.error;
    EXPECT_EQ(r.format, parser::feed_format::jsonfeed);
    EXPECT_EQ(r.feed.title, "JSON News");
    ASSERT_EQ(r.items.size(), 2u);
    EXPECT_EQ(r.items[0].id, "1");
    EXPECT_EQ(r.items[0].title, "Hello & bye");
    EXPECT_EQ(r.items[0].content, "Body bold");
    EXPECT_EQ(r.items[0].published, core::parse_rfc3339("2024-07-09T14:00:00Z"));
    EXPECT_EQ(r.items[0].categories, (std::vector<std::string>{"a", "b"}));
    ASSERT_EQ(r.items[0].enclosures.size(), 1u);
    EXPECT_EQ(r.items[0].enclosures[0].length, 77);
    EXPECT_EQ(r.items[0].authors.at(0).name, "Desk");
    EXPECT_EQ(r.items[1].content, "Just text");
    EXPECT_EQ(r.items[1].summary, "Sum");
}

TEST(parser_jsonfeed, v10_author_object) {
    const auto r = parse_fixture("jsonfeed10_author.json");
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r.items.size(), 1u);
    ASSERT_EQ(r.items[0].authors.size(), 1u);
    EXPECT_EQ(r.items[0].authors[0].name, "Solo");
    EXPECT_EQ(r.items[0].authors[0].email, "solo@example.org");
}

// --- the JSON shape of `newswatch parse --json` ------------------------------------------

TEST(parser_json_output, exact_field_names_nulls_and_empty_lists) {
    const auto r = parse_feed(
        "<rss "
        "version=\"2.0\"><channel><title></title><item><guid>g</guid><description></description></item></"
        "channel></rss>");
    ASSERT_TRUE(r.ok());
    const std::string out = boost::json::serialize(parser::to_json(r, "f.xml"));
    EXPECT_EQ(out,
              "{\"file\":\"f.xml\",\"format\":\"rss20\",\"encoding\":\"utf-8\",\"warnings\":[],"
              "\"feed\":{\"title\":\"\",\"link\":null,\"subtitle\":null,\"language\":null,\"updated\":null},"
              "\"items\":[{\"id\":\"g\",\"title\":null,\"link\":null,\"published\":null,\"updated\":null,"
              "\"authors\":[],\"categories\":[],\"summary\":\"\",\"summary_html\":\"\",\"content\":null,"
              "\"content_html\":null,\"enclosures\":[]}]}");
    const auto bad = parse_feed("hello");
    EXPECT_EQ(boost::json::serialize(parser::to_json(bad, "x")).rfind("{\"file\":\"x\",\"error\":", 0), 0u);
}

// `parse --json` streams its text (issue 16): the same escaping as Boost.JSON's serializer,
// for every ASCII character and multi-byte UTF-8 alike.
TEST(parser_json_output, streamed_strings_escape_as_boost_json) {
    std::string all;
    for (int c = 1; c < 0x80; ++c) all.push_back(static_cast<char>(c));
    all += "\xC3\xA9 \xE2\x9C\x93 \xF0\x9D\x84\x9E \"quoted\" back\\slash </script>";
    std::string out;
    parser::append_json_string(out, all);
    EXPECT_EQ(out, boost::json::serialize(boost::json::string(all)));
}

TEST(parser_json_output, streamed_lists_dates_and_numbers) {
    const auto r = parse_feed(
        "<rss version=\"2.0\"><channel><title>T\tab</title><item><guid>g</guid><title>A \"q\"</title>"
        "<author>a@example.org (Ann)</author><category>x</category><category>y</category>"
        "<pubDate>Tue, 02 Jan 2024 03:04:05 GMT</pubDate>"
        "<enclosure url=\"http://e.example/a.mp3\" type=\"audio/mpeg\" length=\"1234\"/></item>"
        "<item><guid>h</guid></item></channel></rss>");
    ASSERT_TRUE(r.ok());
    std::string out;
    parser::append_json(out, r, "dir/\"f\".xml");
    EXPECT_EQ(
        out,
        "{\"file\":\"dir/\\\"f\\\".xml\",\"format\":\"rss20\",\"encoding\":\"utf-8\",\"warnings\":[],"
        "\"feed\":{\"title\":\"T ab\",\"link\":null,\"subtitle\":null,\"language\":null,\"updated\":null},"
        "\"items\":[{\"id\":\"g\",\"title\":\"A \\\"q\\\"\",\"link\":null,"
        "\"published\":\"2024-01-02T03:04:05Z\",\"updated\":null,"
        "\"authors\":[{\"name\":\"Ann\",\"email\":\"a@example.org\",\"uri\":null}],"
        "\"categories\":[\"x\",\"y\"],\"summary\":null,\"summary_html\":null,\"content\":null,"
        "\"content_html\":null,\"enclosures\":[{\"url\":\"http://e.example/a.mp3\",\"type\":\"audio/mpeg\","
        "\"length\":1234}]},"
        "{\"id\":\"h\",\"title\":null,\"link\":null,\"published\":null,\"updated\":null,\"authors\":[],"
        "\"categories\":[],\"summary\":null,\"summary_html\":null,\"content\":null,\"content_html\":null,"
        "\"enclosures\":[]}]}");
    EXPECT_EQ(out, boost::json::serialize(parser::to_json(r, "dir/\"f\".xml")));
}

TEST(parser_format, names) {
    EXPECT_EQ(parser::to_string(parser::feed_format::rss20), "rss20");
    EXPECT_EQ(parser::to_string(parser::feed_format::rss10), "rss10");
    EXPECT_EQ(parser::to_string(parser::feed_format::rss09x), "rss09x");
    EXPECT_EQ(parser::to_string(parser::feed_format::atom10), "atom10");
    EXPECT_EQ(parser::to_string(parser::feed_format::atom03), "atom03");
    EXPECT_EQ(parser::to_string(parser::feed_format::jsonfeed), "jsonfeed");
}

}  // namespace

namespace {

TEST(parser_dates, every_form_in_a_feed_is_normalised_to_utc) {
    const auto r = parse_fixture("dates_every_form.xml");
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(r.warnings.empty()) << all_warnings(r);
    ASSERT_EQ(r.items.size(), 13u);
    for (std::size_t i = 0; i < 10; ++i) {
        ASSERT_TRUE(r.items[i].published) << r.items[i].id;
        const std::string t = core::format_rfc3339(*r.items[i].published);
        if (r.items[i].id == "rfc822-no-seconds")
            EXPECT_EQ(t, "2024-07-09T12:34:00Z");
        else
            EXPECT_EQ(t, "2024-07-09T12:34:56Z") << r.items[i].id;
    }
    EXPECT_EQ(core::format_rfc3339(*r.items[10].published), "2024-07-09T12:34:00Z");
    EXPECT_EQ(core::format_rfc3339(*r.items[11].published), "2024-07-09T00:00:00Z");
    EXPECT_FALSE(r.items[12].published.has_value());
}

}  // namespace

namespace {

TEST(parser_recovery, naked_html_with_unclosed_tags_in_every_item_keeps_all_items) {
    const auto r = parse_fixture("recovery_naked_html_every_item.xml");
    ASSERT_TRUE(r.ok()) << r.error;
    EXPECT_EQ(r.warnings.size(), 1u) << all_warnings(r);
    ASSERT_EQ(r.items.size(), 200u);
    for (std::size_t i = 0; i < r.items.size(); ++i) {
        EXPECT_EQ(r.items[i].title, "Item " + std::to_string(i));
        EXPECT_EQ(r.items[i].link, "http://example.org/" + std::to_string(i));
        EXPECT_EQ(r.items[i].summary, "Line one\nline two\n\npara " + std::to_string(i));
    }
}

}  // namespace

namespace {

TEST(parser_recovery, missing_item_end_tags_keep_items_as_siblings) {
    const auto r = parse_fixture("recovery_missing_item_end_tags.xml");
    ASSERT_TRUE(r.ok()) << r.error;
    EXPECT_FALSE(r.warnings.empty());
    ASSERT_EQ(r.items.size(), 5u);
    EXPECT_EQ(r.items[4].title, "Item 4");
    EXPECT_EQ(r.items[4].link, "http://example.org/4");
}

}  // namespace
