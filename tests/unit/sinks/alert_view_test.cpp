// The display fields of a payload, their plain-text and HTML renderings and the `{{field}}`
// template (issue 11, item 4): hostile feed text cannot inject markup or terminal escapes.
#include "newswatch/sinks/alert_view.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "newswatch/sinks/alert_text.hpp"
#include "newswatch/sinks/text_template.hpp"

namespace {

using namespace newswatch::sinks;

std::string alert_payload(const std::string& title, const std::string& summary = "A short summary.") {
    boost::json::object root{
        {"type", "alert"},
        {"id", "0123abcd"},
        {"watch", "Rust releases"},
        {"feed", boost::json::object{{"url", "https://blog.example/feed"}, {"title", "Example"}}},
        {"item", boost::json::object{{"id", "i1"},
                                     {"title", title},
                                     {"link", "https://blog.example/post"},
                                     {"summary", summary},
                                     {"published", "2026-12-01T10:00:00Z"}}},
        {"matched", boost::json::array{"rust"}},
        {"hits", boost::json::array{boost::json::object{{"offset", 1234}}}},
        {"stance", boost::json::object{{"claim", "X happened"}, {"label", "refutes"}, {"confidence", 0.87}}},
        {"detected_at", "2026-12-01T10:01:00Z"}};
    return boost::json::serialize(root);
}

const std::string hostile = "<script>alert(1)</script>\x1b[31mred\r\nBcc: victim@example.com\u202e\"'&";

TEST(alert_view, reads_the_display_fields_of_an_alert) {
    const auto v = make_alert_view("alert", "0123abcd", alert_payload("Rust 2.0 released"));
    EXPECT_EQ(v.title, "Rust 2.0 released");
    EXPECT_EQ(v.watch_names(), "Rust releases");
    EXPECT_EQ(v.link, "https://blog.example/post");
    EXPECT_EQ(v.summary, "A short summary.");
    EXPECT_EQ(v.feed_name(), "Example");
    EXPECT_EQ(v.stance_text(), "refutes (87 %): X happened");
    EXPECT_EQ(*v.field("feed_url"), "https://blog.example/feed");
    EXPECT_FALSE(v.field("hits"));
}

TEST(alert_view, falls_back_gracefully_without_summary_or_json) {
    auto v = make_alert_view("alert", "id1", R"({"type":"alert","watch":"w","item":{"title":"T"}})");
    EXPECT_EQ(v.summary, "");
    EXPECT_EQ(alert_plain_text(v).find("Stance"), std::string::npos);
    v = make_alert_view("test", "id2", "not json");
    EXPECT_NE(v.title.find("could not be read"), std::string::npos);
    v = make_alert_view("test", "id3", R"({"type":"test","message":"Hello from sink x"})");
    EXPECT_NE(alert_plain_text(v).find("Hello from sink x"), std::string::npos);
}

TEST(alert_view, drops_links_that_are_not_web_links) {
    const auto v = make_alert_view("alert", "id",
                                   R"j({"type":"alert","item":{"title":"T","link":"javascript:alert(1)"}})j");
    EXPECT_EQ(v.link, "");
    EXPECT_EQ(alert_html(v).find("javascript"), std::string::npos);
}

TEST(alert_view, hostile_title_cannot_inject_markup_or_escapes) {
    const auto v = make_alert_view("alert", "id", alert_payload(hostile, hostile));
    for (char c : v.title) EXPECT_FALSE(static_cast<unsigned char>(c) < 0x20) << "control in title";
    EXPECT_EQ(v.title.find("\u202e"), std::string::npos);
    const std::string html = alert_html(v);
    EXPECT_EQ(html.find("<script>"), std::string::npos);
    EXPECT_NE(html.find("&lt;script&gt;"), std::string::npos);
    EXPECT_EQ(html.find('\x1b'), std::string::npos);
    const std::string text = alert_plain_text(v);
    EXPECT_EQ(text.find('\x1b'), std::string::npos);
    EXPECT_EQ(text.find("\r"), std::string::npos);
    EXPECT_EQ(text.find("\nBcc:"), std::string::npos);
    // No hit offsets for people.
    EXPECT_EQ(text.find("1234"), std::string::npos);
    EXPECT_EQ(html.find("1234"), std::string::npos);
}

TEST(text_template, substitutes_fields_and_escapes_per_content_type) {
    const text_template t(R"j({"text": "{{ title }} ({{watch}})", "raw": "{{{{literal}}"})j");
    const auto v = make_alert_view("alert", "id", alert_payload("Say \"hi\" <b>\\ now"));
    const std::string json = t.render(v, escaping_for_content_type("application/json; charset=utf-8"));
    EXPECT_EQ(json, R"j({"text": "Say \"hi\" <b>\\ now (Rust releases)", "raw": "{{literal}}"})j");
    EXPECT_NO_THROW((void)boost::json::parse(json));
    const text_template h("<p>{{title}}</p>");
    EXPECT_EQ(h.render(v, escaping_for_content_type("text/html")),
              "<p>Say &quot;hi&quot; &lt;b&gt;\\ now</p>");
    EXPECT_EQ(h.render(v, escaping_for_content_type("text/plain")), "<p>Say \"hi\" <b>\\ now</p>");
}

TEST(text_template, hostile_values_stay_inside_their_json_string) {
    const text_template t(R"({"text": "{{title}}"})");
    const auto v = make_alert_view("alert", "id", alert_payload(R"(x", "admin": true, "y": ")"));
    const auto parsed = boost::json::parse(t.render(v, template_escaping::json)).as_object();
    EXPECT_EQ(parsed.size(), 1u);
    EXPECT_EQ(parsed.at("text").as_string(), R"(x", "admin": true, "y": ")");
}

TEST(text_template, rejects_unknown_fields_and_unclosed_braces) {
    EXPECT_THROW(text_template("{{nope}}"), std::invalid_argument);
    EXPECT_THROW(text_template("{{title"), std::invalid_argument);
}

}  // namespace
