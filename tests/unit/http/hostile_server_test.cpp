// Issue #3 item 10: the fetcher against a hostile server on loopback. Each test sets short
// limits, asserts the outcome, that the fetch ended within its limit plus a fixed slack,
// that no more than the cap was read (the fetcher's own byte counters), and that a
// well-behaved feed fetched at the same time on the same client still succeeds.
#include "newswatch/http/http_client.hpp"

#include <brotli/encode.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <boost/asio/io_context.hpp>
#include <boost/beast/http/field.hpp>

#include "hostile_http_server.hpp"
#include "http_test_server.hpp"
#include "silent_tcp_server.hpp"
#include "test_paths.hpp"
#include "tls_test_server.hpp"

namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using namespace newswatch::http;
using namespace std::chrono_literals;
using newswatch::testing::hostile_http_server;
using newswatch::testing::http_test_server;
using std::chrono::milliseconds;

// Slack on top of a configured limit: scheduling, curl's once-a-second speed checks, ASan.
constexpr milliseconds slack = 2500ms;

const std::string good_body =
    "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>good</title>"
    "<item><title>fine</title><guid>g1</guid></item></channel></rss>";

fetch_limits short_limits() {
    fetch_limits l;
    l.max_body_bytes = 1 << 20;
    l.max_header_bytes = 16 * 1024;
    l.connect_timeout = 2000ms;
    l.total_timeout = 4000ms;
    l.low_speed_bytes_per_second = 1024;
    l.low_speed_time = std::chrono::seconds(1);
    l.max_redirects = 5;
    return l;
}

struct timed {
    fetch_response response;
    milliseconds elapsed{0};
};

class hostile : public ::testing::Test {
protected:
    hostile() { good_.serve_feed("/good.xml", good_body); }

    fetch_request request(const std::string& url) const {
        fetch_request r;
        r.url = url;
        r.limits = short_limits();
        return r;
    }

    // Fetches `bad` and a good feed at the same time on one client; checks the good one.
    timed run(fetch_request bad) {
        http_client client(io_.get_executor(), {});
        timed out;
        fetch_response good_response;
        int pending = 2;
        const auto start = std::chrono::steady_clock::now();
        client.async_fetch(std::move(bad), [&](fetch_response r) {
            out.elapsed = std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - start);
            out.response = std::move(r);
            --pending;
        });
        client.async_fetch(request(good_.url("/good.xml")), [&](fetch_response r) {
            good_response = std::move(r);
            --pending;
        });
        io_.restart();
        while (pending > 0 && io_.run_one() > 0) {
        }
        EXPECT_EQ(good_response.outcome, fetch_outcome::ok) << good_response.error;
        EXPECT_EQ(good_response.body, good_body);
        return out;
    }

    asio::io_context io_;
    http_test_server good_;
    hostile_http_server bad_;
};

TEST_F(hostile, endless_chunked_body_stops_at_the_cap) {
    bad_.endless_chunked("/endless");
    auto t = run(request(bad_.url("/endless")));
    EXPECT_EQ(t.response.outcome, fetch_outcome::body_too_large) << t.response.error;
    EXPECT_LE(t.response.body_bytes, short_limits().max_body_bytes);
    EXPECT_GT(t.response.body_bytes, short_limits().max_body_bytes / 2);
    EXPECT_LE(t.response.wire_bytes, short_limits().max_body_bytes + 256 * 1024);
    EXPECT_TRUE(t.response.body.empty());
    EXPECT_LT(t.elapsed, slack);
}

TEST_F(hostile, huge_content_length_is_refused_before_reading) {
    bad_.huge_content_length("/huge", 10'000'000'000'000ULL);
    auto t = run(request(bad_.url("/huge")));
    EXPECT_EQ(t.response.outcome, fetch_outcome::body_too_large) << t.response.error;
    EXPECT_LE(t.response.body_bytes, short_limits().max_body_bytes);
    EXPECT_LT(t.elapsed, slack);
}

// A gzip stream of `blocks` MiB of zeros, built from one compressed MiB repeated: after
// Z_FULL_FLUSH the compressor starts afresh, so each MiB compresses to the same bytes.
struct gzip_bomb {
    std::string head;   // gzip header + first MiB
    std::string block;  // every further MiB
};

