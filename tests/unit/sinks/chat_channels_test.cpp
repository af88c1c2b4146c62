// The chat channels of issue #12 (slack, discord, mattermost, teams, telegram) against a
// real HTTP receiver on 127.0.0.1: the request each service's API page describes (fields,
// types, limits), the hostile-title table in the title and the summary, a 100 KB title
// cut to the limit, the answers that retry or fail for good, and alert groups, storms and
// digests rendered as lists.
#include "newswatch/sinks/chat_http_sink.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <memory>

#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>

#include "hostile_text.hpp"
#include "http_test_server.hpp"
#include "newswatch/sinks/chat_markup.hpp"
#include "newswatch/sinks/discord_sink.hpp"
#include "newswatch/sinks/grouped_json.hpp"
#include "newswatch/sinks/mattermost_sink.hpp"
#include "newswatch/sinks/slack_sink.hpp"
#include "newswatch/sinks/teams_sink.hpp"
#include "newswatch/sinks/telegram_sink.hpp"

namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using namespace newswatch::sinks;
using newswatch::http::http_client;
using newswatch::testing::http_test_server;

std::string alert_payload(const std::string& title, const std::string& summary,
                          const std::string& watch = "nato",
                          const std::string& link = "https://news.example/a?x=1&y=(2)",
                          const std::string& priority = "default") {
    json::object root{
        {"type", "alert"},
        {"id", "a1b2c3d4"},
        {"watch", watch},
        {"priority", priority},
        {"feed", json::object{{"url", "https://news.example/feed"}, {"title", "World News"}}},
        {"item", json::object{{"id", "i1"}, {"title", title}, {"link", link}, {"summary", summary}}},
        {"stance", json::object{{"claim", "talks failed"}, {"label", "refutes"}, {"confidence", 0.8}}},
        {"matched", json::array{"nato"}},
        {"hits", json::array{json::object{{"field", "title"}, {"offset", 4242}}}},
        {"detected_at", "2026-12-06T10:00:00Z"}};
    return json::serialize(root);
}

// How a string of a request body is read by its service: as markdown (Discord, Mattermost,
// Teams, Slack mrkdwn) or as text where only &, <, > and mentions mean anything (Slack
// plain_text and the notification fallback, Telegram HTML).
enum class syntax { markdown, html_like };
struct shown_text {
    std::string text;
    syntax kind;
};

void collect(const json::value& v, syntax kind, std::vector<shown_text>& out) {
    if (v.is_string()) {
        out.push_back({std::string(v.as_string()), kind});
    } else if (v.is_array()) {
        for (const auto& e : v.as_array()) collect(e, kind, out);
    } else if (v.is_object()) {
        const auto& o = v.as_object();
        const bool plain = o.contains("type") && o.at("type") == "plain_text";
        for (const auto& [key, value] : o)
            collect(value, plain && key == "text" ? syntax::html_like : kind, out);
    }
}

std::vector<shown_text> shown_texts(const std::string& type, const json::object& body) {
    std::vector<shown_text> out;
    if (type == "telegram") {
        collect(body, syntax::html_like, out);
    } else if (type == "slack") {
        for (const auto& [key, value] : body)
            collect(value, key == "text" ? syntax::html_like : syntax::markdown, out);
    } else {
        collect(body, syntax::markdown, out);
    }
    return out;
}

// `payload` occurs in `s` other than right after a backslash (a markdown escape).
bool occurs_active(const std::string& s, const std::string& payload) {
    for (auto p = s.find(payload); p != std::string::npos; p = s.find(payload, p + 1))
        if (p == 0 || s[p - 1] != '\\') return true;
    return false;
}

std::size_t u16(json::string_view s) {
    return utf16_length(std::string_view(s.data(), s.size()));
}

// Telegram's "after entities parsing": the text without tags, an entity counting one.
std::size_t telegram_visible_length(const std::string& html) {
    std::string visible;
    for (std::size_t i = 0; i < html.size(); ++i) {
        if (html[i] == '<') {
            i = html.find('>', i);
            if (i == std::string::npos) break;
        } else if (html[i] == '&') {
            i = html.find(';', i);
            visible += '&';
        } else {
            visible += html[i];
        }
    }
    return utf16_length(visible);
}

