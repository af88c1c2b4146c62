// The webhook channel against a real HTTP receiver on 127.0.0.1 (issue 11):
// headers and HMAC, the result of each kind of answer (fails, times out, 429
// with Retry-After, recovers), templates escaped per content type, and secrets
// kept out of details.
#include "newswatch/sinks/webhook_sink.hpp"

#include <gtest/gtest.h>

#include <openssl/hmac.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>

#include "http_test_server.hpp"
#include "newswatch/config/config.hpp"
#include "newswatch/config/config_error.hpp"
#include "newswatch/core/sha256.hpp"
#include "newswatch/sinks/sink_context.hpp"
#include "test_paths.hpp"

namespace {

namespace asio = boost::asio;
using namespace newswatch::sinks;
using newswatch::http::http_client;
using newswatch::testing::http_test_server;

const std::string payload =
    R"({"type":"alert","id":"a1b2c3","watch":"Rust","feed":{"url":"https://f.example/feed","title":"F"},)"
    R"("item":{"id":"i","title":"Rust 2.0 \"now\" <b>","link":"https://f.example/p","summary":"Sum"},)"
    R"("matched":["rust"],"hits":[],"detected_at":"2026-12-06T10:00:00Z"})";

struct fixture {
    asio::io_context io;
    http_client client{io.get_executor(), {}};

    delivery_result send(alert_sink& sink, std::string_view event = "alert", std::string_view id = "a1b2c3",
                         std::string_view body = payload) {
        std::optional<delivery_result> out;
        sink.send(delivery_message{.event = event, .id = id, .payload = body},
                  [&](delivery_result r) { out = std::move(r); });
        io.restart();
        while (!out && io.run_one() > 0) {
        }
        EXPECT_TRUE(out);
        return out.value_or(delivery_result::permanent("no result"));
    }
};

// An independent HMAC (OpenSSL directly) to check the sink's header against.
std::string reference_hmac(const std::string& key, const std::string& data) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest, &length);
    std::string hex;
    for (unsigned i = 0; i < length; ++i) {
        static constexpr char digits[] = "0123456789abcdef";
        hex += digits[digest[i] >> 4];
        hex += digits[digest[i] & 15];
    }
    return hex;
}