// window_bits 15 + 16: gzip; 15: zlib (HTTP "deflate").
gzip_bomb make_gzip_bomb(int window_bits = 15 + 16) {
    z_stream z{};
    EXPECT_EQ(deflateInit2(&z, 9, Z_DEFLATED, window_bits, 9, Z_DEFAULT_STRATEGY), Z_OK);
    const std::string zeros(1 << 20, '\0');
    auto compress = [&] {
        std::string out(1 << 16, '\0');
        z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(zeros.data()));
        z.avail_in = static_cast<uInt>(zeros.size());
        z.next_out = reinterpret_cast<Bytef*>(out.data());
        z.avail_out = static_cast<uInt>(out.size());
        EXPECT_EQ(deflate(&z, Z_FULL_FLUSH), Z_OK);
        EXPECT_EQ(z.avail_in, 0u);
        out.resize(out.size() - z.avail_out);
        return out;
    };
    gzip_bomb bomb;
    bomb.head = compress();
    bomb.block = compress();
    EXPECT_EQ(compress(), bomb.block);  // the repetition is a valid stream
    deflateEnd(&z);
    return bomb;
}

TEST_F(hostile, gzip_bomb_of_one_gib_stops_at_the_decoded_cap) {
    const auto bomb = make_gzip_bomb();
    const std::size_t blocks = 1023;  // 1 GiB decoded in total
    bad_.repeated_body("/bomb.xml", "Content-Type: application/rss+xml\r\nContent-Encoding: gzip\r\n",
                       bomb.head, bomb.block, blocks);
    auto t = run(request(bad_.url("/bomb.xml")));
    EXPECT_EQ(t.response.outcome, fetch_outcome::body_too_large) << t.response.error;
    EXPECT_LE(t.response.body_bytes, short_limits().max_body_bytes);
    // Compressed ~1000:1: the fetcher stopped long before the server's megabyte of wire data.
    EXPECT_LT(t.response.wire_bytes, (bomb.head.size() + bomb.block.size() * blocks) / 2);
    EXPECT_LT(t.elapsed, slack);
}

TEST_F(hostile, deflate_bomb_stops_at_the_decoded_cap) {
    const auto bomb = make_gzip_bomb(15);
    bad_.repeated_body("/bomb.xml", "Content-Type: application/rss+xml\r\nContent-Encoding: deflate\r\n",
                       bomb.head, bomb.block, 1023);
    auto t = run(request(bad_.url("/bomb.xml")));
    EXPECT_EQ(t.response.outcome, fetch_outcome::body_too_large) << t.response.error;
    EXPECT_LE(t.response.body_bytes, short_limits().max_body_bytes);
    EXPECT_LT(t.elapsed, slack);
}

