// newswatch fetch prints one JSON object per fetch; the HTTP version it negotiated is part
// of it (HTTP/1.1 from a plain server, HTTP/2 from nghttpd over TLS).
#include <gtest/gtest.h>

#include "daemon_fixture.hpp"
#include "http_test_server.hpp"
#include "nghttpd_server.hpp"

namespace newswatch::testing {
namespace {

const std::string feed =
    "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title></channel></rss>";

boost::json::object fetch_json(const std::string& arguments, int expected_exit = 0) {
    auto r = run_tool("fetch " + arguments);
    EXPECT_EQ(r.exit_code, expected_exit) << r.err;
    return boost::json::parse(r.out).as_object();
}

TEST(fetch_command, prints_every_documented_field_and_the_http_version) {
    http_test_server server;
    server.serve_feed("/feed.xml", feed);
    auto o = fetch_json(server.url("/feed.xml"));
    for (const char* key : {"url", "outcome", "http_status", "error", "effective_url", "permanent_redirect",
                            "redirects", "content_type", "etag", "last_modified", "retry_after", "max_age",
                            "body_bytes", "wire_bytes", "duration_ms", "http_version", "connections_opened"})
        EXPECT_TRUE(o.contains(key)) << key;
    EXPECT_EQ(o.at("outcome").as_string(), "ok");
    EXPECT_EQ(o.at("http_version").as_string(), "1.1");
    EXPECT_EQ(o.at("connections_opened").to_number<int>(), 1);

    // No response at all: no version.
    auto refused = fetch_json("http://127.0.0.1:9/feed.xml", 1);
    EXPECT_TRUE(refused.at("http_version").is_null());
}

TEST(fetch_command, reports_http2_from_a_real_http2_server) {
    const auto binary = nghttpd_server::find_binary();
    if (!binary) GTEST_SKIP() << "nghttpd is not installed (Debian package nghttp2-server): skipping";
    temp_dir dir;
    std::filesystem::create_directories(dir.path() / "htdocs");
    write_file(dir.path() / "htdocs" / "feed.xml", feed);
    nghttpd_server server(*binary, dir.path() / "htdocs", dir.path());
    write_file(dir.path() / "c.toml",
               "[daemon]\nstate_dir = \"state\"\ndefault_sinks = [\"out\"]\n"
               "[[feed]]\nurl = \"" +
                   server.url("/feed.xml") +
                   "\"\nverify_tls = false\n"
                   "[[watch]]\nname = \"w\"\nquery = 'NATO'\n"
                   "[[sink]]\nname = \"out\"\ntype = \"file\"\npath = \"out.jsonl\"\n");
    auto o = fetch_json("--config " + quote(dir.path() / "c.toml") + " " + server.url("/feed.xml"));
    EXPECT_EQ(o.at("outcome").as_string(), "ok");
    EXPECT_EQ(o.at("http_version").as_string(), "2");
    EXPECT_EQ(o.at("body_bytes").to_number<std::size_t>(), feed.size());
}

}  // namespace
}  // namespace newswatch::testing