TEST(webhook_sink, hmac_matches_rfc_4231) {
    EXPECT_EQ(newswatch::core::hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(webhook_sink, posts_the_payload_with_id_event_signature_and_headers) {
    http_test_server server;
    server.on("/hook", [](const auto&) { return http_test_server::make_response(204, ""); });
    fixture f;
    webhook_sink::settings s;
    s.url = server.url("/hook");
    s.secret = "k3y";
    s.headers = {{"Authorization", "Bearer t0ken"}};
    webhook_sink sink("hook", &f.client, s);
    const auto r = f.send(sink);
    EXPECT_EQ(r.status, delivery_status::delivered) << r.detail;
    const auto seen = server.requests("/hook");
    ASSERT_EQ(seen.size(), 1u);
    const auto& req = seen[0];
    EXPECT_EQ(req.method(), boost::beast::http::verb::post);
    EXPECT_EQ(req.body(), payload);
    EXPECT_EQ(req["Content-Type"], "application/json");
    EXPECT_EQ(req["X-Newswatch-Id"], "a1b2c3");
    EXPECT_EQ(req["X-Newswatch-Event"], "alert");
    EXPECT_EQ(req["Authorization"], "Bearer t0ken");
    EXPECT_EQ(std::string(req["X-Newswatch-Signature"]), "sha256=" + reference_hmac("k3y", req.body()));
}

TEST(webhook_sink, receiver_that_fails_times_out_and_throttles_then_recovers) {
    http_test_server server;
    std::atomic<int> calls{0};
    server.on("/hook?token=SECRET", [&](const auto&) {
        switch (++calls) {
            case 1:
                return http_test_server::make_response(503, "down");
            case 2:
                std::this_thread::sleep_for(std::chrono::seconds(3));  // beyond the sink's timeout
                return http_test_server::make_response(200, "too late");
            case 3: {
                auto r = http_test_server::make_response(429, "slow down");
                r.set("Retry-After", "17");
                return r;
            }
            default:
                return http_test_server::make_response(200, "ok");
        }
    });
    fixture f;
    webhook_sink::settings s;
    s.url = server.url("/hook?token=SECRET");
    s.timeout = std::chrono::milliseconds(500);
    webhook_sink sink("hook", &f.client, s);

    auto r = f.send(sink);
    EXPECT_EQ(r.status, delivery_status::retry) << r.detail;
    EXPECT_NE(r.detail.find("503"), std::string::npos);
    r = f.send(sink);
    EXPECT_EQ(r.status, delivery_status::retry) << r.detail;
    EXPECT_NE(r.detail.find("timeout"), std::string::npos) << r.detail;
    r = f.send(sink);
    EXPECT_EQ(r.status, delivery_status::retry) << r.detail;
    ASSERT_TRUE(r.retry_after);
    EXPECT_EQ(r.retry_after->count(), 17);
    r = f.send(sink);
    EXPECT_EQ(r.status, delivery_status::delivered) << r.detail;
    // Details show scheme and host only.
    EXPECT_EQ(r.detail.find("SECRET"), std::string::npos);
    EXPECT_EQ(r.detail.find("/hook"), std::string::npos);
    EXPECT_NE(r.detail.find("http://127.0.0.1"), std::string::npos);
}

TEST(webhook_sink, maps_client_errors_to_permanent_and_408_to_retry) {
    http_test_server server;
    server.on("/gone", [](const auto&) { return http_test_server::make_response(404, "no"); });
    server.on("/bad", [](const auto&) { return http_test_server::make_response(400, "no"); });
    server.on("/408", [](const auto&) { return http_test_server::make_response(408, "later"); });
    server.on("/moved", [&](const auto&) {
        auto r = http_test_server::make_response(301, "");
        r.set("Location", server.url("/gone"));
        return r;
    });
    fixture f;
    auto result_for = [&](const std::string& path) {
        webhook_sink::settings s;
        s.url = server.url(path);
        webhook_sink sink("hook", &f.client, s);
        return f.send(sink).status;
    };
    EXPECT_EQ(result_for("/gone"), delivery_status::permanent);
    EXPECT_EQ(result_for("/bad"), delivery_status::permanent);
    EXPECT_EQ(result_for("/408"), delivery_status::retry);
    EXPECT_EQ(result_for("/moved"),
              delivery_status::permanent);  // no redirects unless asked
    EXPECT_EQ(server.hits("/gone"), 1);
}

TEST(webhook_sink, a_closed_port_is_a_retry) {
    std::string url;
    {
        http_test_server gone;
        url = gone.url("/hook");
    }
    fixture f;
    webhook_sink::settings s;
    s.url = url;
    webhook_sink sink("hook", &f.client, s);
    EXPECT_EQ(f.send(sink).status, delivery_status::retry);
}

TEST(webhook_sink, template_escapes_hostile_values_for_json_and_html) {
    http_test_server server;
    server.on("/hook", [](const auto&) { return http_test_server::make_response(200, "ok"); });
    fixture f;
    const std::string hostile_title = "x\", \"admin\": true, \"y\": \"<script>\x1b[2J";
    boost::json::object alert{
        {"type", "alert"}, {"watch", "W"}, {"item", boost::json::object{{"title", hostile_title}}}};
    const std::string hostile_payload = boost::json::serialize(alert);

    webhook_sink::settings s;
    s.url = server.url("/hook");
    s.body_template.emplace(R"j({"text": "{{title}} ({{watch}})"})j");
    s.content_type = "application/json";
    webhook_sink json_sink("hook", &f.client, s);
    EXPECT_EQ(f.send(json_sink, "alert", "id1", hostile_payload).status, delivery_status::delivered);

    s.body_template.emplace("<p>{{title}}</p>");
    s.content_type = "text/html; charset=utf-8";
    webhook_sink html_sink("hook", &f.client, s);
    EXPECT_EQ(f.send(html_sink, "alert", "id2", hostile_payload).status, delivery_status::delivered);

    const auto seen = server.requests("/hook");
    ASSERT_EQ(seen.size(), 2u);
    const auto parsed = boost::json::parse(seen[0].body()).as_object();
    EXPECT_EQ(parsed.size(), 1u);  // no injected key
    EXPECT_EQ(std::string(parsed.at("text").as_string()), "x\", \"admin\": true, \"y\": \"<script>[2J (W)");
    EXPECT_EQ(seen[1].body(),
              "<p>x&quot;, &quot;admin&quot;: true, &quot;y&quot;: "
              "&quot;&lt;script&gt;[2J</p>");
    EXPECT_EQ(seen[1]["Content-Type"], "text/html; charset=utf-8");
}

TEST(webhook_sink, cancel_all_reports_retry) {
    http_test_server server;
    server.on("/slow", [](const auto&) {
        std::this_thread::sleep_for(std::chrono::seconds(2));
        return http_test_server::make_response(200, "late");
    });
    fixture f;
    webhook_sink::settings s;
    s.url = server.url("/slow");
    webhook_sink sink("hook", &f.client, s);
    std::optional<delivery_result> out;
    sink.send(delivery_message{.event = "alert", .id = "x", .payload = payload},
              [&](delivery_result r) { out = std::move(r); });
    sink.cancel_all();
    f.io.run();
    ASSERT_TRUE(out);
    EXPECT_EQ(out->status, delivery_status::retry);
    EXPECT_EQ(out->detail, "cancelled");
}

TEST(webhook_sink, factory_reads_url_secret_and_template_files) {
    http_test_server server;
    server.on("/secret-path", [](const auto&) { return http_test_server::make_response(200, "ok"); });
    newswatch::testing::temp_dir dir;
    std::ofstream(dir.path() / "url") << server.url("/secret-path") << "\n";
    std::ofstream(dir.path() / "key") << "file-key\n";
    std::ofstream(dir.path() / "body.tmpl") << "<b>{{title}}</b>";
    newswatch::config::sink_config c;
    c.name = "hook";
    c.type = "webhook";
    newswatch::config::webhook_sink_options o;
    o.url_file = dir.path() / "url";
    o.secret_file = dir.path() / "key";
    o.format = "template";
    o.template_file = dir.path() / "body.tmpl";
    o.content_type = "text/html";
    c.options = o;
    fixture f;
    auto sink = make_webhook_sink(
        c, sink_context{.executor = f.io.get_executor(), .http = &f.client, .state_dir = {}});
    EXPECT_EQ(f.send(*sink).status, delivery_status::delivered);
    const auto seen = server.requests("/secret-path");
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0].body(), "<b>Rust 2.0 &quot;now&quot; &lt;b&gt;</b>");
    EXPECT_EQ(std::string(seen[0]["X-Newswatch-Signature"]),
              "sha256=" + reference_hmac("file-key", seen[0].body()));

    o.template_file = dir.path() / "missing.tmpl";
    c.options = o;
    EXPECT_THROW(make_webhook_sink(c, sink_context{}), newswatch::config::config_error);
    std::ofstream(dir.path() / "bad.tmpl") << "{{no_such_field}}";
    o.template_file = dir.path() / "bad.tmpl";
    c.options = o;
    EXPECT_THROW(make_webhook_sink(c, sink_context{}), newswatch::config::config_error);
}

}  // namespace
