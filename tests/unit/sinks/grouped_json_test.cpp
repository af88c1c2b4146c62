// The payloads that carry several alerts (issue #13): alert_group, storm and digest, and
// how alert_view reads them for the channels that show them to people.
#include "newswatch/sinks/grouped_json.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "newswatch/core/sha256.hpp"
#include "newswatch/sinks/alert_text.hpp"
#include "newswatch/sinks/alert_view.hpp"

namespace {

using namespace newswatch;
using namespace newswatch::sinks;
namespace json = boost::json;

std::string alert(const std::string& id, const std::string& watch, const std::string& priority = "default",
                  bool with_stance = false) {
    json::object root{{"type", "alert"},
                      {"id", id},
                      {"watch", watch},
                      {"feed", json::object{{"url", "https://wire.example/feed"}, {"title", "Wire"}}},
                      {"item", json::object{{"id", "i1"},
                                            {"title", "NATO invites Ukraine"},
                                            {"link", "https://wire.example/a"},
                                            {"summary", "Allies agreed on Tuesday."}}},
                      {"detected_at", "2026-12-01T10:00:00Z"},
                      {"priority", priority}};
    if (with_stance)
        root["stance"] =
            json::object{{"claim", "Ukraine will join NATO"}, {"label", "agree"}, {"confidence", 0.8}};
    return json::serialize(root);
}

TEST(alert_group_id, is_the_hash_of_the_sorted_ids) {
    EXPECT_EQ(alert_group_id({"b", "a"}), core::sha256_hex("a\nb").substr(0, 32));
    EXPECT_EQ(alert_group_id({"a", "b"}), alert_group_id({"b", "a"}));
}

TEST(alert_group, embeds_each_alert_and_lists_the_watches_once) {
    const auto doc = json::parse(alert_group_to_json(
        {alert("a1", "membership"), alert("a2", "peace-talks"), alert("a3", "membership")}));
    EXPECT_EQ(doc.at("type"), "alert_group");
    EXPECT_EQ(doc.at("id"), json::value(alert_group_id({"a1", "a2", "a3"})));
    EXPECT_EQ(doc.at("watches"), (json::array{"membership", "peace-talks"}));
    ASSERT_EQ(doc.at("alerts").as_array().size(), 3u);
    EXPECT_EQ(doc.at("alerts").at(1).at("id"), "a2");
}

TEST(alert_view, reads_a_group_as_one_item_with_all_its_watches) {
    const std::string payload = alert_group_to_json(
        {alert("a1", "membership", "low"), alert("a2", "claims", "high", true), alert("a3", "aid")});
    const auto v = make_alert_view("alert_group", "g", payload);
    EXPECT_EQ(v.title, "NATO invites Ukraine");
    EXPECT_EQ(v.link, "https://wire.example/a");
    EXPECT_EQ(v.watch_names(), "membership, claims, aid");
    EXPECT_EQ(v.stance_label, "agree");
    EXPECT_EQ(v.priority, "high");
    EXPECT_TRUE(v.entries.empty());
    const auto low = make_alert_view("alert_group", "g", alert_group_to_json({alert("a1", "m", "low")}));
    EXPECT_EQ(low.priority, "low");
}

TEST(storm, carries_the_folded_alerts_and_reads_as_a_list) {
    storm_summary s;
    s.watch = "escalation";
    s.from = core::timestamp{std::chrono::seconds(1'780'000'000)};
    s.until = s.from + std::chrono::minutes(10);
    s.alerts = {{"x1", "First", "https://a.example/1"}, {"x2", "Second", "javascript:alert(1)"}};
    const auto doc = json::parse(storm_to_json(s));
    EXPECT_EQ(doc.at("type"), "storm");
    EXPECT_EQ(doc.at("watch"), "escalation");
    EXPECT_EQ(doc.at("folded"), 2);
    EXPECT_EQ(doc.at("alerts").at(0).at("link"), "https://a.example/1");
    const auto v = make_alert_view("storm", storm_id(s), storm_to_json(s));
    EXPECT_EQ(v.title, "and 2 more for watch escalation");
    ASSERT_EQ(v.entries.size(), 2u);
    EXPECT_EQ(v.entries[1].link, "");  // never a javascript: link
    EXPECT_NE(alert_plain_text(v).find("- Second"), std::string::npos);
}

TEST(digest, lists_every_story_with_its_watches) {
    digest_period p{"mail", core::timestamp{std::chrono::seconds(1'780'000'000)},
                    core::timestamp{std::chrono::seconds(1'780'003'600)}};
    const std::string payload = digest_to_json(
        p, {{alert("a1", "membership"), alert("a2", "claims", "default", true)}, {alert("b1", "aid")}});
    const auto doc = json::parse(payload);
    EXPECT_EQ(doc.at("type"), "digest");
    EXPECT_EQ(doc.at("count"), 3);
    EXPECT_EQ(doc.at("groups").at(0).at("type"), "alert_group");
    const auto v = make_alert_view("digest", digest_id(p), payload);
    EXPECT_EQ(v.title, "newswatch digest: 3 alerts in 2 stories");
    ASSERT_EQ(v.entries.size(), 2u);
    EXPECT_EQ(v.entries[0].watches, (std::vector<std::string>{"membership", "claims"}));
    EXPECT_NE(v.entries[0].stance.find("agree"), std::string::npos);
    EXPECT_EQ(v.entries[1].feed, "Wire");
    EXPECT_NE(alert_html(v).find("<li><a href=\"https://wire.example/a\">"), std::string::npos);
}

}  // namespace
