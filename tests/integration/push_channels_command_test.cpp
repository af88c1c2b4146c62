// Issue #12: the push channels (ntfy, gotify, pushover, matrix, apprise) through
// `newswatch sink test NAME --config F` against loopback receivers, configured as in
// docs/CONFIG.md (secrets in files), and newswatchd delivering a real alert to ntfy.
#include <gtest/gtest.h>

#include <unistd.h>

#include "daemon_fixture.hpp"
#include "http_test_server.hpp"

namespace newswatch::testing {
namespace {

using namespace std::chrono_literals;

class push_channels_command : public ::testing::Test {
protected:
    void SetUp() override {
        server.on_unmatched([](const http_request&) {
            return http_test_server::make_response(200, R"({"event_id":"$e","status":1,"id":1})",
                                                   "application/json");
        });
        write_file(dir.path() / "token", "s3cret-token\n");
        write_file(dir.path() / "user", "u-key\n");
    }
    void write_config(const std::string& sink) {
        write_file(config(), "[daemon]\nstate_dir = \"state\"\n\n[[sink]]\nname = \"push\"\n" + sink);
    }
    std::filesystem::path config() const { return dir.path() / "newswatch.toml"; }
    std::string file(const char* name) const { return "\"" + (dir.path() / name).string() + "\""; }
    command_result sink_test() { return run_tool("sink test push --config " + quote(config())); }
    // The test id `sink test` printed ("(test id X)").
    static std::string test_id(const std::string& out) {
        const auto at = out.find("(test id ");
        return at == std::string::npos ? "" : out.substr(at + 9, out.find(')', at) - at - 9);
    }
    void expect_delivered(const command_result& r, const std::string& type) {
        ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
        EXPECT_NE(r.out.find("sink push (" + type + "): delivered"), std::string::npos) << r.out;
        EXPECT_EQ(r.out.find("s3cret-token"), std::string::npos);
    }

    temp_dir dir;
    http_test_server server;
};

TEST_F(push_channels_command, ntfy) {
    write_config("type = \"ntfy\"\nserver = \"" + server.base_url() +
                 "\"\ntopic = \"news_alerts\"\ntoken_file = " + file("token") + "\n");
    expect_delivered(sink_test(), "ntfy");
    const auto reqs = server.requests("/news_alerts");
    ASSERT_EQ(reqs.size(), 1u);
    EXPECT_EQ(reqs[0]["Authorization"], "Bearer s3cret-token");
    EXPECT_EQ(reqs[0]["Title"], "newswatch test message for sink push");
    EXPECT_NE(reqs[0].body().find("the sink 'push' works"), std::string::npos) << reqs[0].body();
}

TEST_F(push_channels_command, gotify) {
    write_config("type = \"gotify\"\nserver = \"" + server.base_url() + "\"\ntoken_file = " + file("token") +
                 "\n");
    expect_delivered(sink_test(), "gotify");
    const auto reqs = server.requests("/message");
    ASSERT_EQ(reqs.size(), 1u);
    EXPECT_EQ(reqs[0]["X-Gotify-Key"], "s3cret-token");
    EXPECT_EQ(boost::json::parse(reqs[0].body()).at("title").as_string(), "newswatch test message for sink push");
}

TEST_F(push_channels_command, pushover) {
    write_config("type = \"pushover\"\napi_base = \"" + server.base_url() +
                 "\"\nuser_key_file = " + file("user") + "\ntoken_file = " + file("token") + "\n");
    expect_delivered(sink_test(), "pushover");
    const auto reqs = server.requests("/1/messages.json");
    ASSERT_EQ(reqs.size(), 1u);
    EXPECT_NE(reqs[0].body().find("token=s3cret-token&user=u-key&title=newswatch%20test%20message%20for%20sink%20push"),
              std::string::npos)
        << reqs[0].body();
}

TEST_F(push_channels_command, matrix) {
    write_config("type = \"matrix\"\nhomeserver = \"" + server.base_url() +
                 "\"\nroom_id = \"!news:example.org\"\naccess_token_file = " + file("token") +
                 "\nmsgtype = \"m.notice\"\n");
    const auto r = sink_test();
    expect_delivered(r, "matrix");
    const auto reqs = server.requests("/_matrix/client/v3/rooms/%21news%3Aexample.org/send/m.room.message/" +
                                      test_id(r.out));
    ASSERT_EQ(reqs.size(), 1u) << r.out;
    EXPECT_EQ(reqs[0].method(), boost::beast::http::verb::put);
    EXPECT_EQ(reqs[0]["Authorization"], "Bearer s3cret-token");
    const auto doc = boost::json::parse(reqs[0].body()).as_object();
    EXPECT_EQ(doc.at("msgtype").as_string(), "m.notice");
    EXPECT_TRUE(doc.at("m.mentions").as_object().empty());
}

TEST_F(push_channels_command, apprise) {
    if (::access("/usr/bin/apprise", X_OK) != 0)
        GTEST_SKIP() << "Debian's apprise is not installed (scripts/install-deps.sh installs it)";
    write_file(dir.path() / "apprise.urls",
               "json://127.0.0.1:" + std::to_string(server.port()) + "/apprise\n");
    write_config("type = \"apprise\"\nurls_file = " + file("apprise.urls") + "\ntimeout = \"60s\"\n");
    expect_delivered(sink_test(), "apprise");
    const auto reqs = server.requests("/apprise");
    ASSERT_EQ(reqs.size(), 1u);
    EXPECT_EQ(boost::json::parse(reqs[0].body()).at("title").as_string(), "newswatch test message for sink push");
}

TEST_F(push_channels_command, a_missing_secret_file_or_bad_room_is_a_configuration_error) {
    write_config("type = \"gotify\"\nserver = \"" + server.base_url() + "\"\ntoken_file = " + file("nope") +
                 "\n");
    auto r = sink_test();
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("token_file"), std::string::npos) << r.err;
    write_config("type = \"matrix\"\nhomeserver = \"" + server.base_url() +
                 "\"\nroom_id = \"#alias:example.org\"\naccess_token_file = " + file("token") + "\n");
    r = sink_test();
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("room_id"), std::string::npos) << r.err;
}