// The fields, types and limits of each API page (docs/CONFIG.md cites them).
void check_slack(const json::object& b) {
    ASSERT_TRUE(b.at("text").is_string());
    EXPECT_LE(u16(b.at("text").as_string()), 3000u);
    const auto& blocks = b.at("blocks").as_array();
    ASSERT_GE(blocks.size(), 2u);
    EXPECT_LE(blocks.size(), 50u);
    EXPECT_EQ(blocks[0].at("type"), "header");
    EXPECT_EQ(blocks[0].at("text").at("type"), "plain_text");
    EXPECT_GE(u16(blocks[0].at("text").at("text").as_string()), 1u);
    EXPECT_LE(u16(blocks[0].at("text").at("text").as_string()), 150u);
    for (const auto& block : blocks) {
        const auto& o = block.as_object();
        const auto type = o.at("type").as_string();
        EXPECT_TRUE(type == "header" || type == "section" || type == "context") << type;
        if (type == "section") {
            EXPECT_TRUE(o.contains("text") || o.contains("fields"));
            if (o.contains("text")) {
                EXPECT_GE(u16(o.at("text").at("text").as_string()), 1u);
                EXPECT_LE(u16(o.at("text").at("text").as_string()), 3000u);
            }
            if (o.contains("fields")) {
                EXPECT_LE(o.at("fields").as_array().size(), 10u);
                for (const auto& f : o.at("fields").as_array()) {
                    const auto ft = f.at("type").as_string();
                    EXPECT_TRUE(ft == "plain_text" || ft == "mrkdwn");
                    EXPECT_LE(u16(f.at("text").as_string()), 2000u);
                }
            }
        }
        if (type == "context") {
            EXPECT_LE(o.at("elements").as_array().size(), 10u);
        }
    }
}

void check_discord(const json::object& b) {
    ASSERT_TRUE(b.at("allowed_mentions").at("parse").is_array());
    EXPECT_TRUE(b.at("allowed_mentions").at("parse").as_array().empty());
    const auto& embeds = b.at("embeds").as_array();
    ASSERT_EQ(embeds.size(), 1u);
    const auto& e = embeds[0].as_object();
    std::size_t total = u16(e.at("title").as_string());
    EXPECT_LE(u16(e.at("title").as_string()), 256u);
    EXPECT_TRUE(e.at("color").is_int64());
    if (e.contains("description")) {
        EXPECT_LE(u16(e.at("description").as_string()), 4096u);
        total += u16(e.at("description").as_string());
    }
    if (e.contains("fields")) {
        EXPECT_LE(e.at("fields").as_array().size(), 25u);
        for (const auto& f : e.at("fields").as_array()) {
            EXPECT_LE(u16(f.at("name").as_string()), 256u);
            EXPECT_GE(u16(f.at("value").as_string()), 1u);
            EXPECT_LE(u16(f.at("value").as_string()), 1024u);
            EXPECT_TRUE(f.at("inline").is_bool());
            total += u16(f.at("name").as_string()) + u16(f.at("value").as_string());
        }
    }
    EXPECT_LE(u16(e.at("footer").at("text").as_string()), 2048u);
    total += u16(e.at("footer").at("text").as_string());
    EXPECT_LE(total, 6000u);
    if (b.contains("content")) {
        EXPECT_LE(u16(b.at("content").as_string()), 2000u);
    }
}

void check_mattermost(const json::object& b) {
    ASSERT_TRUE(b.at("text").is_string());
    EXPECT_LE(u16(b.at("text").as_string()), 16383u);
}

void check_teams(const json::object& b, std::size_t bytes) {
    EXPECT_EQ(b.at("type"), "message");
    const auto& attachments = b.at("attachments").as_array();
    ASSERT_EQ(attachments.size(), 1u);
    EXPECT_EQ(attachments[0].at("contentType"), "application/vnd.microsoft.card.adaptive");
    const auto& card = attachments[0].at("content").as_object();
    EXPECT_EQ(card.at("type"), "AdaptiveCard");
    EXPECT_TRUE(card.at("version").is_string());
    const auto& body = card.at("body").as_array();
    ASSERT_FALSE(body.empty());
    EXPECT_EQ(body[0].at("type"), "TextBlock");
    for (const auto& element : body) {
        const auto type = element.at("type").as_string();
        EXPECT_TRUE(type == "TextBlock" || type == "FactSet") << type;
    }
    EXPECT_LT(bytes, 28u * 1024);
}