TEST_F(hostile, corrupt_gzip_is_bad_encoding) {
    bad_.repeated_body("/corrupt.xml", "Content-Type: application/rss+xml\r\nContent-Encoding: gzip\r\n",
                       std::string("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10), std::string(4096, '\x55'),
                       4);
    auto t = run(request(bad_.url("/corrupt.xml")));
    EXPECT_EQ(t.response.outcome, fetch_outcome::bad_encoding) << t.response.error;
    EXPECT_TRUE(t.response.body.empty());
    EXPECT_LT(t.elapsed, slack);
}

TEST_F(hostile, endless_1xx_responses_hit_the_header_cap) {
    bad_.server().on_raw("/continue", [](asio::ip::tcp::socket& s, const auto&) {
        const std::string interim = "HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n";
        boost::system::error_code ec;
        for (int i = 0; i < 100000 && !ec; ++i) asio::write(s, asio::buffer(interim), ec);
    });
    auto t = run(request(bad_.url("/continue")));
    EXPECT_EQ(t.response.outcome, fetch_outcome::headers_too_large) << t.response.error;
    EXPECT_LT(t.elapsed, slack);
}

TEST_F(hostile, server_that_never_answers_times_out) {
    bad_.stall_before_headers("/silent");
    auto t = run(request(bad_.url("/silent")));
    EXPECT_EQ(t.response.outcome, fetch_outcome::timeout) << t.response.error;
    EXPECT_LT(t.elapsed, short_limits().low_speed_time + slack);
}

TEST_F(hostile, stalled_body_times_out) {
    bad_.stall_after_headers("/stalled");
    auto t = run(request(bad_.url("/stalled")));
    EXPECT_EQ(t.response.outcome, fetch_outcome::timeout) << t.response.error;
    EXPECT_LT(t.elapsed, short_limits().low_speed_time + slack);
    EXPECT_LE(t.response.body_bytes, 16u);
}

TEST_F(hostile, slowloris_body_hits_the_low_speed_limit) {
    bad_.drip_body("/drip", 100ms);
    auto t = run(request(bad_.url("/drip")));
    EXPECT_EQ(t.response.outcome, fetch_outcome::timeout) << t.response.error;
    EXPECT_LT(t.elapsed, short_limits().low_speed_time + slack);
}

TEST_F(hostile, slow_headers_hit_the_low_speed_limit) {
    bad_.slow_headers("/slow-headers", 100ms);
    auto t = run(request(bad_.url("/slow-headers")));
    EXPECT_EQ(t.response.outcome, fetch_outcome::timeout) << t.response.error;
    EXPECT_LT(t.elapsed, short_limits().low_speed_time + slack);
}

TEST_F(hostile, steady_but_endless_body_hits_the_total_timeout) {
    bad_.steady_body("/steady", 4096);  // above the low-speed limit, below the body cap
    auto t = run(request(bad_.url("/steady")));
    EXPECT_EQ(t.response.outcome, fetch_outcome::timeout) << t.response.error;
    EXPECT_GE(t.elapsed, short_limits().total_timeout - 100ms);
    EXPECT_LT(t.elapsed, short_limits().total_timeout + slack);
    EXPECT_LE(t.response.body_bytes, 64u * 1024);
}

TEST_F(hostile, oversized_headers_stop_at_the_header_cap) {
    bad_.endless_headers("/headers");
    auto t = run(request(bad_.url("/headers")));
    EXPECT_EQ(t.response.outcome, fetch_outcome::headers_too_large) << t.response.error;
    EXPECT_LE(t.response.wire_bytes, short_limits().max_header_bytes + 64 * 1024);
    EXPECT_LT(t.elapsed, slack);
}

TEST_F(hostile, redirect_loop_stops_after_the_limit) {
    bad_.server().on("/loop", [](const auto&) {
        auto res = http_test_server::make_response(302, "");
        res.set(http::field::location, "/loop");
        return res;
    });
    auto t = run(request(bad_.url("/loop")));
    EXPECT_EQ(t.response.outcome, fetch_outcome::too_many_redirects) << t.response.error;
    EXPECT_EQ(bad_.hits("/loop"), short_limits().max_redirects + 1);
    EXPECT_LT(t.elapsed, slack);
}

TEST_F(hostile, redirect_to_a_loopback_canary_on_another_address_is_refused) {
    http_test_server canary("127.0.0.2");
    canary.serve_feed("/canary", good_body);
    const std::string target = canary.url("/canary");
    bad_.server().on("/to-canary", [target](const auto&) {
        auto res = http_test_server::make_response(302, "");
        res.set(http::field::location, target);
        return res;
    });
    auto t = run(request(bad_.url("/to-canary")));
    EXPECT_EQ(t.response.outcome, fetch_outcome::address_refused) << t.response.error;
    EXPECT_EQ(t.response.refused_address, "127.0.0.2");
    EXPECT_EQ(canary.hits("/canary"), 0);
    EXPECT_LT(t.elapsed, slack);
}

TEST_F(hostile, redirect_to_a_name_that_resolves_to_loopback_is_refused_at_connect_time) {
    http_test_server canary("127.0.0.1");
    canary.serve_feed("/canary", good_body);
    const std::string target = "http://localhost:" + std::to_string(canary.port()) + "/canary";
    bad_.server().on("/to-localhost", [target](const auto&) {
        auto res = http_test_server::make_response(307, "");
        res.set(http::field::location, target);
        return res;
    });
    auto t = run(request(bad_.url("/to-localhost")));
    EXPECT_EQ(t.response.outcome, fetch_outcome::address_refused) << t.response.error;
    EXPECT_EQ(canary.hits("/canary"), 0);
}

TEST_F(hostile, allow_private_addresses_lets_a_listed_address_through) {
    http_test_server canary("127.0.0.2");
    canary.serve_feed("/canary", good_body);
    const std::string target = canary.url("/canary");
    bad_.server().on("/to-canary", [target](const auto&) {
        auto res = http_test_server::make_response(302, "");
        res.set(http::field::location, target);
        return res;
    });
    auto req = request(bad_.url("/to-canary"));
    req.allow_private_addresses = {"127.0.0.2/32"};
    auto t = run(req);
    EXPECT_EQ(t.response.outcome, fetch_outcome::ok) << t.response.error;
    EXPECT_EQ(canary.hits("/canary"), 1);
    EXPECT_EQ(t.response.effective_url, target);
    EXPECT_FALSE(t.response.permanent_redirect);  // 302 is not permanent
}

TEST_F(hostile, redirect_to_ftp_and_file_is_refused) {
    for (const std::string target :
         {"ftp://127.0.0.1/feed.xml", "file:///etc/passwd", "gopher://127.0.0.1/"}) {
        bad_.server().on("/to-other-scheme", [target](const auto&) {
            auto res = http_test_server::make_response(301, "");
            res.set(http::field::location, target);
            return res;
        });
        auto t = run(request(bad_.url("/to-other-scheme")));
        EXPECT_EQ(t.response.outcome, fetch_outcome::redirect_refused) << target << ": " << t.response.error;
        EXPECT_TRUE(t.response.body.empty());
    }
}

TEST_F(hostile, status_429_reports_retry_after_seconds) {
    bad_.server().on("/busy", [](const auto&) {
        auto res = http_test_server::make_response(429, "slow down");
        res.set(http::field::retry_after, "120");
        return res;
    });
    auto t = run(request(bad_.url("/busy")));
    EXPECT_EQ(t.response.outcome, fetch_outcome::http_error);
    EXPECT_EQ(t.response.http_status, 429);
    ASSERT_TRUE(t.response.retry_after);
    EXPECT_EQ(*t.response.retry_after, std::chrono::seconds(120));
}

TEST_F(hostile, status_503_reports_retry_after_as_http_date) {
    bad_.server().on("/down", [](const auto&) {
        auto res = http_test_server::make_response(503, "maintenance");
        res.set(http::field::retry_after, "Fri, 31 Dec 2999 23:59:59 GMT");
        return res;
    });
    auto t = run(request(bad_.url("/down")));
    EXPECT_EQ(t.response.outcome, fetch_outcome::http_error);
    EXPECT_EQ(t.response.http_status, 503);
    ASSERT_TRUE(t.response.retry_after);
    EXPECT_GT(*t.response.retry_after, std::chrono::seconds(24 * 3600));
}

TEST_F(hostile, status_500_404_and_410_are_http_errors) {
    for (unsigned status : {500u, 404u, 410u}) {
        bad_.server().on("/status", [status](const auto&) {
            return http_test_server::make_response(status, std::string(100, 'e'));
        });
        auto t = run(request(bad_.url("/status")));
        EXPECT_EQ(t.response.outcome, fetch_outcome::http_error) << status;
        EXPECT_EQ(t.response.http_status, static_cast<long>(status));
        EXPECT_TRUE(t.response.body.empty());
        EXPECT_EQ(t.response.error, "HTTP " + std::to_string(status));
    }
}

TEST_F(hostile, permanent_redirects_301_and_308_set_the_effective_url) {
    bad_.server().serve_feed("/new.xml", good_body);
    for (unsigned status : {301u, 308u}) {
        bad_.server().on("/old.xml", [status](const auto&) {
            auto res = http_test_server::make_response(status, "");
            res.set(http::field::location, "/new.xml");
            return res;
        });
        auto t = run(request(bad_.url("/old.xml")));
        EXPECT_EQ(t.response.outcome, fetch_outcome::ok) << t.response.error;
        ASSERT_TRUE(t.response.permanent_redirect) << status;
        EXPECT_EQ(*t.response.permanent_redirect, bad_.url("/new.xml"));
        EXPECT_EQ(t.response.effective_url, bad_.url("/new.xml"));
        EXPECT_EQ(t.response.redirects, 1);
    }
}

TEST_F(hostile, temporary_redirect_after_a_permanent_one_keeps_the_permanent_target) {
    bad_.server().serve_feed("/final.xml", good_body);
    bad_.server().on("/a", [](const auto&) {
        auto res = http_test_server::make_response(301, "");
        res.set(http::field::location, "/b");
        return res;
    });
    bad_.server().on("/b", [](const auto&) {
        auto res = http_test_server::make_response(307, "");
        res.set(http::field::location, "/final.xml");
        return res;
    });
    auto t = run(request(bad_.url("/a")));
    EXPECT_EQ(t.response.outcome, fetch_outcome::ok) << t.response.error;
    ASSERT_TRUE(t.response.permanent_redirect);
    EXPECT_EQ(*t.response.permanent_redirect, bad_.url("/b"));
    EXPECT_EQ(t.response.effective_url, bad_.url("/final.xml"));
}

TEST_F(hostile, not_modified_keeps_the_validators) {
    bad_.server().serve_feed("/cond.xml", good_body, "application/rss+xml", "\"e1\"", "");
    auto req = request(bad_.url("/cond.xml"));
    req.etag = "\"e1\"";
    auto t = run(req);
    EXPECT_EQ(t.response.outcome, fetch_outcome::not_modified) << t.response.error;
    EXPECT_EQ(t.response.http_status, 304);
    EXPECT_EQ(t.response.etag, "\"e1\"");
}

TEST_F(hostile, reset_mid_body_is_a_network_error) {
    bad_.reset_mid_body("/reset");
    auto t = run(request(bad_.url("/reset")));
    EXPECT_EQ(t.response.outcome, fetch_outcome::network_error) << t.response.error;
    EXPECT_TRUE(t.response.body.empty());
    EXPECT_LE(t.response.body_bytes, 1000u);
    EXPECT_LT(t.elapsed, slack);
}

TEST_F(hostile, garbage_reply_is_a_network_error) {
    bad_.garbage("/garbage");
    auto t = run(request(bad_.url("/garbage")));
    EXPECT_EQ(t.response.outcome, fetch_outcome::network_error) << t.response.error;
    EXPECT_LT(t.elapsed, slack);
}

TEST_F(hostile, etag_with_cr_lf_is_neither_stored_nor_sent) {
    // The server sends a validator holding a bare CR (LF would end the header line).
    bad_.server().on_raw("/evil-etag", [](asio::ip::tcp::socket& s, const auto&) {
        const std::string reply =
            "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: 5\r\n"
            "ETag: \"a\rX-Injected: 1\"\r\nLast-Modified: Mon, 01 Jan 2024\r00:00:00 GMT\r\n\r\n<rss>";
        boost::system::error_code ec;
        asio::write(s, asio::buffer(reply), ec);
    });
    auto t = run(request(bad_.url("/evil-etag")));
    EXPECT_EQ(t.response.outcome, fetch_outcome::ok) << t.response.error;
    EXPECT_TRUE(t.response.etag.empty()) << t.response.etag;
    EXPECT_TRUE(t.response.last_modified.empty());

    // A stored value that was tampered with is not sent back.
    bad_.server().serve_feed("/plain.xml", good_body);
    auto req = request(bad_.url("/plain.xml"));
    req.etag = "\"v1\"\r\nX-Injected: 1";
    req.last_modified = "Mon, 01 Jan 2024 00:00:00 GMT\nX-Injected: 2";
    auto again = run(req);
    EXPECT_EQ(again.response.outcome, fetch_outcome::ok) << again.response.error;
    const auto seen = bad_.server().requests("/plain.xml");
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0].count(http::field::if_none_match), 0u);
    EXPECT_EQ(seen[0].count(http::field::if_modified_since), 0u);
    EXPECT_EQ(seen[0].count("X-Injected"), 0u);
}

