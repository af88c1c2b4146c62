// `newswatch alerts` (issue #11 item 5) over the state database of real newswatchd runs.
#include <gtest/gtest.h>

#include "daemon_fixture.hpp"
#include "http_test_server.hpp"

namespace newswatch::testing {
namespace {

using namespace std::chrono_literals;
namespace json = boost::json;

class alerts_command : public ::testing::Test {
protected:
    alerts_command() {
        const auto now = std::chrono::system_clock::now();
        server.serve_feed(
            "/feed.xml", rss_document("Wire", {{"a-1", "NATO and Ukraine sign a pact",
                                                "https://news.example/a-1", "NATO Ukraine", now - 1h},
                                               {"a-2", "Weather", "https://news.example/a-2", "Rain tomorrow",
                                                now - 1h}}));
        write_file(config(),
                   "[daemon]\nstate_dir = \"state\"\nonce_timeout = \"1s\"\n"
                   "[[feed]]\nurl = \"" +
                       server.url("/feed.xml") +
                       "\"\n"
                       "[[watch]]\nname = \"nu\"\nquery = 'NATO AND Ukraine'\nsinks = [\"out\"]\n"
                       "[[sink]]\nname = \"out\"\ntype = \"file\"\npath = \"out.jsonl\"\n");
    }
    std::filesystem::path config() const { return dir.path() / "newswatch.toml"; }
    command_result once() { return run_daemon("--config " + quote(config()) + " --once"); }
    command_result alerts(const std::string& arguments) {
        return run_tool("alerts " + arguments + " --config " + quote(config()));
    }
    std::vector<json::object> list_json(const std::string& filter) {
        const auto r = alerts("list --json " + filter);
        EXPECT_EQ(r.exit_code, 0) << r.err;
        std::vector<json::object> out;
        std::istringstream lines(r.out);
        for (std::string line; std::getline(lines, line);) out.push_back(json::parse(line).as_object());
        return out;
    }

    temp_dir dir;
    http_test_server server;
};

TEST_F(alerts_command, lists_shows_retries_and_replays_alerts) {
    // The sink's path is a directory: the delivery fails and stays pending.
    std::filesystem::create_directories(dir.path() / "out.jsonl");
    ASSERT_EQ(once().exit_code, 1);

    auto pending = list_json("--state pending");
    ASSERT_EQ(pending.size(), 1u);
    const std::string id(pending[0].at("id").as_string());
    EXPECT_EQ(pending[0].at("watch").as_string(), "nu");
    EXPECT_EQ(pending[0].at("sink").as_string(), "out");
    EXPECT_EQ(pending[0].at("title").as_string(), "NATO and Ukraine sign a pact");
    EXPECT_GE(pending[0].at("attempts").as_int64(), 1);
    EXPECT_TRUE(list_json("--state delivered").empty());
    EXPECT_TRUE(list_json("--watch other").empty());

    const auto shown = alerts("show " + id);
    ASSERT_EQ(shown.exit_code, 0) << shown.err;
    EXPECT_NE(shown.out.find("sink out: pending"), std::string::npos) << shown.out;
    EXPECT_NE(shown.out.find("retry"), std::string::npos) << shown.out;
    EXPECT_NE(shown.out.find("cannot open"), std::string::npos) << shown.out;  // what the sink said

    std::filesystem::remove_all(dir.path() / "out.jsonl");
    const auto retried = alerts("retry " + id);
    ASSERT_EQ(retried.exit_code, 0) << retried.err;
    ASSERT_EQ(once().exit_code, 0);
    auto lines = read_json_lines(dir.path() / "out.jsonl");
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0].at("id").as_string(), id);
    ASSERT_EQ(list_json("--state delivered").size(), 1u);

    const auto shown_json = alerts("show " + id + " --json");
    ASSERT_EQ(shown_json.exit_code, 0) << shown_json.err;
    const auto detail = json::parse(shown_json.out).as_object();
    EXPECT_EQ(detail.at("alert").at("item").at("id").as_string(), "a-1");
    EXPECT_EQ(detail.at("deliveries").as_array()[0].at("state").as_string(), "delivered");

    // Replay: the same alert, the same id, once more.
    const auto replayed = alerts("replay --since 1h --sink out");
    ASSERT_EQ(replayed.exit_code, 0) << replayed.err;
    EXPECT_NE(replayed.out.find("1 alert queued"), std::string::npos) << replayed.out;
    ASSERT_EQ(once().exit_code, 0);
    lines = read_json_lines(dir.path() / "out.jsonl");
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[1].at("id").as_string(), id);
}

TEST_F(alerts_command, a_running_daemon_delivers_a_retried_alert_without_waiting_for_its_backoff) {
    // A failing sink with an hour between retries: only `alerts retry` brings it back soon.
    write_file(config(),
               "[daemon]\nstate_dir = \"state\"\ninterval = \"1h\"\n"
               "[[feed]]\nurl = \"" +
                   server.url("/feed.xml") +
                   "\"\n"
                   "[[watch]]\nname = \"nu\"\nquery = 'NATO AND Ukraine'\nsinks = [\"out\"]\n"
                   "[[sink]]\nname = \"out\"\ntype = \"file\"\npath = \"out.jsonl\"\n"
                   "retry_initial = \"1h\"\nretry_max = \"1h\"\n");
    std::filesystem::create_directories(dir.path() / "out.jsonl");
    running_daemon daemon(config(), dir.path() / "daemon.log");
    const auto db = dir.path() / "state" / "state.db";
    ASSERT_TRUE(eventually([&] { return count_rows(db, "delivery_attempts") > 0; }, std::chrono::seconds(60)))
        << read_file(dir.path() / "daemon.log");
    auto pending = list_json("--state pending");
    ASSERT_EQ(pending.size(), 1u);
    std::filesystem::remove_all(dir.path() / "out.jsonl");
    const auto retried = alerts("retry " + std::string(pending[0].at("id").as_string()));
    ASSERT_EQ(retried.exit_code, 0) << retried.err;
    EXPECT_TRUE(eventually([&] { return read_json_lines(dir.path() / "out.jsonl").size() == 1; },
                           std::chrono::seconds(60)))
        << read_file(dir.path() / "daemon.log");
    EXPECT_EQ(daemon.terminate(), 0);
}

TEST_F(alerts_command, refuses_what_it_cannot_do_with_clear_errors) {
    ASSERT_EQ(once().exit_code, 0);
    EXPECT_EQ(alerts("show 0123456789abcdef").exit_code, 1);
    EXPECT_EQ(alerts("list --state lost").exit_code, 2);
    EXPECT_EQ(alerts("list --since yesterday-ish").exit_code, 2);
    EXPECT_EQ(alerts("replay --since 1h").exit_code, 2);                    // --sink missing
    EXPECT_EQ(alerts("replay --since 1h --sink nosuchsink").exit_code, 2);  // not configured
    const auto r = alerts("retry 0123456789abcdef");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("no undelivered delivery"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace newswatch::testing
