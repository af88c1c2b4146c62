#include "newswatch/fetcher/http_client.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include "http_test_server.hpp"

namespace {

namespace asio = boost::asio;
using namespace newswatch::fetcher;
using newswatch::testing::http_test_server;

const std::string feed_body =
    "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title>"
    "<item><title>a</title><guid>1</guid></item></channel></rss>";

fetch_response fetch_one(http_client& client, asio::io_context& io, fetch_request request) {
    fetch_response out;
    bool done = false;
    client.async_fetch(std::move(request), [&](fetch_response r) {
        out = std::move(r);
        done = true;
    });
    io.restart();
    while (!done && io.run_one() > 0) {
    }
    return out;
}

TEST(http_client, fetches_a_feed_and_its_validators) {
    http_test_server server;
    server.serve_feed("/feed.xml", feed_body);
    asio::io_context io;
    http_client client(io.get_executor(), {});
    fetch_request req;
    req.url = server.url("/feed.xml");
    auto r = fetch_one(client, io, req);
    EXPECT_EQ(r.outcome, fetch_outcome::ok) << r.error;
    EXPECT_EQ(r.http_status, 200);
    EXPECT_EQ(r.body, feed_body);
    EXPECT_EQ(r.body_bytes, feed_body.size());
    EXPECT_EQ(r.etag, "\"v1\"");
    EXPECT_EQ(r.last_modified, "Mon, 01 Jan 2024 00:00:00 GMT");
    EXPECT_EQ(r.content_type, "application/rss+xml; charset=utf-8");
    EXPECT_EQ(r.effective_url, req.url);
    EXPECT_FALSE(r.permanent_redirect);
    EXPECT_TRUE(r.succeeded());
    const auto requests = server.requests("/feed.xml");
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(std::string(requests[0][boost::beast::http::field::user_agent]).rfind("newswatch/", 0), 0u);
    EXPECT_NE(std::string(requests[0][boost::beast::http::field::accept_encoding]).find("gzip"), std::string::npos);
}

TEST(http_client, conditional_get_gives_not_modified) {
    http_test_server server;
    server.serve_feed("/feed.xml", feed_body);
    asio::io_context io;
    http_client client(io.get_executor(), {});
    fetch_request req;
    req.url = server.url("/feed.xml");
    auto first = fetch_one(client, io, req);
    ASSERT_EQ(first.outcome, fetch_outcome::ok);
    req.etag = first.etag;
    req.last_modified = first.last_modified;
    auto second = fetch_one(client, io, req);
    EXPECT_EQ(second.outcome, fetch_outcome::not_modified) << second.error;
    EXPECT_EQ(second.http_status, 304);
    EXPECT_TRUE(second.body.empty());
    EXPECT_EQ(second.etag, "\"v1\"");
    EXPECT_TRUE(second.succeeded());
    const auto requests = server.requests("/feed.xml");
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_EQ(requests[1][boost::beast::http::field::if_none_match], "\"v1\"");
    EXPECT_EQ(requests[1][boost::beast::http::field::if_modified_since], "Mon, 01 Jan 2024 00:00:00 GMT");
}

TEST(http_client, coroutine_form_and_http_error) {
    http_test_server server;
    asio::io_context io;
    http_client client(io.get_executor(), {});
    fetch_response r;
    asio::co_spawn(io, [&]() -> asio::awaitable<void> {
        fetch_request req;
        req.url = server.url("/missing");
        r = co_await client.fetch(req);
    }, asio::detached);
    io.run();
    EXPECT_EQ(r.outcome, fetch_outcome::http_error);
    EXPECT_EQ(r.http_status, 404);
    EXPECT_FALSE(r.succeeded());
}

}  // namespace
