// The push channels of issue #12 that call an HTTP API (ntfy, Gotify, Pushover, Matrix)
// against a real loopback receiver that records method, path, headers and body: the
// fields, types and limits of each service's API page, the priority mapping, retry and
// permanent answers, Matrix's transaction id, grouped messages, storms and digests, a
// 100 KB title, and the hostile-title table (no ping, no markup or link, no header break,
// no bidi control).
#include "newswatch/sinks/push_text.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <map>
#include <optional>

#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>

#include "hostile_text.hpp"
#include "http_test_server.hpp"
#include "newswatch/http/http_client.hpp"
#include "newswatch/sinks/gotify_sink.hpp"
#include "newswatch/sinks/grouped_json.hpp"
#include "newswatch/sinks/matrix_sink.hpp"
#include "newswatch/sinks/ntfy_sink.hpp"
#include "newswatch/sinks/pushover_sink.hpp"
#include "newswatch/text/word_cut.hpp"

namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using namespace newswatch::sinks;
using newswatch::http::http_client;
using newswatch::testing::http_request;
using newswatch::testing::http_test_server;
using newswatch::text::count_code_points;

struct alert_fields {
    std::string title = "Parliament passes the budget";
    std::string summary = "The vote was 301 to 250 after a long night.";
    std::string link = "https://news.example/budget";
    std::string priority = "default";
    bool urgent = false;
    std::string id = "a1b2c3d4";
    std::string watch = "budget";
};

std::string alert_payload(const alert_fields& f) {
    json::object root{{"type", "alert"},
                      {"id", f.id},
                      {"watch", f.watch},
                      {"priority", f.priority},
                      {"urgent", f.urgent},
                      {"feed", {{"url", "https://news.example/feed"}, {"title", "Example News"}}},
                      {"item", {{"id", "i1"}, {"title", f.title}, {"link", f.link}, {"summary", f.summary}}},
                      {"matched", json::array{"budget"}},
                      {"hits", json::array{json::object{{"offset", 4711}, {"length", 6}}}},
                      {"stance", {{"claim", "The budget passed"}, {"label", "agree"}, {"confidence", 0.9}}},
                      {"detected_at", "2026-12-06T10:00:00Z"}};
    return json::serialize(root);
}

// ---- decoding what a receiver got --------------------------------------------------

std::string base64_decoded(std::string_view in) {
    static const std::string table = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    unsigned value = 0;
    int bits = 0;
    for (char c : in) {
        const auto pos = table.find(c);
        if (pos == std::string::npos) continue;
        value = (value << 6) | static_cast<unsigned>(pos);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((value >> bits) & 0xFF);
        }
    }
    return out;
}

// RFC 2047 encoded-words ("=?UTF-8?B?...?=", separated by spaces) as text.
std::string rfc2047_decoded(std::string_view value) {
    if (!value.starts_with("=?")) return std::string(value);
    std::string out;
    std::size_t i = 0;
    while ((i = value.find("=?UTF-8?B?", i)) != std::string_view::npos) {
        const auto end = value.find("?=", i + 10);
        out += base64_decoded(value.substr(i + 10, end - i - 10));
        i = end + 2;
    }
    return out;
}

std::string percent_decoded(std::string_view in) {
    std::string out;
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (in[i] == '%' && i + 2 < in.size()) {
            out += static_cast<char>(std::stoi(std::string(in.substr(i + 1, 2)), nullptr, 16));
            i += 2;
        } else {
            out += in[i] == '+' ? ' ' : in[i];
        }
    }
    return out;
}

std::map<std::string, std::string> form_fields(std::string_view body) {
    std::map<std::string, std::string> out;
    std::size_t start = 0;
    while (start <= body.size()) {
        auto end = body.find('&', start);
        if (end == std::string_view::npos) end = body.size();
        const auto pair = body.substr(start, end - start);
        const auto eq = pair.find('=');
        out[percent_decoded(pair.substr(0, eq))] = percent_decoded(pair.substr(eq + 1));
        start = end + 1;
    }
    return out;
}

