// The SSRF guard on redirects, direct and through a real forward proxy (issue #3 item 5).
// A canary on 127.0.0.2 must never be hit, whatever form the redirect writes its address in.
// Through a proxy the fetcher's connect-time check only sees the proxy, so the host is judged
// by what the URL says: IP literals in every numeric form, and loopback names.
#include "newswatch/http/http_client.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/beast/http/field.hpp>

#include "forward_http_proxy.hpp"
#include "http_test_server.hpp"

namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using namespace newswatch::http;
using namespace std::chrono_literals;
using newswatch::testing::forward_http_proxy;
using newswatch::testing::http_test_server;

const std::string feed_body =
    "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title>"
    "<item><title>a</title><guid>1</guid></item></channel></rss>";

constexpr std::chrono::milliseconds slack = 2500ms;

class ssrf_redirect : public ::testing::Test {
protected:
    ssrf_redirect() {
        origin_.serve_feed("/feed.xml", feed_body);
        canary_.serve_feed("/canary", feed_body);
    }

    // Location values that all mean the canary at 127.0.0.2 (resolvers and curl read each).
    std::vector<std::string> canary_forms() const {
        const std::string port = std::to_string(canary_.port());
        return {"http://127.0.0.2:" + port + "/canary",
                "http://2130706434:" + port + "/canary",
                "http://0x7f000002:" + port + "/canary",
                "http://0177.0.0.2:" + port + "/canary",
                "http://0x7f.0.0.2:" + port + "/canary",
                "http://127.0.2:" + port + "/canary",
                "http://127.0.0.2.:" + port + "/canary",
                "http://%31%32%37.0.0.2:" + port + "/canary",
                "http://[::ffff:127.0.0.2]:" + port + "/canary",
                "http://[::ffff:7f00:2]:" + port + "/canary",
                "//127.0.0.2:" + port + "/canary"};
    }

    // The origin answers /redirect with `status` to `location`.
    void redirect_to(const std::string& location, unsigned status = 302) {
        origin_.on("/redirect", [location, status](const auto&) {
            auto res = http_test_server::make_response(status, "");
            res.set(http::field::location, location);
            return res;
        });
    }

    struct timed {
        fetch_response response;
        std::chrono::milliseconds elapsed{0};
    };

    timed fetch(const std::string& url, bool via_proxy, std::vector<std::string> allow = {}) {
        fetch_request r;
        r.url = url;
        r.proxy = via_proxy ? proxy_.url() : "";
        r.proxy_from_environment = false;
        r.allow_private_addresses = std::move(allow);
        r.limits.total_timeout = 4000ms;
        r.limits.connect_timeout = 2000ms;
        asio::io_context io;
        http_client client(io.get_executor(), {});
        timed out;
        const auto start = std::chrono::steady_clock::now();
        client.async_fetch(std::move(r),
                           [&](fetch_response response) { out.response = std::move(response); });
        io.run();
        out.elapsed =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
        return out;
    }

    http_test_server origin_{"127.0.0.1"};
    http_test_server canary_{"127.0.0.2"};
    forward_http_proxy proxy_{"127.0.0.1"};
};

TEST_F(ssrf_redirect, every_numeric_form_of_a_loopback_canary_is_refused_direct_and_through_a_proxy) {
    for (bool via_proxy : {false, true}) {
        for (const auto& location : canary_forms()) {
            redirect_to(location);
            const int forwarded_before = proxy_.forwarded();
            auto t = fetch(origin_.url("/redirect"), via_proxy);
            EXPECT_EQ(t.response.outcome, fetch_outcome::address_refused)
                << (via_proxy ? "proxy " : "direct ") << location << ": " << t.response.error;
            EXPECT_TRUE(t.response.refused_address.ends_with("127.0.0.2")) << t.response.refused_address;
            EXPECT_TRUE(t.response.body.empty());
            EXPECT_LT(t.elapsed, slack);
            // Through the proxy only the first request was relayed; the hop never left.
            if (via_proxy) {
                EXPECT_EQ(proxy_.forwarded() - forwarded_before, 1) << location;
            }
        }
    }
    EXPECT_EQ(canary_.hits("/canary"), 0);
}