TEST_F(hostile, self_signed_tls_is_refused_unless_the_feed_opts_out) {
    newswatch::testing::temp_dir dir;
    newswatch::testing::tls_test_server tls(dir.path(), good_body);
    auto t = run(request(tls.url("/feed.xml")));
    EXPECT_EQ(t.response.outcome, fetch_outcome::tls_error) << t.response.error;
    EXPECT_EQ(tls.handshakes_completed(), 0);
    EXPECT_LT(t.elapsed, slack);

    auto req = request(tls.url("/feed.xml"));
    req.verify_tls = false;
    auto opted_out = run(req);
    EXPECT_EQ(opted_out.response.outcome, fetch_outcome::ok) << opted_out.response.error;
    EXPECT_EQ(opted_out.response.body, good_body);
}

TEST_F(hostile, unreachable_port_is_a_connect_error) {
    std::uint16_t port;
    {
        http_test_server closed;  // bind, learn a free port, close
        port = closed.port();
    }
    auto t = run(request("http://127.0.0.1:" + std::to_string(port) + "/feed.xml"));
    EXPECT_EQ(t.response.outcome, fetch_outcome::connect_error) << t.response.error;
}

TEST_F(hostile, non_http_urls_are_bad_urls) {
    for (const std::string url : {"ftp://127.0.0.1/feed.xml", "file:///etc/passwd", "not a url", ""}) {
        auto t = run(request(url));
        EXPECT_EQ(t.response.outcome, fetch_outcome::bad_url) << url;
    }
}

