// Issue #3 item 2: HTTP/2 and connection reuse, proven against a real HTTP/2 server
// (nghttpd from Debian's nghttp2-server, TLS on 127.0.0.1). Skips where nghttpd is absent.
#include "newswatch/http/http_client.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <boost/asio/io_context.hpp>

#include "nghttpd_server.hpp"
#include "test_paths.hpp"

namespace {

namespace asio = boost::asio;
namespace fs = std::filesystem;
using namespace newswatch::http;
using newswatch::testing::nghttpd_server;
using newswatch::testing::temp_dir;

std::string feed_body(const std::string& title) {
    return "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>" + title +
           "</title><item><title>a</title><guid>1</guid></item></channel></rss>";
}

#define REQUIRE_NGHTTPD(var)                                                                 \
    const auto var = nghttpd_server::find_binary();                                          \
    if (!var)                                                                                \
    GTEST_SKIP() << "nghttpd is not installed (Debian package nghttp2-server, installed by " \
                    "scripts/install-deps.sh): skipping the HTTP/2 test"

class http2 : public ::testing::Test {
protected:
    void start(const fs::path& binary, int feeds) {
        fs::create_directories(dir_.path() / "htdocs");
        for (int i = 0; i < feeds; ++i)
            newswatch::testing::write_file(dir_.path() / "htdocs" / ("feed" + std::to_string(i) + ".xml"),
                                           feed_body("feed " + std::to_string(i)));
        server_.emplace(binary, dir_.path() / "htdocs", dir_.path());
    }

    fetch_request request(int feed) const {
        fetch_request r;
        r.url = server_->url("/feed" + std::to_string(feed) + ".xml");
        r.verify_tls = false;  // self-signed test certificate
        return r;
    }

    std::vector<fetch_response> fetch_all(std::vector<fetch_request> requests, client_options options = {}) {
        asio::io_context io;
        http_client client(io.get_executor(), options);
        std::vector<fetch_response> out(requests.size());
        for (std::size_t i = 0; i < requests.size(); ++i)
            client.async_fetch(std::move(requests[i]),
                               [&out, i](fetch_response r) { out[i] = std::move(r); });
        io.run();
        return out;
    }

    temp_dir dir_;
    std::optional<nghttpd_server> server_;
};

TEST_F(http2, a_fetch_over_tls_negotiates_http2_and_logs_it) {
    REQUIRE_NGHTTPD(binary);
    start(*binary, 1);
    std::ostringstream log;
    auto logger =
        std::make_shared<spdlog::logger>("fetcher", std::make_shared<spdlog::sinks::ostream_sink_mt>(log));
    spdlog::drop("fetcher");
    spdlog::register_logger(logger);
    auto responses = fetch_all({request(0)});
    spdlog::drop("fetcher");

    ASSERT_EQ(responses.size(), 1u);
    const auto& r = responses[0];
    ASSERT_EQ(r.outcome, fetch_outcome::ok) << r.error;
    EXPECT_EQ(r.http_version, "2");
    EXPECT_EQ(r.http_status, 200);
    EXPECT_EQ(r.body, feed_body("feed 0"));
    EXPECT_EQ(r.connections_opened, 1);
    EXPECT_EQ(server_->sessions(), 1);
    EXPECT_NE(log.str().find("status=200 http_version=\"2\" "), std::string::npos) << log.str();
}

TEST_F(http2, several_feeds_on_one_host_share_one_multiplexed_connection) {
    REQUIRE_NGHTTPD(binary);
    constexpr int feeds = 6;
    start(*binary, feeds);
    std::vector<fetch_request> requests;
    for (int i = 0; i < feeds; ++i) requests.push_back(request(i));
    client_options options;
    options.max_per_host = 3;  // three streams at once on the host
    auto responses = fetch_all(std::move(requests), options);

    int opened = 0;
    for (int i = 0; i < feeds; ++i) {
        ASSERT_EQ(responses[i].outcome, fetch_outcome::ok) << i << ": " << responses[i].error;
        EXPECT_EQ(responses[i].http_version, "2") << i;
        EXPECT_EQ(responses[i].body, feed_body("feed " + std::to_string(i)));
        opened += responses[i].connections_opened;
    }
    // curl's count and the server's agree: one TLS connection carried every request.
    EXPECT_EQ(opened, 1);
    EXPECT_EQ(server_->sessions(), 1);
}

}  // namespace