// ---- the channels, each against the receiver -----------------------------------------

// What a person sees of a delivery: the title and the body(ies), decoded.
struct shown_text {
    std::string title;
    std::vector<std::string> bodies;
    bool markup_allowed = false;  // the service renders the body as HTML
};

struct channel {
    std::string name;
    std::string path;  // the request target the receiver sees (Matrix: without the txn id)
    std::function<std::unique_ptr<push_api_sink>(http_client*, const std::string& base)> make;
    std::function<shown_text(const http_request&)> shown;
};

std::vector<channel> channels() {
    return {
        {"ntfy", "/alerts",
         [](http_client* c, const std::string& base) {
             return std::make_unique<ntfy_sink>(
                 "n", c, ntfy_sink::settings{.server = base, .topic = "alerts", .token = "tk_1", .http = {}});
         },
         [](const http_request& r) {
             return shown_text{rfc2047_decoded(r["Title"]), {r.body()}};
         }},
        {"gotify", "/message",
         [](http_client* c, const std::string& base) {
             return std::make_unique<gotify_sink>(
                 "g", c, gotify_sink::settings{.server = base + "/", .token = "AbC", .http = {}});
         },
         [](const http_request& r) {
             const auto doc = json::parse(r.body()).as_object();
             return shown_text{std::string(doc.at("title").as_string()),
                               {std::string(doc.at("message").as_string())}};
         }},
        {"pushover", "/1/messages.json",
         [](http_client* c, const std::string& base) {
             return std::make_unique<pushover_sink>(
                 "p", c,
                 pushover_sink::settings{
                     .api_base = base, .user_key = "uKEY", .token = "aTOKEN", .http = {}});
         },
         [](const http_request& r) {
             auto f = form_fields(r.body());
             return shown_text{f["title"], {f["message"], f["url_title"]}};
         }},
        {"matrix", "/_matrix/client/v3/rooms/%21room%3Aexample.org/send/m.room.message/",
         [](http_client* c, const std::string& base) {
             return std::make_unique<matrix_sink>("m", c,
                                                  matrix_sink::settings{.homeserver = base,
                                                                        .room_id = "!room:example.org",
                                                                        .access_token = "syt_x",
                                                                        .msgtype = "m.text",
                                                                        .http = {}});
         },
         [](const http_request& r) {
             const auto doc = json::parse(r.body()).as_object();
             return shown_text{
                 "",
                 {std::string(doc.at("body").as_string()), std::string(doc.at("formatted_body").as_string())},
                 true};
         }},
    };
}

struct fixture {
    asio::io_context io;
    http_client client{io.get_executor(), {}};

    delivery_result send(alert_sink& sink, std::string_view event, std::string_view id,
                         std::string_view payload) {
        std::optional<delivery_result> out;
        sink.send(delivery_message{.event = event, .id = id, .payload = payload},
                  [&](delivery_result r) { out = std::move(r); });
        io.restart();
        while (!out && io.run_one() > 0) {
        }
        EXPECT_TRUE(out);
        return out.value_or(delivery_result::permanent("no result"));
    }
};

// A receiver that answers every request with `status` and records it.
struct receiver {
    std::atomic<unsigned> status{200};
    http_test_server server;
    receiver() {
        server.on_unmatched([this](const http_request&) {
            return http_test_server::make_response(status.load(), R"({"event_id":"$e","id":1,"status":1})",
                                                   "application/json");
        });
    }
    // Every request, whatever its path.
    std::vector<http_request> all(const channel& c, std::string_view id) const {
        return server.requests(c.path + (c.name == "matrix" ? std::string(id) : ""));
    }
};

// ---- push_text ----------------------------------------------------------------------

