// `newswatch sink test NAME --config F` (issue #11 item 5) against real receivers.
#include <gtest/gtest.h>

#include <map>
#include <utility>
#include <vector>

#include "daemon_fixture.hpp"
#include "http_test_server.hpp"

namespace newswatch::testing {
namespace {

class sink_test_command : public ::testing::Test {
protected:
    void write_config(const std::string& sinks) {
        write_file(config(), "[daemon]\nstate_dir = \"state\"\n" + sinks);
    }
    std::filesystem::path config() const { return dir.path() / "newswatch.toml"; }
    command_result sink_test(const std::string& name) {
        return run_tool("sink test " + name + " --config " + quote(config()));
    }
    temp_dir dir;
    http_test_server server;
};

TEST_F(sink_test_command, a_webhook_gets_a_marked_test_message) {
    server.on("/hook", [](const http_request&) { return http_test_server::make_response(204, ""); });
    write_config("[[sink]]\nname = \"hook\"\ntype = \"webhook\"\nurl = \"" + server.url("/hook") + "\"\n");
    const auto r = sink_test("hook");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("sink hook (webhook): delivered"), std::string::npos) << r.out;
    const auto requests = server.requests("/hook");
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(requests[0]["X-Newswatch-Event"], "test");
    const auto body = boost::json::parse(requests[0].body()).as_object();
    EXPECT_EQ(body.at("type").as_string(), "test");
    EXPECT_EQ(requests[0]["X-Newswatch-Id"], body.at("id").as_string());
}

TEST_F(sink_test_command, a_failing_sink_exits_1_with_the_reason) {
    server.on("/gone",
              [](const http_request&) { return http_test_server::make_response(404, "no such hook"); });
    server.on("/busy", [](const http_request&) { return http_test_server::make_response(503, "later"); });
    write_config("[[sink]]\nname = \"gone\"\ntype = \"webhook\"\nurl = \"" + server.url("/gone") +
                 "\"\n[[sink]]\nname = \"busy\"\ntype = \"webhook\"\nurl = \"" + server.url("/busy") +
                 "\"\n");
    const auto gone = sink_test("gone");
    EXPECT_EQ(gone.exit_code, 1);
    EXPECT_NE(gone.err.find("permanently"), std::string::npos) << gone.err;
    EXPECT_NE(gone.err.find("404"), std::string::npos) << gone.err;
    const auto busy = sink_test("busy");
    EXPECT_EQ(busy.exit_code, 1);
    EXPECT_NE(busy.err.find("would retry"), std::string::npos) << busy.err;
}

TEST_F(sink_test_command, a_file_sink_gets_the_test_line) {
    write_config("[[sink]]\nname = \"f\"\ntype = \"file\"\npath = \"out.jsonl\"\n");
    const auto r = sink_test("f");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto lines = read_json_lines(dir.path() / "out.jsonl");
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0].at("type").as_string(), "test");
}

// Issue #12: every chat channel works through `newswatch sink test`, configured as in
// docs/CONFIG.md (url_file, bot_token_file, api_base), against a loopback receiver.
TEST_F(sink_test_command, each_chat_channel_gets_a_test_message) {
    write_file(dir.path() / "slack.url", server.url("/services/T0/B0/SECRET") + "\n");
    write_file(dir.path() / "discord.url", server.url("/api/webhooks/1/SECRET") + "\n");
    write_file(dir.path() / "teams.url", server.url("/workflows/SECRET/invoke") + "\n");
    write_file(dir.path() / "bot.token", "123456:SECRET-TOKEN\n");
    const std::vector<std::pair<std::string, std::string>> sinks{
        {"slack", "url_file = \"" + (dir.path() / "slack.url").string() + "\""},
        {"discord", "url_file = \"" + (dir.path() / "discord.url").string() + "\"\nusername = \"newswatch\""},
        {"mattermost", "url = \"" + server.url("/hooks/mm") + "\"\nchannel = \"news\""},
        {"teams", "url_file = \"" + (dir.path() / "teams.url").string() + "\""},
        {"telegram", "bot_token_file = \"" + (dir.path() / "bot.token").string() +
                         "\"\nchat_id = -1001234\napi_base = \"" + server.base_url() + "/\""},
    };
    std::string config;
    for (const auto& [type, keys] : sinks)
        config += "[[sink]]\nname = \"my-" + type + "\"\ntype = \"" + type + "\"\n" + keys + "\n";
    write_config(config);
    server.on_unmatched(
        [](const http_request&) { return http_test_server::make_response(200, "{\"ok\":true}"); });
    const std::map<std::string, std::string> paths{{"slack", "/services/T0/B0/SECRET"},
                                                   {"discord", "/api/webhooks/1/SECRET"},
                                                   {"mattermost", "/hooks/mm"},
                                                   {"teams", "/workflows/SECRET/invoke"},
                                                   {"telegram", "/bot123456:SECRET-TOKEN/sendMessage"}};
    for (const auto& [type, path] : paths) {
        SCOPED_TRACE(type);
        const auto r = sink_test("my-" + type);
        ASSERT_EQ(r.exit_code, 0) << r.err;
        EXPECT_NE(r.out.find("sink my-" + type + " (" + type + "): delivered"), std::string::npos) << r.out;
        EXPECT_EQ(r.out.find("SECRET"), std::string::npos) << r.out;
        EXPECT_EQ(r.err.find("SECRET"), std::string::npos) << r.err;
        const auto requests = server.requests(path);
        ASSERT_EQ(requests.size(), 1u);
        EXPECT_EQ(requests[0].method(), boost::beast::http::verb::post);
        const auto body = boost::json::parse(requests[0].body()).as_object();
        const std::string text = boost::json::serialize(body);
        // The name follows "my" as each markup writes "-" (markdown: "\\-").
        EXPECT_NE(text.find("newswatch test message for sink my"), std::string::npos) << text;
        if (type == "slack") {
            EXPECT_EQ(body.at("blocks").at(0).at("type"), "header");
        }
        if (type == "discord") {
            EXPECT_TRUE(body.at("allowed_mentions").at("parse").as_array().empty());
        }
        if (type == "mattermost") {
            EXPECT_EQ(body.at("channel"), "news");
        }
        if (type == "teams") {
            EXPECT_EQ(body.at("attachments").at(0).at("contentType"),
                      "application/vnd.microsoft.card.adaptive");
        }
        if (type == "telegram") {
            EXPECT_EQ(body.at("chat_id"), "-1001234");
            EXPECT_EQ(body.at("parse_mode"), "HTML");
        }
    }
}

TEST_F(sink_test_command, a_telegram_sink_without_a_token_file_is_a_configuration_error) {
    write_config("[[sink]]\nname = \"tg\"\ntype = \"telegram\"\nchat_id = \"@news\"\n");
    const auto r = sink_test("tg");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("bot_token_file"), std::string::npos) << r.err;
}

TEST_F(sink_test_command, an_unknown_sink_is_a_configuration_error_naming_the_configured_ones) {
    write_config("[[sink]]\nname = \"f\"\ntype = \"file\"\npath = \"out.jsonl\"\n");
    const auto r = sink_test("nope");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("no sink named 'nope' (configured: f)"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace newswatch::testing