void check_telegram(const json::object& b) {
    EXPECT_EQ(b.at("chat_id"), "-100123");
    EXPECT_EQ(b.at("parse_mode"), "HTML");
    EXPECT_TRUE(b.at("link_preview_options").at("is_disabled").as_bool());
    const std::string text(b.at("text").as_string());
    EXPECT_GE(telegram_visible_length(text), 1u);
    EXPECT_LE(telegram_visible_length(text), 4096u);
}

chat_http_sink::endpoint endpoint_for(const std::string& url) {
    chat_http_sink::endpoint e;
    e.url = url;
    return e;
}

struct channel {
    std::string type;
    std::string path;
    std::function<std::unique_ptr<chat_http_sink>(http_client*, const std::string& url)> make;
};

std::vector<channel> channels() {
    return {
        {"slack", "/services/T0/B0/XYZ",
         [](http_client* c, const std::string& url) {
             return std::make_unique<slack_sink>("chat", c, endpoint_for(url));
         }},
        {"discord", "/api/webhooks/1/tok",
         [](http_client* c, const std::string& url) {
             return std::make_unique<discord_sink>("chat", c, endpoint_for(url),
                                                   discord_sink::settings{.username = "newswatch"});
         }},
        {"mattermost", "/hooks/xyz",
         [](http_client* c, const std::string& url) {
             return std::make_unique<mattermost_sink>(
                 "chat", c, endpoint_for(url),
                 mattermost_sink::settings{.username = "newswatch", .channel = "news"});
         }},
        {"teams", "/workflows/abc/triggers/manual/paths/invoke",
         [](http_client* c, const std::string& url) {
             return std::make_unique<teams_sink>("chat", c, endpoint_for(url));
         }},
        {"telegram", "/bot123:SECRET/sendMessage",
         [](http_client* c, const std::string& url) {
             return std::make_unique<telegram_sink>(
                 "chat", c, endpoint_for(url),
                 telegram_sink::settings{.chat_id = "-100123", .link_preview = false});
         }},
    };
}

void check_limits(const std::string& type, const json::object& body, std::size_t bytes) {
    SCOPED_TRACE(type);
    if (type == "slack") check_slack(body);
    if (type == "discord") check_discord(body);
    if (type == "mattermost") check_mattermost(body);
    if (type == "teams") check_teams(body, bytes);
    if (type == "telegram") check_telegram(body);
}

struct fixture {
    asio::io_context io;
    http_client client{io.get_executor(), {}};

    delivery_result send(alert_sink& sink, const std::string& event, const std::string& payload) {
        std::optional<delivery_result> out;
        sink.send(delivery_message{.event = event, .id = "a1b2c3d4", .payload = payload},
                  [&](delivery_result r) { out = std::move(r); });
        io.restart();
        while (!out && io.run_one() > 0) {
        }
        EXPECT_TRUE(out);
        return out.value_or(delivery_result::permanent("no result"));
    }
};

// Sends `payload` through each channel to a receiver answering 200 and hands the recorded
// request (and its JSON body, already checked against the API's limits) to `inspect`.
void for_each_channel(
    const std::string& event, const std::string& payload,
    const std::function<void(const std::string& type, const newswatch::testing::http_request&,
                             const json::object&)>& inspect) {
    http_test_server server;
    fixture f;
    for (const auto& ch : channels()) {
        SCOPED_TRACE(ch.type);
        server.on(ch.path, [](const auto&) { return http_test_server::make_response(200, "ok"); });
        auto sink = ch.make(&f.client, server.url(ch.path));
        const auto before = server.requests(ch.path).size();
        const auto r = f.send(*sink, event, payload);
        ASSERT_EQ(r.status, delivery_status::delivered) << r.detail;
        const auto seen = server.requests(ch.path);
        ASSERT_EQ(seen.size(), before + 1);
        const auto& req = seen.back();
        EXPECT_EQ(req.method(), boost::beast::http::verb::post);
        EXPECT_EQ(req["Content-Type"], "application/json; charset=utf-8");
        boost::system::error_code ec;
        const auto body = json::parse(req.body(), ec);
        ASSERT_FALSE(ec) << req.body();
        ASSERT_TRUE(body.is_object());
        check_limits(ch.type, body.as_object(), req.body().size());
        inspect(ch.type, req, body.as_object());
    }
}