TEST(push_text, cuts_at_a_word_within_bytes_or_code_points) {
    const std::string text = "Ünïcödé wörds " + newswatch::test::huge_title(10'000);
    const auto bytes = cut_text(text, {.max = 100, .unit = length_unit::bytes});
    EXPECT_LE(bytes.size(), 100u);
    EXPECT_TRUE(bytes.ends_with("…"));
    const auto chars = cut_text(text, {.max = 100, .unit = length_unit::code_points});
    EXPECT_LE(count_code_points(chars), 100u);
    EXPECT_GT(chars.size(), 100u - 1);
    EXPECT_EQ(cut_text("short", {.max = 100}), "short");
}

TEST(push_text, shows_title_watches_stance_summary_link_and_feed_but_no_offsets) {
    const auto v = make_alert_view("alert", "a1", alert_payload({}));
    const auto body = push_body(v, {.limit = {.max = 4096}, .with_title = true});
    for (const auto* part :
         {"Parliament passes the budget", "Watch: budget", "Stance: agree (90 %): The budget passed",
          "The vote was 301 to 250", "Link: https://news.example/budget", "Feed: Example News"})
        EXPECT_NE(body.find(part), std::string::npos) << part << "\n" << body;
    EXPECT_EQ(body.find("4711"), std::string::npos);
}

TEST(push_text, a_storm_lists_what_fits_and_then_and_n_more) {
    storm_summary s;
    s.watch = "budget";
    for (int i = 0; i < 200; ++i)
        s.alerts.push_back({"id" + std::to_string(i),
                            "Story number " + std::to_string(i) + " about the budget",
                            "https://news.example/" + std::to_string(i)});
    const auto v = make_alert_view("storm", storm_id(s), storm_to_json(s));
    for (auto unit : {length_unit::bytes, length_unit::code_points})
        for (std::size_t max : {1024u, 4096u}) {
            const auto body = push_body(v, {.limit = {.max = max, .unit = unit}});
            EXPECT_LE(text_length(body, unit), max);
            EXPECT_NE(body.find("- Story number 0 about the budget https://news.example/0"),
                      std::string::npos);
            EXPECT_NE(body.find(" more"), std::string::npos) << body;
            EXPECT_NE(body.find("…and "), std::string::npos);
        }
    const auto html =
        push_body(v, {.limit = {.max = 2000, .unit = length_unit::bytes}, .format = markup::html});
    EXPECT_LE(html.size(), 2000u);
    EXPECT_NE(html.find("<a href=\"https://news.example/0\">Story number 0 about the budget</a>"),
              std::string::npos);
}

// ---- the fields of each API ---------------------------------------------------------

TEST(ntfy_sink, posts_plain_text_to_the_topic_with_title_tags_priority_click_and_token) {
    receiver rx;
    fixture f;
    ntfy_sink sink("n", &f.client,
                   {.server = rx.server.base_url() + "/", .topic = "alerts", .token = "tk_1", .http = {}});
    const auto r =
        f.send(sink, "alert", "a1", alert_payload({.title = "Zürich votes", .watch = "vote, city"}));
    ASSERT_TRUE(r.delivered()) << r.detail;
    const auto reqs = rx.server.requests("/alerts");
    ASSERT_EQ(reqs.size(), 1u);
    const auto& q = reqs[0];
    EXPECT_EQ(q.method(), boost::beast::http::verb::post);
    EXPECT_EQ(q["Content-Type"], "text/plain; charset=utf-8");
    EXPECT_EQ(q["Authorization"], "Bearer tk_1");
    EXPECT_EQ(q["Priority"], "3");
    EXPECT_EQ(q["Click"], "https://news.example/budget");
    EXPECT_TRUE(q["Title"].starts_with("=?UTF-8?B?")) << q["Title"];  // not ASCII: RFC 2047
    EXPECT_EQ(rfc2047_decoded(q["Title"]), "Zürich votes");
    EXPECT_EQ(q["Tags"], "newspaper,vote  city");
    EXPECT_EQ(q.find("Markdown"), q.end());
    EXPECT_NE(q.body().find("The vote was 301"), std::string::npos);
    EXPECT_LE(q.body().size(), ntfy_sink::max_message_bytes);
}

TEST(gotify_sink, posts_json_with_the_key_header_plain_text_display_and_click_url) {
    receiver rx;
    fixture f;
    gotify_sink sink("g", &f.client, {.server = rx.server.base_url(), .token = "AbC", .http = {}});
    ASSERT_TRUE(f.send(sink, "alert", "a1", alert_payload({})).delivered());
    const auto reqs = rx.server.requests("/message");
    ASSERT_EQ(reqs.size(), 1u);
    EXPECT_EQ(reqs[0]["X-Gotify-Key"], "AbC");
    EXPECT_EQ(reqs[0]["Content-Type"], "application/json");
    const auto doc = json::parse(reqs[0].body()).as_object();
    EXPECT_EQ(doc.at("title").as_string(), "Parliament passes the budget");
    EXPECT_TRUE(doc.at("message").is_string());
    EXPECT_TRUE(doc.at("priority").is_int64());
    EXPECT_EQ(doc.at("priority").as_int64(), 5);
    EXPECT_EQ(doc.at("extras").at("client::display").at("contentType").as_string(), "text/plain");
    EXPECT_EQ(doc.at("extras").at("client::notification").at("click").at("url").as_string(),
              "https://news.example/budget");
}

TEST(pushover_sink, posts_the_form_fields_within_their_limits) {
    receiver rx;
    fixture f;
    pushover_sink sink("p", &f.client,
                       {.api_base = rx.server.base_url(), .user_key = "uKEY", .token = "aTOKEN", .http = {}});
    ASSERT_TRUE(f.send(sink, "alert", "a1", alert_payload({})).delivered());
    const auto reqs = rx.server.requests("/1/messages.json");
    ASSERT_EQ(reqs.size(), 1u);
    EXPECT_EQ(reqs[0]["Content-Type"], "application/x-www-form-urlencoded");
    auto fields = form_fields(reqs[0].body());
    EXPECT_EQ(fields["token"], "aTOKEN");
    EXPECT_EQ(fields["user"], "uKEY");
    EXPECT_EQ(fields["title"], "Parliament passes the budget");
    EXPECT_EQ(fields["url"], "https://news.example/budget");
    EXPECT_EQ(fields["url_title"], "Parliament passes the budget");
    EXPECT_EQ(fields["priority"], "0");
    EXPECT_FALSE(fields.contains("html"));  // plain text: nothing in it is markup
    EXPECT_NE(fields["message"].find("Feed: Example News"), std::string::npos);
    EXPECT_EQ(fields["message"].find("Link:"), std::string::npos);  // it is the url field

    // A link longer than the url field's 512 stays out of it.
    ASSERT_TRUE(
        f.send(sink, "alert", "a2", alert_payload({.link = "https://news.example/" + std::string(600, 'x')}))
            .delivered());
    fields = form_fields(rx.server.requests("/1/messages.json").at(1).body());
    EXPECT_FALSE(fields.contains("url"));
}

TEST(matrix_sink, puts_an_m_room_message_with_html_and_no_mentions_under_the_delivery_id) {
    receiver rx;
    fixture f;
    matrix_sink sink("m", &f.client,
                     {.homeserver = rx.server.base_url(),
                      .room_id = "!room:example.org",
                      .access_token = "syt_x",
                      .msgtype = "m.text",
                      .http = {}});
    ASSERT_TRUE(f.send(sink, "alert", "a1b2", alert_payload({})).delivered());
    const auto reqs =
        rx.server.requests("/_matrix/client/v3/rooms/%21room%3Aexample.org/send/m.room.message/a1b2");
    ASSERT_EQ(reqs.size(), 1u);
    EXPECT_EQ(reqs[0].method(), boost::beast::http::verb::put);
    EXPECT_EQ(reqs[0]["Authorization"], "Bearer syt_x");
    const auto doc = json::parse(reqs[0].body()).as_object();
    EXPECT_EQ(doc.at("msgtype").as_string(), "m.text");
    EXPECT_EQ(doc.at("format").as_string(), "org.matrix.custom.html");
    EXPECT_TRUE(doc.at("m.mentions").is_object());
    EXPECT_TRUE(doc.at("m.mentions").as_object().empty());
    EXPECT_TRUE(std::string_view(doc.at("body").as_string()).starts_with("Parliament passes the budget\n"));
    EXPECT_NE(std::string_view(doc.at("formatted_body").as_string())
                  .find("<b><a href=\"https://news.example/budget\">Parliament passes the budget</a></b>"),
              std::string::npos);
}

TEST(matrix_sink, a_retried_delivery_reuses_its_transaction_id) {
    http_test_server server;
    std::atomic<int> calls{0};
    const std::string path = "/_matrix/client/v3/rooms/%21room%3Aexample.org/send/m.room.message/group-77";
    server.on(path, [&](const http_request&) {
        if (++calls == 1)
            return http_test_server::make_response(
                429, R"({"errcode":"M_LIMIT_EXCEEDED","error":"Too many requests","retry_after_ms":2500})",
                "application/json");
        return http_test_server::make_response(200, R"({"event_id":"$abc"})", "application/json");
    });
    fixture f;
    matrix_sink sink("m", &f.client,
                     {.homeserver = server.base_url(),
                      .room_id = "!room:example.org",
                      .access_token = "syt_x",
                      .msgtype = "m.text",
                      .http = {}});
    const std::string payload = alert_group_to_json({alert_payload({}), alert_payload({.watch = "vote"})});
    const auto first = f.send(sink, "alert_group", "group-77", payload);
    EXPECT_EQ(first.status, delivery_status::retry) << first.detail;
    ASSERT_TRUE(first.retry_after);
    EXPECT_EQ(first.retry_after->count(), 3);  // 2,500 ms, rounded up
    EXPECT_TRUE(f.send(sink, "alert_group", "group-77", payload).delivered());
    const auto reqs = server.requests(path);
    ASSERT_EQ(reqs.size(), 2u);  // the same path, so the same transaction id
    EXPECT_EQ(reqs[0].body(), reqs[1].body());
    EXPECT_EQ(first.detail.find("syt_x"), std::string::npos);
}

// ---- every channel -------------------------------------------------------------------

TEST(push_channels, priorities_map_to_each_services_scale) {
    struct expected {
        std::string priority;
        bool urgent;
        std::string ntfy;
        int gotify;
        std::string pushover;
    };
    const std::vector<expected> table = {{"high", false, "4", 8, "1"},
                                         {"default", false, "3", 5, "0"},
                                         {"low", false, "2", 2, "-1"},
                                         {"low", true, "5", 2, "-1"}};
    receiver rx;
    fixture f;
    auto all = channels();
    auto ntfy = all[0].make(&f.client, rx.server.base_url());
    auto gotify = all[1].make(&f.client, rx.server.base_url());
    auto pushover = all[2].make(&f.client, rx.server.base_url());
    for (std::size_t i = 0; i < table.size(); ++i) {
        const auto payload = alert_payload({.priority = table[i].priority, .urgent = table[i].urgent});
        ASSERT_TRUE(f.send(*ntfy, "alert", "a", payload).delivered());
        ASSERT_TRUE(f.send(*gotify, "alert", "a", payload).delivered());
        ASSERT_TRUE(f.send(*pushover, "alert", "a", payload).delivered());
        EXPECT_EQ(rx.server.requests("/alerts").at(i)["Priority"], table[i].ntfy) << i;
        EXPECT_EQ(json::parse(rx.server.requests("/message").at(i).body()).at("priority").as_int64(),
                  table[i].gotify);
        EXPECT_EQ(form_fields(rx.server.requests("/1/messages.json").at(i).body())["priority"],
                  table[i].pushover);
    }
}

TEST(push_channels, throttling_and_server_errors_retry_and_client_errors_are_permanent) {
    for (const auto& c : channels()) {
        receiver rx;
        fixture f;
        auto sink = c.make(&f.client, rx.server.base_url());
        for (unsigned status : {429u, 500u, 502u, 503u}) {
            rx.status = status;
            const auto r = f.send(*sink, "alert", "a1", alert_payload({}));
            EXPECT_EQ(r.status, delivery_status::retry) << c.name << " " << status << ": " << r.detail;
        }
        for (unsigned status : {400u, 401u, 403u, 404u}) {
            rx.status = status;
            const auto r = f.send(*sink, "alert", "a1", alert_payload({}));
            EXPECT_EQ(r.status, delivery_status::permanent) << c.name << " " << status << ": " << r.detail;
            // A detail names the service's origin, never a token.
            for (const auto* secret : {"tk_1", "AbC", "aTOKEN", "uKEY", "syt_x"})
                EXPECT_EQ(r.detail.find(secret), std::string::npos) << c.name << ": " << r.detail;
        }
    }
}

TEST(push_channels, a_100_kb_title_and_summary_are_delivered_cut_to_the_limits) {
    const std::string huge = newswatch::test::huge_title();
    for (const auto& c : channels()) {
        receiver rx;
        fixture f;
        auto sink = c.make(&f.client, rx.server.base_url());
        const auto r = f.send(*sink, "alert", "big", alert_payload({.title = huge, .summary = huge}));
        ASSERT_TRUE(r.delivered()) << c.name << ": " << r.detail;
        const auto reqs = rx.all(c, "big");
        ASSERT_EQ(reqs.size(), 1u) << c.name;
        const auto shown = c.shown(reqs[0]);
        if (c.name == "ntfy") {
            EXPECT_LE(reqs[0].body().size(), ntfy_sink::max_message_bytes);
            EXPECT_LE(count_code_points(shown.title), ntfy_sink::max_title_chars);
        } else if (c.name == "gotify") {
            EXPECT_LE(count_code_points(shown.bodies[0]), gotify_sink::max_message_chars);
            EXPECT_LE(count_code_points(shown.title), gotify_sink::max_title_chars);
        } else if (c.name == "pushover") {
            EXPECT_LE(count_code_points(shown.title), pushover_sink::max_title_chars);
            EXPECT_LE(count_code_points(shown.bodies[0]), pushover_sink::max_message_chars);
            EXPECT_LE(count_code_points(shown.bodies[1]), pushover_sink::max_url_title_chars);
        } else {
            EXPECT_LE(shown.bodies[0].size(), matrix_sink::max_body_bytes);
            EXPECT_LE(shown.bodies[1].size(), matrix_sink::max_formatted_body_bytes);
            EXPECT_LT(reqs[0].body().size(), 65'536u);
        }
        // Cut at a word boundary, with an ellipsis, and the link and feed are still there.
        const std::string& first = c.name == "matrix" ? shown.bodies[0] : shown.title;
        EXPECT_NE(first.find("…"), std::string::npos) << c.name;
        EXPECT_NE(shown.bodies[0].find("Example News"), std::string::npos) << c.name;
    }
}

TEST(push_channels, an_alert_group_a_storm_and_a_digest_render) {
    const std::string group = alert_group_to_json(
        {alert_payload({.id = "a1", .watch = "budget"}), alert_payload({.id = "a2", .watch = "parliament"})});
    storm_summary storm;
    storm.watch = "budget";
    for (int i = 0; i < 300; ++i)
        storm.alerts.push_back({"s" + std::to_string(i),
                                "Storm story " + std::to_string(i) + " " + std::string(40, 'x'),
                                "https://news.example/s" + std::to_string(i)});
    const std::string digest = digest_to_json(
        {"push", {}, {}}, {{alert_payload({.title = "First story", .id = "d1"})},
                           {alert_payload({.title = "Second story", .id = "d2", .watch = "vote"})}});
    for (const auto& c : channels()) {
        receiver rx;
        fixture f;
        auto sink = c.make(&f.client, rx.server.base_url());
        ASSERT_TRUE(f.send(*sink, "alert_group", "g1", group).delivered()) << c.name;
        auto shown = c.shown(rx.all(c, "g1").back());
        EXPECT_NE(shown.bodies[0].find("Watches: budget, parliament"), std::string::npos)
            << c.name << shown.bodies[0];

        ASSERT_TRUE(f.send(*sink, "storm", "st1", storm_to_json(storm)).delivered()) << c.name;
        shown = c.shown(rx.all(c, "st1").back());
        EXPECT_NE(shown.bodies[0].find("Storm story 0"), std::string::npos) << c.name;
        EXPECT_NE(shown.bodies[0].find(" more"), std::string::npos) << c.name;  // 300 fit no limit

        ASSERT_TRUE(f.send(*sink, "digest", "dg1", digest).delivered()) << c.name;
        shown = c.shown(rx.all(c, "dg1").back());
        EXPECT_NE(shown.bodies[0].find("First story"), std::string::npos) << c.name;
        EXPECT_NE(shown.bodies[0].find("Second story"), std::string::npos) << c.name;
    }
}

TEST(push_channels, hostile_titles_and_summaries_cannot_ping_inject_break_headers_or_hide_text) {
    for (const auto& c : channels()) {
        receiver rx;
        fixture f;
        auto sink = c.make(&f.client, rx.server.base_url());
        int n = 0;
        for (const auto& h : newswatch::test::hostile_cases()) {
            const std::string id = "h" + std::to_string(n++);
            const auto r = f.send(*sink, "alert", id, alert_payload({.title = h.text, .summary = h.text}));
            ASSERT_TRUE(r.delivered()) << c.name << " / " << h.name << ": " << r.detail;
            // Matrix: one path per transaction id; the others: one path, a request per case.
            const auto reqs = rx.all(c, id);
            ASSERT_EQ(reqs.size(), c.name == "matrix" ? 1u : static_cast<std::size_t>(n))
                << c.name << " / " << h.name;
            const auto& q = reqs.back();
            // No header of the feed's making.
            EXPECT_EQ(q.find("X-Injected"), q.end()) << c.name << " / " << h.name;
            for (const auto& field : q)
                EXPECT_EQ(std::string(field.value()).find_first_of("\r\n"), std::string::npos) << c.name;
            const auto shown = c.shown(q);
            std::vector<std::string> texts = shown.bodies;
            texts.push_back(shown.title);
            for (const auto& t : texts) {
                for (const auto* hidden : {"\u202E", "\u2066", "\u2069", "\r"})
                    EXPECT_EQ(t.find(hidden), std::string::npos) << c.name << " / " << h.name;
                // Matrix notifies a room for "@room" in a body; the others have no such word.
                if (c.name == "matrix") {
                    EXPECT_EQ(t.find("@room"), std::string::npos) << h.name;
                }
            }
            if (c.name == "matrix") {
                const auto doc = json::parse(q.body()).as_object();
                EXPECT_TRUE(doc.at("m.mentions").as_object().empty());
                // The formatted body escapes the feed's markup: none of it is active.
                const std::string html(doc.at("formatted_body").as_string());
                for (const auto* active :
                     {"<a href=\"http://evil", "<script", "<b>bold", "<!channel>", "<@U123>", "<http://evil"})
                    EXPECT_EQ(html.find(active), std::string::npos) << h.name << ": " << html;
                if (h.text.find('<') != std::string::npos) {
                    EXPECT_NE(html.find("&lt;"), std::string::npos) << h.name;
                }
            } else {
                // Plain text everywhere: the services show markup and markdown as written.
                EXPECT_FALSE(shown.markup_allowed);
                if (c.name == "ntfy") {
                    EXPECT_EQ(q.find("Markdown"), q.end());
                    EXPECT_EQ(q.find("X-Markdown"), q.end());
                }
                if (c.name == "gotify") {
                    EXPECT_EQ(json::parse(q.body())
                                  .at("extras")
                                  .at("client::display")
                                  .at("contentType")
                                  .as_string(),
                              "text/plain");
                }
                if (c.name == "pushover") {
                    EXPECT_FALSE(form_fields(q.body()).contains("html"));
                }
            }
        }
    }
}

}  // namespace