// ---- Attacks beyond the list ----

namespace more {

void send_raw(asio::ip::tcp::socket& s, const std::string& bytes) {
    boost::system::error_code ec;
    asio::write(s, asio::buffer(bytes), ec);
}

// Keeps the connection open (as a keep-alive server would) until the client goes away.
void hold(asio::ip::tcp::socket& s) {
    char byte;
    boost::system::error_code ec;
    s.read_some(asio::buffer(&byte, 1), ec);
}

}  // namespace more

TEST_F(hostile, thousands_of_small_header_lines_pass_within_the_cap_and_fail_over_it) {
    for (const auto& [lines, expected] :
         {std::pair{1500, fetch_outcome::ok}, {4000, fetch_outcome::headers_too_large}}) {
        const std::string path = "/lines" + std::to_string(lines);
        bad_.server().on_raw(path, [lines = lines](asio::ip::tcp::socket& s, const auto&) {
            std::string reply = "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n";
            for (int i = 0; i < lines; ++i)
                reply += "X-A: " + std::to_string(i % 10) + "\r\n";  // 8 bytes each
            more::send_raw(s, reply + "Content-Length: 5\r\nConnection: close\r\n\r\n<rss>");
        });
        auto t = run(request(bad_.url(path)));
        EXPECT_EQ(t.response.outcome, expected) << lines << ": " << t.response.error;
        EXPECT_LE(t.response.wire_bytes, short_limits().max_header_bytes + 64 * 1024);
        EXPECT_LT(t.elapsed, slack);
    }
}