TEST(push_channel_daemon, newswatchd_delivers_an_alert_to_ntfy_with_the_watch_priority) {
    temp_dir dir;
    http_test_server server;
    const auto now = std::chrono::system_clock::now();
    server.serve_feed("/feed.xml", rss_document("World", {{"m-1", "NATO ministers discuss Ukraine",
                                                           "https://news.example/m-1",
                                                           "Ministers met in Brussels.", now - 1h}}));
    server.on("/nato",
              [](const auto&) { return http_test_server::make_response(200, "{}", "application/json"); });
    write_file(dir.path() / "ntfy.token", "tk_daemon\n");
    write_file(dir.path() / "newswatch.toml",
               "[daemon]\nstate_dir = \"state\"\n\n[[feed]]\nurl = \"" + server.url("/feed.xml") +
                   "\"\n\n[[watch]]\nname = \"nato\"\nquery = 'NATO AND Ukraine'\npriority = \"high\"\n"
                   "sinks = [\"phone\"]\n\n[[sink]]\nname = \"phone\"\ntype = \"ntfy\"\nserver = \"" +
                   server.base_url() + "\"\ntopic = \"nato\"\ntoken_file = \"" +
                   (dir.path() / "ntfy.token").string() + "\"\n");
    const auto r =
        run_daemon("--config " + quote(dir.path() / "newswatch.toml") + " --once --log-level debug");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto seen = server.requests("/nato");
    ASSERT_EQ(seen.size(), 1u) << r.err;
    EXPECT_EQ(seen[0]["Title"], "NATO ministers discuss Ukraine");
    EXPECT_EQ(seen[0]["Priority"], "4");
    EXPECT_EQ(seen[0]["Click"], "https://news.example/m-1");
    EXPECT_EQ(seen[0]["Authorization"], "Bearer tk_daemon");
    EXPECT_NE(seen[0].body().find("Watch: nato"), std::string::npos) << seen[0].body();
    EXPECT_NE(seen[0].body().find("Ministers met in Brussels."), std::string::npos);
    EXPECT_EQ(r.err.find("tk_daemon"), std::string::npos);
}

}  // namespace
}  // namespace newswatch::testing
