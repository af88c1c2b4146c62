// Issue 11: newswatchd --once delivers alerts to a `webhook` sink configured as in
// docs/CONFIG.md (url_file, secret_file), to a real HTTP receiver on 127.0.0.1.
#include <gtest/gtest.h>

#include "daemon_fixture.hpp"
#include "http_test_server.hpp"
#include "newswatch/core/sha256.hpp"

namespace newswatch::testing {
namespace {

using namespace std::chrono_literals;

TEST(webhook_channel, newswatchd_posts_signed_alerts_with_id_and_event) {
    temp_dir dir;
    http_test_server server;
    const auto now = std::chrono::system_clock::now();
    server.serve_feed(
        "/feed.xml",
        rss_document("World",
                     {{"m-1", "NATO ministers discuss Ukraine", "https://news.example/m-1",
                       "Ministers met in Brussels.", now - 1h},
                      {"s-1", "Cup final tonight", "https://news.example/s-1", "Football.", now - 2h}}));
    server.on("/hook?k=SECRET", [](const auto&) { return http_test_server::make_response(200, "ok"); });
    write_file(dir.path() / "hook.url", server.url("/hook?k=SECRET") + "\n");
    write_file(dir.path() / "hook.key", "integration-key\n");
    write_file(dir.path() / "newswatch.toml",
               "[daemon]\nstate_dir = \"state\"\n\n[[feed]]\nurl = \"" + server.url("/feed.xml") +
                   "\"\n\n[[watch]]\nname = \"nato\"\nquery = 'NATO AND Ukraine'\nsinks = [\"hook\"]\n\n"
                   "[[sink]]\nname = \"hook\"\ntype = \"webhook\"\nurl_file = \"" +
                   (dir.path() / "hook.url").string() + "\"\nsecret_file = \"" +
                   (dir.path() / "hook.key").string() + "\"\n");
    const auto r =
        run_daemon("--config " + quote(dir.path() / "newswatch.toml") + " --once --log-level debug");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto seen = server.requests("/hook?k=SECRET");
    ASSERT_EQ(seen.size(), 1u) << r.err;
    const auto& req = seen[0];
    const auto alert = boost::json::parse(req.body()).as_object();
    EXPECT_EQ(alert.at("type").as_string(), "alert");
    EXPECT_EQ(std::string(req["X-Newswatch-Id"]), std::string(alert.at("id").as_string()));
    EXPECT_EQ(req["X-Newswatch-Event"], "alert");
    EXPECT_EQ(req["Content-Type"], "application/json");
    EXPECT_EQ(std::string(req["X-Newswatch-Signature"]),
              "sha256=" + core::hmac_sha256_hex("integration-key", req.body()));
    // The secret URL's path and query never reach the log.
    EXPECT_EQ(r.err.find("SECRET"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace newswatch::testing