TEST_F(hostile, stacked_content_encodings_are_refused) {
    std::string encodings = "gzip";
    for (int i = 0; i < 999; ++i) encodings += ", gzip";
    bad_.repeated_body("/stacked.xml",
                       "Content-Type: application/rss+xml\r\nContent-Encoding: " + encodings + "\r\n",
                       std::string(1000, 'x'), "", 0);
    auto t = run(request(bad_.url("/stacked.xml")));
    EXPECT_EQ(t.response.outcome, fetch_outcome::bad_encoding) << t.response.error;
    EXPECT_EQ(t.response.body_bytes, 0u);
    EXPECT_LT(t.elapsed, slack);
}

TEST_F(hostile, gzip_bomb_inside_gzip_stops_at_the_decoded_cap) {
    const auto inner = make_gzip_bomb();
    std::string inner_stream = inner.head;
    for (int i = 0; i < 1023; ++i) inner_stream += inner.block;  // 1 GiB decoded, ~1 MB
    z_stream z{};
    ASSERT_EQ(deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY), Z_OK);
    std::string outer(compressBound(static_cast<uLong>(inner_stream.size())) + 64, '\0');
    z.next_in = reinterpret_cast<Bytef*>(inner_stream.data());
    z.avail_in = static_cast<uInt>(inner_stream.size());
    z.next_out = reinterpret_cast<Bytef*>(outer.data());
    z.avail_out = static_cast<uInt>(outer.size());
    ASSERT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
    outer.resize(outer.size() - z.avail_out);
    deflateEnd(&z);
    bad_.repeated_body("/double.xml", "Content-Type: application/rss+xml\r\nContent-Encoding: gzip, gzip\r\n",
                       outer, "", 0);
    auto t = run(request(bad_.url("/double.xml")));
    EXPECT_EQ(t.response.outcome, fetch_outcome::body_too_large) << t.response.error;
    EXPECT_LE(t.response.body_bytes, short_limits().max_body_bytes);
    EXPECT_LT(t.elapsed, slack);
}

