// The request API the sinks use (issue 11): method, body and headers out; status, headers,
// Retry-After and a capped body back; no start gate, no pacing, loopback allowed, its own
// timeout, redirects only when asked; and caller-configured easy handles on the same multi.
#include "newswatch/http/http_request.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include <boost/asio/io_context.hpp>

#include "http_test_server.hpp"
#include "newswatch/http/http_client.hpp"

namespace {

namespace asio = boost::asio;
namespace beast_http = boost::beast::http;
using namespace newswatch::http;
using newswatch::testing::http_test_server;

http_response request_one(http_client& client, asio::io_context& io, http_request request) {
    http_response out;
    bool done = false;
    client.async_request(std::move(request), [&](http_response r) {
        out = std::move(r);
        done = true;
    });
    io.restart();
    while (!done && io.run_one() > 0) {
    }
    return out;
}

TEST(http_request, posts_body_and_headers_and_returns_status_headers_and_body) {
    http_test_server server;
    server.on("/hook", [](const auto& req) {
        auto r = http_test_server::make_response(202, "got " + req.body(), "text/plain");
        r.set("X-Reply", "yes");
        return r;
    });
    asio::io_context io;
    http_client client(io.get_executor(), {});
    http_request req;
    req.url = server.url("/hook");
    req.body = R"({"a":1})";
    req.headers = {{"Content-Type", "application/json"}, {"X-Test", "1"}, {"X-Bad", "a\r\nX-Injected: 1"}};
    auto r = request_one(client, io, req);
    EXPECT_EQ(r.outcome, fetch_outcome::ok) << r.error;
    EXPECT_EQ(r.status, 202);
    EXPECT_EQ(r.body, R"(got {"a":1})");
    EXPECT_EQ(r.content_type, "text/plain");
    EXPECT_NE(
        std::find(r.headers.begin(), r.headers.end(), std::pair<std::string, std::string>{"X-Reply", "yes"}),
        r.headers.end());
    const auto seen = server.requests("/hook");
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0].method(), beast_http::verb::post);
    EXPECT_EQ(seen[0]["Content-Type"], "application/json");
    EXPECT_EQ(seen[0]["X-Test"], "1");
    EXPECT_EQ(seen[0].count("X-Bad"), 0u);
    EXPECT_EQ(seen[0].count("X-Injected"), 0u);
}

TEST(http_request, gives_the_status_and_retry_after_of_a_refusal) {
    http_test_server server;
    server.on("/busy", [](const auto&) {
        auto r = http_test_server::make_response(429, "slow down");
        r.set("Retry-After", "120");
        return r;
    });
    asio::io_context io;
    http_client client(io.get_executor(), {});
    http_request req;
    req.url = server.url("/busy");
    auto r = request_one(client, io, req);
    EXPECT_EQ(r.outcome, fetch_outcome::http_error);
    EXPECT_EQ(r.status, 429);
    ASSERT_TRUE(r.retry_after);
    EXPECT_EQ(r.retry_after->count(), 120);
    EXPECT_EQ(r.body, "slow down");
}

TEST(http_request, ignores_the_feed_start_gate_and_pacing) {
    http_test_server server;
    server.on("/hook", [](const auto&) { return http_test_server::make_response(200, "ok"); });
    asio::io_context io;
    client_options options;
    options.per_host_pacing = std::chrono::hours(1);
    http_client client(io.get_executor(), options);
    client.set_start_gate([] { return false; });  // no feed fetch may start
    http_request req;
    req.url = server.url("/hook");
    for (int i = 0; i < 3; ++i) {
        auto r = request_one(client, io, req);
        EXPECT_EQ(r.outcome, fetch_outcome::ok) << r.error;
    }
    EXPECT_EQ(server.hits("/hook"), 3);
}

TEST(http_request, follows_redirects_only_when_asked) {
    http_test_server server;
    server.on("/moved", [&](const auto&) {
        auto r = http_test_server::make_response(302, "");
        r.set("Location", server.url("/final"));
        return r;
    });
    server.on("/final", [](const auto&) { return http_test_server::make_response(200, "final"); });
    asio::io_context io;
    http_client client(io.get_executor(), {});
    http_request req;
    req.url = server.url("/moved");
    auto r = request_one(client, io, req);
    EXPECT_EQ(r.outcome, fetch_outcome::http_error);
    EXPECT_EQ(r.status, 302);
    EXPECT_EQ(server.hits("/final"), 0);
    req.follow_redirects = true;
    r = request_one(client, io, req);
    EXPECT_EQ(r.outcome, fetch_outcome::ok) << r.error;
    EXPECT_EQ(r.body, "final");
}

TEST(http_request, keeps_at_most_the_response_cap) {
    http_test_server server;
    const std::string big(3 * 1024 * 1024, 'x');
    server.on("/big", [&](const auto&) { return http_test_server::make_response(200, big); });
    asio::io_context io;
    http_client client(io.get_executor(), {});
    http_request req;
    req.url = server.url("/big");
    auto r = request_one(client, io, req);
    EXPECT_EQ(r.outcome, fetch_outcome::ok) << r.error;
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body.size(), 1024u * 1024u);
    EXPECT_TRUE(r.body_truncated);
}

TEST(http_request, times_out_with_its_own_limit) {
    http_test_server server;
    server.on("/slow", [](const auto&) {
        std::this_thread::sleep_for(std::chrono::seconds(3));
        return http_test_server::make_response(200, "late");
    });
    asio::io_context io;
    http_client client(io.get_executor(), {});
    http_request req;
    req.url = server.url("/slow");
    req.timeout = std::chrono::milliseconds(300);
    auto r = request_one(client, io, req);
    EXPECT_EQ(r.outcome, fetch_outcome::timeout) << r.error;
}

TEST(http_request, a_bad_url_is_reported_without_the_url) {
    asio::io_context io;
    http_client client(io.get_executor(), {});
    http_request req;
    req.url = "ftp://secret-token@example.invalid/x";
    auto r = request_one(client, io, req);
    EXPECT_EQ(r.outcome, fetch_outcome::bad_url);
    EXPECT_EQ(r.error.find("secret"), std::string::npos);
}

TEST(http_request, cancel_reports_cancelled) {
    http_test_server server;
    server.on("/slow", [](const auto&) {
        std::this_thread::sleep_for(std::chrono::seconds(2));
        return http_test_server::make_response(200, "late");
    });
    asio::io_context io;
    http_client client(io.get_executor(), {});
    http_request req;
    req.url = server.url("/slow");
    std::optional<http_response> out;
    const auto id = client.async_request(req, [&](http_response r) { out = std::move(r); });
    client.cancel(id);
    io.run();
    ASSERT_TRUE(out);
    EXPECT_EQ(out->outcome, fetch_outcome::cancelled);
}

size_t discard(char*, size_t size, size_t count, void*) {
    return size * count;
}

TEST(http_request, runs_a_caller_configured_easy_handle_on_the_same_loop) {
    http_test_server server;
    server.on("/plain", [](const auto&) { return http_test_server::make_response(200, "plain"); });
    asio::io_context io;
    http_client client(io.get_executor(), {});
    CURL* easy = curl_easy_init();
    const std::string url = server.url("/plain");
    curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &discard);
    std::optional<CURLcode> rc;
    client.async_run(easy, [&](CURLcode r) { rc = r; });
    EXPECT_FALSE(rc);  // never inline
    io.run();
    ASSERT_TRUE(rc);
    EXPECT_EQ(*rc, CURLE_OK);
    long status = 0;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    EXPECT_EQ(status, 200);
    curl_easy_cleanup(easy);
}

}  // namespace