std::string all_text(const std::string& type, const json::object& body) {
    std::string out;
    for (const auto& t : shown_texts(type, body)) out += t.text + "\n";
    return out;
}

TEST(chat_channels, an_alert_shows_title_watch_stance_summary_link_and_feed_but_no_offsets) {
    for_each_channel(
        "alert", alert_payload("NATO summit ends", "Leaders met in Vilnius."),
        [](const std::string& type, const auto&, const json::object& body) {
            const std::string text = all_text(type, body);
            EXPECT_NE(text.find("NATO summit ends"), std::string::npos) << text;
            EXPECT_NE(text.find("nato"), std::string::npos) << text;
            EXPECT_NE(text.find("refutes (80 %)"), std::string::npos) << text;
            EXPECT_NE(text.find("Leaders met in Vilnius"), std::string::npos) << text;
            EXPECT_NE(text.find("World News"), std::string::npos) << text;
            // The link, with the characters that would end a markup link encoded
            // (and & as an entity where the markup has entities).
            EXPECT_TRUE(text.find("https://news.example/a?x=1&y=%282%29") != std::string::npos ||
                        text.find("https://news.example/a?x=1&amp;y=%282%29") != std::string::npos)
                << text;
            EXPECT_EQ(text.find("4242"), std::string::npos) << text;
        });
}

TEST(chat_channels, each_request_follows_its_api) {
    for_each_channel(
        "alert", alert_payload("NATO summit ends", "Leaders met."),
        [](const std::string& type, const auto& req, const json::object& body) {
            if (type == "discord") {
                EXPECT_EQ(body.at("username"), "newswatch");
                EXPECT_EQ(body.at("embeds").at(0).at("url"), "https://news.example/a?x=1&y=%282%29");
            }
            if (type == "mattermost") {
                EXPECT_EQ(body.at("username"), "newswatch");
                EXPECT_EQ(body.at("channel"), "news");
                EXPECT_NE(std::string(body.at("text").as_string())
                              .find("#### [NATO summit ends](https://news.example/a?x=1&y=%282%29)"),
                          std::string::npos);
            }
            if (type == "teams") {
                const auto& card = body.at("attachments").at(0).at("content");
                EXPECT_EQ(card.at("actions").at(0).at("type"), "Action.OpenUrl");
                EXPECT_EQ(card.at("actions").at(0).at("url"), "https://news.example/a?x=1&y=%282%29");
            }
            if (type == "telegram") {
                EXPECT_EQ(req.target(), "/bot123:SECRET/sendMessage");
                EXPECT_NE(
                    std::string(body.at("text").as_string())
                        .find("<a href=\"https://news.example/a?x=1&amp;y=%282%29\">NATO summit ends</a>"),
                    std::string::npos);
                EXPECT_FALSE(body.contains("disable_notification"));
            }
            if (type == "slack") {
                bool link = false;
                for (const auto& b : body.at("blocks").as_array())
                    if (b.as_object().contains("fields"))
                        for (const auto& f : b.at("fields").as_array())
                            link = link || f.at("text") ==
                                               "<https://news.example/a?x=1&amp;y=%282%29|Open the story>";
                EXPECT_TRUE(link);
            }
        });
}

TEST(chat_channels, hostile_titles_and_summaries_cannot_ping_inject_break_headers_or_hide_text) {
    for (const auto& c : newswatch::test::hostile_cases()) {
        SCOPED_TRACE(c.name);
        for_each_channel(
            "alert", alert_payload(c.text, c.text),
            [&](const std::string& type, const auto& req, const json::object& body) {
                for (const auto& field : req) {
                    EXPECT_NE(field.name_string(), "X-Injected");
                }
                const bool html_relevant = c.payload.find_first_of("<@\r") != std::string::npos ||
                                           static_cast<unsigned char>(c.payload[0]) >= 0x80;
                for (auto t : shown_texts(type, body)) {
                    // Our own link to the story (Telegram's <a href>) is not the feed's.
                    const std::string own = "<a href=\"https://news.example/a?x=1&amp;y=%282%29\">";
                    for (auto p = t.text.find(own); p != std::string::npos; p = t.text.find(own))
                        t.text.erase(p, own.size());
                    EXPECT_EQ(t.text.find("\u202E"), std::string::npos);
                    EXPECT_EQ(t.text.find("\u2066"), std::string::npos);
                    EXPECT_EQ(t.text.find('\r'), std::string::npos);
                    if (t.kind == syntax::markdown || html_relevant) {
                        EXPECT_FALSE(occurs_active(t.text, c.payload)) << t.text;
                    }
                }
            });
    }
}