TEST_F(hostile, content_length_shorter_than_the_body_cannot_smuggle_a_second_response) {
    // After 5 announced bytes comes a complete fake response; the connection stays open.
    bad_.server().on_raw("/short", [](asio::ip::tcp::socket& s, const auto&) {
        more::send_raw(
            s,
            "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: 5\r\n\r\n<rss>"
            "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: 8\r\n\r\nSMUGGLED");
        more::hold(s);
    });
    bad_.server().serve_feed("/next.xml", good_body);
    http_client client(io_.get_executor(), {});
    std::vector<fetch_response> out;
    for (const auto* path : {"/short", "/next.xml"}) {
        bool done = false;
        client.async_fetch(request(bad_.url(path)), [&](fetch_response r) {
            out.push_back(std::move(r));
            done = true;
        });
        io_.restart();
        while (!done && io_.run_one() > 0) {
        }
    }
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].outcome, fetch_outcome::ok) << out[0].error;
    EXPECT_EQ(out[0].body, "<rss>");
    EXPECT_EQ(out[1].outcome, fetch_outcome::ok) << out[1].error;
    EXPECT_EQ(out[1].body, good_body);
    EXPECT_EQ(bad_.hits("/next.xml"), 1);
}

TEST_F(hostile, content_length_longer_than_the_body_is_a_network_error) {
    bad_.server().on_raw("/long", [](asio::ip::tcp::socket& s, const auto&) {
        more::send_raw(
            s, "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: 5000\r\n\r\n<rss>");
    });
    auto t = run(request(bad_.url("/long")));
    EXPECT_EQ(t.response.outcome, fetch_outcome::network_error) << t.response.error;
    EXPECT_TRUE(t.response.body.empty());
    EXPECT_LT(t.elapsed, slack);
}

TEST_F(hostile, invalid_and_overflowing_chunk_sizes_are_network_errors) {
    for (const std::string chunk : {"zz\r\nabc\r\n0\r\n\r\n", "ffffffffffffffffffff\r\nabc", "-5\r\nabc\r\n",
                                    "4\r\nabcdefgh\r\n0\r\n\r\n"}) {
        bad_.server().on_raw("/chunks", [chunk](asio::ip::tcp::socket& s, const auto&) {
            more::send_raw(
                s,
                "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nTransfer-Encoding: chunked\r\n\r\n" +
                    chunk);
        });
        auto t = run(request(bad_.url("/chunks")));
        EXPECT_EQ(t.response.outcome, fetch_outcome::network_error) << chunk << ": " << t.response.error;
        EXPECT_TRUE(t.response.body.empty());
        EXPECT_LE(t.response.body_bytes, 16u);
        EXPECT_LT(t.elapsed, slack);
    }
}

TEST_F(hostile, http_0_9_reply_is_a_network_error) {
    bad_.server().on_raw("/old", [](asio::ip::tcp::socket& s, const auto&) {
        more::send_raw(
            s, "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>0.9</title></channel></rss>\n");
    });
    auto t = run(request(bad_.url("/old")));
    EXPECT_EQ(t.response.outcome, fetch_outcome::network_error) << t.response.error;
    EXPECT_TRUE(t.response.body.empty());
    EXPECT_LT(t.elapsed, slack);
}

TEST_F(hostile, nul_bytes_in_headers_are_refused) {
    bad_.server().on_raw("/nul", [](asio::ip::tcp::socket& s, const auto&) {
        more::send_raw(
            s, std::string("HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nETag: \"a\0b\"\r\n"
                           "Content-Length: 5\r\n\r\n<rss>",
                           91));
    });
    auto t = run(request(bad_.url("/nul")));
    EXPECT_NE(t.response.outcome, fetch_outcome::ok) << t.response.error;
    EXPECT_TRUE(t.response.etag.empty());
    EXPECT_LT(t.elapsed, slack);
}

TEST_F(hostile, location_with_spaces_or_a_bare_cr_never_reaches_another_host) {
    bad_.server().serve_feed("/new feed.xml", good_body);
    bad_.server().serve_feed("/new%20feed.xml", good_body);
    for (const std::string& location : {std::string("/new feed.xml"), std::string("http://127.0.0.2\r:80/x"),
                                        std::string(" http://127.0.0.2/x")}) {
        bad_.server().on_raw("/odd-location", [location](asio::ip::tcp::socket& s, const auto&) {
            more::send_raw(s,
                           "HTTP/1.1 302 Found\r\nLocation: " + location + "\r\nContent-Length: 0\r\n\r\n");
        });
        auto t = run(request(bad_.url("/odd-location")));
        EXPECT_TRUE(t.response.outcome == fetch_outcome::ok ||
                    t.response.outcome == fetch_outcome::redirect_refused ||
                    t.response.outcome == fetch_outcome::address_refused)
            << location << ": " << to_string(t.response.outcome) << " " << t.response.error;
        if (t.response.outcome == fetch_outcome::ok) {
            EXPECT_EQ(t.response.body, good_body);
        }
        EXPECT_LT(t.elapsed, slack);
    }
}