TEST_F(ssrf_redirect, other_non_public_literals_are_refused_before_any_connection) {
    const std::string port = std::to_string(canary_.port());
    for (bool via_proxy : {false, true}) {
        for (const std::string& location : std::vector<std::string>{
                 "http://[::1]:" + port + "/x", "http://0.0.0.0:" + port + "/x", "http://0:" + port + "/x",
                 "http://[::]:" + port + "/x", "http://169.254.169.254/latest/meta-data/",
                 "http://[::ffff:169.254.169.254]/", "http://10.0.0.1/", "http://[fd00:ec2::254]/",
                 "http://100.100.100.200/", "http://[64:ff9b::7f00:1]:" + port + "/x"}) {
            redirect_to(location, 301);
            const int forwarded_before = proxy_.forwarded();
            auto t = fetch(origin_.url("/redirect"), via_proxy);
            EXPECT_EQ(t.response.outcome, fetch_outcome::address_refused)
                << (via_proxy ? "proxy " : "direct ") << location << ": " << t.response.error;
            EXPECT_FALSE(t.response.refused_address.empty()) << location;
            EXPECT_FALSE(t.response.permanent_redirect) << location;
            EXPECT_LT(t.elapsed, slack);
            if (via_proxy) {
                EXPECT_EQ(proxy_.forwarded() - forwarded_before, 1) << location;
            }
        }
    }
}

TEST_F(ssrf_redirect, loopback_names_are_refused_through_a_proxy) {
    // The proxy would resolve these to its own loopback, where the canary listens too.
    http_test_server local_canary("127.0.0.1");
    local_canary.serve_feed("/canary", feed_body);
    const std::string port = std::to_string(local_canary.port());
    for (const std::string& location : std::vector<std::string>{
             "http://localhost:" + port + "/canary", "http://LOCALHOST.:" + port + "/canary",
             "http://%6c%6fcalhost:" + port + "/canary", "http://feeds.localhost:" + port + "/canary",
             "http://ip6-localhost:" + port + "/canary"}) {
        redirect_to(location, 307);
        auto t = fetch(origin_.url("/redirect"), true);
        EXPECT_EQ(t.response.outcome, fetch_outcome::address_refused) << location << ": " << t.response.error;
        EXPECT_LT(t.elapsed, slack);
    }
    EXPECT_EQ(local_canary.hits("/canary"), 0);
    EXPECT_EQ(proxy_.forwarded(), 5);  // only the five first requests
}

TEST_F(ssrf_redirect, proxied_fetches_and_same_origin_redirects_work) {
    auto t = fetch(origin_.url("/feed.xml"), true);
    ASSERT_EQ(t.response.outcome, fetch_outcome::ok) << t.response.error;
    EXPECT_EQ(t.response.body, feed_body);
    EXPECT_EQ(proxy_.hits(origin_.url("/feed.xml")), 1);
    EXPECT_EQ(origin_.hits("/feed.xml"), 1);

    redirect_to("/feed.xml", 301);
    t = fetch(origin_.url("/redirect"), true);
    ASSERT_EQ(t.response.outcome, fetch_outcome::ok) << t.response.error;
    EXPECT_EQ(t.response.permanent_redirect, origin_.url("/feed.xml"));
    EXPECT_EQ(proxy_.hits(origin_.url("/redirect")), 1);
    EXPECT_EQ(proxy_.hits(origin_.url("/feed.xml")), 2);
    EXPECT_EQ(origin_.hits("/feed.xml"), 2);
}

TEST_F(ssrf_redirect, allow_private_addresses_is_honoured_through_a_proxy) {
    redirect_to(canary_.url("/canary"));
    auto t = fetch(origin_.url("/redirect"), true, {"127.0.0.0/30"});
    ASSERT_EQ(t.response.outcome, fetch_outcome::ok) << t.response.error;
    EXPECT_EQ(canary_.hits("/canary"), 1);
    EXPECT_EQ(proxy_.hits(canary_.url("/canary")), 1);

    // Loopback names pass when a loopback address is allowed.
    const std::string local = "http://localhost:" + std::to_string(origin_.port()) + "/feed.xml";
    redirect_to(local);
    t = fetch(origin_.url("/redirect"), true, {"127.0.0.1"});
    ASSERT_EQ(t.response.outcome, fetch_outcome::ok) << t.response.error;
    EXPECT_EQ(proxy_.hits(local), 1);
}

TEST_F(ssrf_redirect, an_operator_configured_loopback_feed_is_fetched_through_the_proxy) {
    // The configured URL may point anywhere: the operator chose it.
    const std::string local = "http://localhost:" + std::to_string(origin_.port()) + "/feed.xml";
    auto t = fetch(local, true);
    ASSERT_EQ(t.response.outcome, fetch_outcome::ok) << t.response.error;
    EXPECT_EQ(proxy_.hits(local), 1);
}

}  // namespace