TEST(chat_channels, a_100_kb_title_and_summary_are_delivered_cut_at_a_word_with_an_ellipsis) {
    const std::string huge = newswatch::test::huge_title();
    for_each_channel("alert", alert_payload(huge, huge),
                     [](const std::string& type, const auto& req, const json::object& body) {
                         EXPECT_LT(req.body().size(), 60u * 1024);
                         const std::string text = all_text(type, body);
                         EXPECT_NE(text.find("word0 word1 word2"), std::string::npos);
                         EXPECT_NE(text.find("\u2026"), std::string::npos);
                     });
}

TEST(chat_channels, an_alert_group_names_every_watch) {
    const std::string group =
        alert_group_to_json({alert_payload("Summit", "S.", "membership"),
                             alert_payload("Summit", "S.", "peace-talks", "https://news.example/a", "high")});
    for_each_channel("alert_group", group,
                     [](const std::string& type, const auto&, const json::object& body) {
                         const std::string text = all_text(type, body);
                         EXPECT_NE(text.find("membership, peace"), std::string::npos) << text;
                         EXPECT_NE(text.find("Watches"), std::string::npos) << text;
                         if (type == "discord") {
                             EXPECT_EQ(body.at("embeds").at(0).at("color"), 0xE74C3C);
                         }
                     });
}