TEST_F(hostile, server_that_accepts_and_never_sends_a_byte_times_out) {
    newswatch::testing::silent_tcp_server silent;
    auto t = run(request("http://127.0.0.1:" + std::to_string(silent.port()) + "/feed.xml"));
    EXPECT_EQ(t.response.outcome, fetch_outcome::timeout) << t.response.error;
    EXPECT_EQ(t.response.wire_bytes, 0u);
    EXPECT_LT(t.elapsed, short_limits().low_speed_time + slack);
    EXPECT_EQ(silent.accepted(), 1);
}

TEST_F(hostile, tls_handshake_that_stalls_times_out_at_the_connect_timeout) {
    newswatch::testing::silent_tcp_server silent;
    auto req = request("https://127.0.0.1:" + std::to_string(silent.port()) + "/feed.xml");
    req.limits.low_speed_time = std::chrono::seconds(30);  // only the connect timeout may end it
    auto t = run(req);
    EXPECT_EQ(t.response.outcome, fetch_outcome::timeout) << t.response.error;
    EXPECT_GE(t.elapsed, req.limits.connect_timeout - 100ms);
    EXPECT_LT(t.elapsed, req.limits.connect_timeout + slack);
    EXPECT_EQ(t.response.body_bytes, 0u);
}

TEST_F(hostile, one_byte_per_second_trickle_hits_the_low_speed_limit) {
    bad_.drip_body("/trickle", 1000ms);
    auto req = request(bad_.url("/trickle"));
    req.limits.low_speed_time = std::chrono::seconds(2);
    auto t = run(req);
    EXPECT_EQ(t.response.outcome, fetch_outcome::timeout) << t.response.error;
    EXPECT_LT(t.elapsed, req.limits.low_speed_time + slack);
    EXPECT_LE(t.response.body_bytes, 4u);
}

TEST_F(hostile, brotli_bomb_stops_at_the_decoded_cap) {
    // 256 MiB of zeros, streamed through the encoder one MiB at a time (a few hundred bytes out).
    BrotliEncoderState* encoder = BrotliEncoderCreateInstance(nullptr, nullptr, nullptr);
    ASSERT_NE(encoder, nullptr);
    BrotliEncoderSetParameter(encoder, BROTLI_PARAM_QUALITY, 1);
    const std::string zeros(1 << 20, '\0');
    std::string bomb;
    for (int i = 0; i < 256; ++i) {
        const bool last = i == 255;
        std::size_t in_left = zeros.size();
        const auto* in = reinterpret_cast<const std::uint8_t*>(zeros.data());
        do {
            std::size_t out_left = 0;
            ASSERT_TRUE(BrotliEncoderCompressStream(encoder,
                                                    last ? BROTLI_OPERATION_FINISH : BROTLI_OPERATION_PROCESS,
                                                    &in_left, &in, &out_left, nullptr, nullptr));
            std::size_t size = 0;
            const std::uint8_t* out = BrotliEncoderTakeOutput(encoder, &size);
            bomb.append(reinterpret_cast<const char*>(out), size);
        } while (in_left > 0 || BrotliEncoderHasMoreOutput(encoder) ||
                 (last && !BrotliEncoderIsFinished(encoder)));
    }
    BrotliEncoderDestroyInstance(encoder);
    ASSERT_LT(bomb.size(), 1u << 20);
    bad_.repeated_body("/bomb.br", "Content-Type: application/rss+xml\r\nContent-Encoding: br\r\n", bomb, "",
                       0);
    auto t = run(request(bad_.url("/bomb.br")));
    EXPECT_EQ(t.response.outcome, fetch_outcome::body_too_large) << t.response.error;
    EXPECT_LE(t.response.body_bytes, short_limits().max_body_bytes);
    EXPECT_LE(t.response.wire_bytes, bomb.size() + 4096);
    EXPECT_LT(t.elapsed, slack);
}

}  // namespace
