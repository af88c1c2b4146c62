#include "newswatch/sinks/alert_json.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "newswatch/sinks/log_sink.hpp"

namespace newswatch::sinks {
namespace {

core::alert sample() {
    core::alert a;
    a.id = core::alert_id("w", "https://f/", "i1");
    a.watch = "w";
    a.feed_url = "https://f/";
    a.feed_title = "Feed \"quoted\"";
    a.item_id = "i1";
    a.item_title = "NATO and Ukraine";
    a.item_link = "https://f/i1";
    a.item_published = core::parse_rfc3339("2024-07-09T12:00:00Z");
    a.matched = {"NATO", "Ukraine"};
    a.hits = {{"NATO", "NATO", "title", 0, false, false}, {"Ukraine", "Ukraine", "title", 9, true, false}};
    a.detected_at = *core::parse_rfc3339("2024-07-09T12:05:00Z");
    return a;
}

TEST(alert_json, has_exactly_the_contract_fields) {
    const auto v = boost::json::parse(alert_to_json(sample())).as_object();
    EXPECT_EQ(v.at("type").as_string(), "alert");
    EXPECT_EQ(v.at("id").as_string().size(), 32u);
    EXPECT_EQ(v.at("watch").as_string(), "w");
    EXPECT_EQ(v.at("feed").at("url").as_string(), "https://f/");
    EXPECT_EQ(v.at("feed").at("title").as_string(), "Feed \"quoted\"");
    EXPECT_EQ(v.at("item").at("published").as_string(), "2024-07-09T12:00:00Z");
    EXPECT_EQ(v.at("matched").as_array().size(), 2u);
    const auto& hit = v.at("hits").as_array()[1].as_object();
    EXPECT_EQ(hit.at("field").as_string(), "title");
    EXPECT_EQ(hit.at("offset").to_number<int>(), 9);
    EXPECT_TRUE(hit.at("negated").as_bool());
    EXPECT_EQ(v.at("detected_at").as_string(), "2024-07-09T12:05:00Z");
    EXPECT_FALSE(v.contains("stance"));
}

TEST(alert_json, absent_values_are_null_and_stance_appears_for_claims) {
    auto a = sample();
    a.item_published.reset();
    a.feed_title.reset();
    a.stance = core::stance_verdict{"Ukraine will join NATO", "agree", 0.83};
    const auto v = boost::json::parse(alert_to_json(a)).as_object();
    EXPECT_TRUE(v.at("item").at("published").is_null());
    EXPECT_TRUE(v.at("feed").at("title").is_null());
    EXPECT_EQ(v.at("stance").at("label").as_string(), "agree");
    EXPECT_DOUBLE_EQ(v.at("stance").at("confidence").as_double(), 0.83);
}

// Issue #10 item 3: a 1 MB item once made a 5.3 MB alert line with 52,430 hits.
TEST(alert_json, hits_hold_at_most_twenty_entries_and_hits_total_counts_all) {
    auto a = sample();
    a.hits.clear();
    for (std::size_t i = 0; i < 140; ++i) a.hits.push_back({"NATO", "NATO", "content", i * 5, false, false});
    a.hits_total = 52430;
    const auto v = boost::json::parse(alert_to_json(a)).as_object();
    const auto& hits = v.at("hits").as_array();
    ASSERT_EQ(hits.size(), core::max_alert_hits);
    ASSERT_EQ(core::max_alert_hits, 20u);
    EXPECT_EQ(hits.back().at("offset").to_number<int>(), 19 * 5);  // the first 20, in order
    EXPECT_EQ(v.at("hits_total").to_number<std::int64_t>(), 52430);

    // An alert that says nothing of the total counts what it carries.
    const auto plain = boost::json::parse(alert_to_json(sample())).as_object();
    EXPECT_EQ(plain.at("hits_total").to_number<std::int64_t>(), 2);
}

TEST(alert_json, log_line_is_readable) {
    const std::string line = format_alert_line(alert_to_json(sample()));
    EXPECT_NE(line.find("watch=\"w\""), std::string::npos) << line;
    EXPECT_NE(line.find(" title=\"NATO and Ukraine\""), std::string::npos) << line;
    EXPECT_NE(line.find("feed_title=\"Feed \\\"quoted\\\"\""), std::string::npos) << line;
    EXPECT_NE(line.find("matched=\"NATO,Ukraine\""), std::string::npos) << line;
    EXPECT_NE(line.find("alert_id=\"" + sample().id + "\""), std::string::npos) << line;
}

// Issue #10 item 6: hostile characters are removed from payloads, the id is computed from
// the raw values, and the log line escapes what it shows.
TEST(alert_json, hostile_characters_are_removed_from_the_payload_and_escaped_in_the_log_line) {
    auto a = sample();
    const std::string hostile = "\r\n\x1b[2J\xc2\x9b\x7f\xe2\x80\xae\xe2\x81\xa6";
    a.item_id = "i1" + hostile;
    a.id = core::alert_id("w", "https://f/", a.item_id);
    a.item_title = "NATO" + hostile + " and Ukraine\" id=\"forged";
    a.item_link = "https://f/i1" + hostile;
    a.feed_title = "Feed" + hostile;
    const std::string payload = alert_to_json(a);
    const auto v = boost::json::parse(payload).as_object();
    EXPECT_EQ(v.at("id").as_string(), a.id);  // unchanged: computed from the raw item id
    EXPECT_EQ(v.at("item").at("id").as_string(), "i1[2J");
    EXPECT_EQ(v.at("item").at("title").as_string(), "NATO[2J and Ukraine\" id=\"forged");
    EXPECT_EQ(v.at("item").at("link").as_string(), "https://f/i1[2J");
    EXPECT_EQ(v.at("feed").at("title").as_string(), "Feed[2J");
    const std::string line = format_alert_line(payload);
    EXPECT_EQ(line.find(" id=\""), std::string::npos) << line;  // the quote is escaped
    EXPECT_NE(line.find("title=\"NATO[2J and Ukraine\\\" id=\\\"forged\""), std::string::npos) << line;
}

TEST(feed_health_json, carries_type_state_and_reason) {
    feed_health_event e;
    e.feed_url = "https://f/";
    e.state = "failing";
    e.reason = "timeout";
    e.detected_at = *core::parse_rfc3339("2024-07-09T12:05:00Z");
    const auto v = boost::json::parse(feed_health_to_json(e)).as_object();
    EXPECT_EQ(v.at("type").as_string(), "feed_health");
    EXPECT_EQ(v.at("state").as_string(), "failing");
    EXPECT_EQ(v.at("feed").at("url").as_string(), "https://f/");
}

}  // namespace
}  // namespace newswatch::sinks