TEST(chat_channels, a_storm_lists_its_alerts_up_to_the_limit_and_counts_the_rest) {
    storm_summary s;
    s.watch = "escalation";
    s.from = newswatch::core::timestamp{std::chrono::seconds(1'780'000'000)};
    s.until = s.from + std::chrono::minutes(10);
    for (int i = 0; i < 300; ++i)
        s.alerts.push_back({"x" + std::to_string(i),
                            "Story number " + std::to_string(i) + " " + std::string(60, 'z'),
                            "https://a.example/" + std::to_string(i)});
    for_each_channel("storm", storm_to_json(s),
                     [](const std::string& type, const auto&, const json::object& body) {
                         const std::string text = all_text(type, body);
                         EXPECT_NE(text.find("and 300 more for watch escalation"), std::string::npos) << text;
                         EXPECT_NE(text.find("Story number 0 "), std::string::npos);
                         EXPECT_NE(text.find("https://a.example/0"), std::string::npos);
                         EXPECT_EQ(text.find("Story number 299 "), std::string::npos);  // cut to the limit...
                         EXPECT_NE(text.find("\u2026and "), std::string::npos);         // ...and counted
                     });
}

TEST(chat_channels, a_digest_lists_each_story_with_its_watches) {
    const newswatch::sinks::digest_period p{"chat",
                                            newswatch::core::timestamp{std::chrono::seconds(1'780'000'000)},
                                            newswatch::core::timestamp{std::chrono::seconds(1'780'003'600)}};
    const std::string digest = digest_to_json(
        p, {{alert_payload("First story", "F.", "membership"), alert_payload("First story", "F.", "claims")},
            {alert_payload("Second <b>story</b>", "S.", "aid")}});
    for_each_channel("digest", digest, [](const std::string& type, const auto&, const json::object& body) {
        const std::string text = all_text(type, body);
        EXPECT_NE(text.find("newswatch digest: 3 alerts in 2 stories"), std::string::npos) << text;
        EXPECT_NE(text.find("First story"), std::string::npos) << text;
        EXPECT_NE(text.find("membership, claims"), std::string::npos) << text;
        EXPECT_NE(text.find("aid"), std::string::npos) << text;
        EXPECT_EQ(text.find("<b>story</b>"), std::string::npos) << text;
        EXPECT_EQ(text.find("\u2026and"), std::string::npos) << text;  // nothing left out
    });
}

TEST(chat_channels, throttling_and_server_errors_retry_a_bad_request_is_permanent) {
    http_test_server server;
    int calls = 0;
    server.on_unmatched([&](const auto&) {
        switch (++calls % 4) {
            case 1:
                return http_test_server::make_response(
                    429,
                    R"({"message":"You are being rate limited.","retry_after":2.5,"parameters":{"retry_after":7}})",
                    "application/json");
            case 2:
                return http_test_server::make_response(502, "bad gateway");
            case 3:
                return http_test_server::make_response(400, R"({"ok":false,"description":"Bad Request"})");
            default:
                return http_test_server::make_response(202, "");
        }
    });
    fixture f;
    for (const auto& ch : channels()) {
        SCOPED_TRACE(ch.type);
        auto sink = ch.make(&f.client, server.url(ch.path));
        const std::string payload = alert_payload("T", "S");
        auto r = f.send(*sink, "alert", payload);
        EXPECT_EQ(r.status, delivery_status::retry) << r.detail;
        ASSERT_TRUE(r.retry_after);
        EXPECT_EQ(r.retry_after->count(), 3);  // "retry_after": 2.5 seconds, rounded up
        EXPECT_EQ(f.send(*sink, "alert", payload).status, delivery_status::retry);
        r = f.send(*sink, "alert", payload);
        EXPECT_EQ(r.status, delivery_status::permanent);
        // Details name the host, never the path (webhook secrets, the bot token).
        EXPECT_EQ(r.detail.find("SECRET"), std::string::npos) << r.detail;
        EXPECT_EQ(r.detail.find(ch.path), std::string::npos) << r.detail;
        EXPECT_EQ(f.send(*sink, "alert", payload).status, delivery_status::delivered);  // 202: a Workflow
    }
}

TEST(chat_channels, a_429_retry_after_header_wins_and_telegram_reads_parameters) {
    http_test_server server;
    server.on("/h", [](const auto&) {
        auto r = http_test_server::make_response(429, R"({"retry_after":1})");
        r.set("Retry-After", "11");
        return r;
    });
    server.on("/t", [](const auto&) {
        return http_test_server::make_response(
            429, R"({"ok":false,"error_code":429,"parameters":{"retry_after":7}})");
    });
    fixture f;
    discord_sink discord("d", &f.client, endpoint_for(server.url("/h")), {});
    EXPECT_EQ(f.send(discord, "alert", alert_payload("T", "S")).retry_after->count(), 11);
    telegram_sink telegram("t", &f.client, endpoint_for(server.url("/t")),
                           {.chat_id = "1", .link_preview = false});
    EXPECT_EQ(f.send(telegram, "alert", alert_payload("T", "S")).retry_after->count(), 7);
}

TEST(chat_channels, a_low_priority_telegram_alert_is_silent) {
    telegram_sink sink("t", nullptr, endpoint_for("http://127.0.0.1:1/x"),
                       {.chat_id = "@news", .link_preview = true});
    const auto r = sink.request_for(
        {.event = "alert", .id = "a", .payload = alert_payload("T", "S", "w", "https://a.example/", "low")});
    const auto body = json::parse(r.body).as_object();
    EXPECT_EQ(body.at("chat_id"), "@news");
    EXPECT_EQ(body.at("disable_notification"), true);
    EXPECT_EQ(body.at("link_preview_options").at("is_disabled"), false);
}

TEST(chat_markup, cuts_to_utf16_units_after_escaping) {
    EXPECT_EQ(utf16_length("a\u00e9\u20ac\U0001F600"), 5u);
    const std::string cut = cut_to_fit("one *two* three four", 12, markdown_escaped);
    EXPECT_LE(utf16_length(cut), 12u);
    EXPECT_EQ(cut, "one \\*two\\*\u2026");
    EXPECT_EQ(without_mentions("mail a@b, @ x"), "mail a@\u200Bb, @ x");
    EXPECT_EQ(link_target("javascript:alert(1)"), "");
    EXPECT_EQ(link_target("https://a.example/x(y)'z"), "https://a.example/x%28y%29%27z");
    EXPECT_EQ(link_target("https://a.example/x y"), "");  // not a URL
    EXPECT_EQ(slack_escaped("<!here> & <@U1>"), "&lt;!here&gt; &amp; &lt;@\u200BU1&gt;");
    EXPECT_EQ(mattermost_escaped("<!channel> **b**"), "&lt;!channel&gt; \\*\\*b\\*\\*");
}

}  // namespace
