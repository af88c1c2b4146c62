// Issue #12: newswatchd --once delivers a real alert to a chat channel configured as in
// docs/CONFIG.md: a `telegram` sink with bot_token_file and api_base pointing at a
// loopback Bot API, whose token (in the URL path) never reaches the log.
#include <gtest/gtest.h>

#include "daemon_fixture.hpp"
#include "http_test_server.hpp"

namespace newswatch::testing {
namespace {

using namespace std::chrono_literals;

TEST(chat_channel, newswatchd_sends_an_alert_to_telegram_without_logging_the_token) {
    temp_dir dir;
    http_test_server server;
    const auto now = std::chrono::system_clock::now();
    server.serve_feed(
        "/feed.xml",
        rss_document("World",
                     {{"m-1", "NATO ministers @everyone discuss <b>Ukraine</b>", "https://news.example/m-1",
                       "Ministers met in Brussels.", now - 1h},
                      {"s-1", "Cup final tonight", "https://news.example/s-1", "Football.", now - 2h}}));
    server.on("/bot4242:SECRET-TOKEN/sendMessage",
              [](const auto&) { return http_test_server::make_response(200, R"({"ok":true,"result":{}})"); });
    write_file(dir.path() / "bot.token", "4242:SECRET-TOKEN\n");
    write_file(
        dir.path() / "newswatch.toml",
        "[daemon]\nstate_dir = \"state\"\n\n[[feed]]\nurl = \"" + server.url("/feed.xml") +
            "\"\n\n[[watch]]\nname = \"nato\"\nquery = 'NATO AND Ukraine'\nsinks = [\"tg\"]\n\n"
            "[[sink]]\nname = \"tg\"\ntype = \"telegram\"\nchat_id = \"@newsroom\"\nbot_token_file = \"" +
            (dir.path() / "bot.token").string() + "\"\napi_base = \"" + server.base_url() + "\"\n");
    const auto r =
        run_daemon("--config " + quote(dir.path() / "newswatch.toml") + " --once --log-level debug");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto seen = server.requests("/bot4242:SECRET-TOKEN/sendMessage");
    ASSERT_EQ(seen.size(), 1u) << r.err;
    const auto body = boost::json::parse(seen[0].body()).as_object();
    EXPECT_EQ(body.at("chat_id"), "@newsroom");
    EXPECT_EQ(body.at("parse_mode"), "HTML");
    const std::string text(body.at("text").as_string());
    // The title links to the story; its @everyone pings no one; markup in it (if the feed's
    // title kept any after HTML-to-text) arrives escaped.
    EXPECT_NE(text.find("<a href=\"https://news.example/m-1\">NATO ministers @\u200Beveryone discuss "),
              std::string::npos)
        << text;
    EXPECT_EQ(text.find("<b>Ukraine"), std::string::npos) << text;
    EXPECT_NE(text.find("<b>Watch:</b> nato"), std::string::npos) << text;
    EXPECT_NE(text.find("Ministers met in Brussels."), std::string::npos) << text;
    EXPECT_EQ(text.find("Cup final"), std::string::npos);
    EXPECT_EQ(r.err.find("SECRET"), std::string::npos) << r.err;
    EXPECT_EQ(r.out.find("SECRET"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace newswatch::testing
