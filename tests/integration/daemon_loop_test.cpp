// The running daemon (no --once): polls at its interval, alerts on new items, reports
// feed health, and ends cleanly with exit 0 on SIGTERM.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include "daemon_fixture.hpp"
#include "http_test_server.hpp"

namespace newswatch::testing {
namespace {

using namespace std::chrono_literals;

TEST(daemon_loop, polls_again_alerts_on_new_items_and_stops_cleanly_on_sigterm) {
    temp_dir dir;
    http_test_server server;
    const auto now = std::chrono::system_clock::now();
    server.serve_feed("/feed.xml", rss_document("Wire", {{"a", "NATO and Ukraine meet", "https://n/a", "x", now - 1h}}));
    server.serve_feed("/gone.xml", "", "application/rss+xml", "", "");
    server.on("/gone.xml", [](const http_request&) { return http_test_server::make_response(410, "gone"); });
    write_file(dir.path() / "c.toml",
               "[daemon]\nstate_dir = \"state\"\ninterval = \"1s\"\nmin_interval = \"1s\"\njitter = 0.0\n"
               "default_sinks = [\"out\"]\n"
               "[[feed]]\nurl = \"" + server.url("/feed.xml") + "\"\n"
               "[[feed]]\nurl = \"" + server.url("/gone.xml") + "\"\n"
               "[[watch]]\nname = \"nu\"\nquery = 'NATO AND Ukraine'\n"
               "[[sink]]\nname = \"out\"\ntype = \"file\"\npath = \"out.jsonl\"\n");
    running_daemon daemon(dir.path() / "c.toml", dir.path() / "daemon.log");
    const auto out = dir.path() / "out.jsonl";
    auto count = [&](const std::string& type) {
        int n = 0;
        for (const auto& o : read_json_lines(out))
            if (o.at("type").as_string() == type) ++n;
        return n;
    };
    ASSERT_TRUE(eventually([&] { return count("alert") == 1; })) << read_file(dir.path() / "daemon.log");
    // The 410 feed is retired: one feed_health event, and no further requests.
    ASSERT_TRUE(eventually([&] { return count("feed_health") == 1; })) << read_file(dir.path() / "daemon.log");
    server.serve_feed("/feed.xml", rss_document("Wire", {{"a", "NATO and Ukraine meet", "https://n/a", "x", now - 1h},
                                                          {"b", "NATO sends jets to Ukraine", "https://n/b", "x", now}}),
                      "application/rss+xml", "\"v2\"", "");
    ASSERT_TRUE(eventually([&] { return count("alert") == 2; })) << read_file(dir.path() / "daemon.log");
    const int polls = server.hits("/feed.xml");
    EXPECT_GE(polls, 2);
    EXPECT_EQ(server.hits("/gone.xml"), 1);
    EXPECT_EQ(daemon.terminate(), 0);
    const std::string log = read_file(dir.path() / "daemon.log");
    EXPECT_NE(log.find("stopped"), std::string::npos) << log;
    for (const auto& o : read_json_lines(out)) {
        if (o.at("type").as_string() == "feed_health") {
            EXPECT_EQ(o.at("state").as_string(), "retired");
        }
    }
}

TEST(daemon_loop, sighup_reloads_a_good_config_and_keeps_the_running_one_when_the_new_one_is_bad) {
    temp_dir dir;
    http_test_server server;
    const auto now = std::chrono::system_clock::now();
    server.serve_feed("/feed.xml", rss_document("Wire", {{"a", "NATO and Ukraine meet", "https://n/a", "x", now - 1h}}));
    const std::string base = "[daemon]\nstate_dir = \"state\"\ninterval = \"1s\"\nmin_interval = \"1s\"\n"
                             "default_sinks = [\"out\"]\n[[feed]]\nurl = \"" + server.url("/feed.xml") + "\"\n"
                             "[[sink]]\nname = \"out\"\ntype = \"file\"\npath = \"out.jsonl\"\n"
                             "[[watch]]\nname = \"nu\"\nquery = 'NATO AND Ukraine'\n";
    write_file(dir.path() / "c.toml", base);
    running_daemon daemon(dir.path() / "c.toml", dir.path() / "daemon.log");
    const auto out = dir.path() / "out.jsonl";
    auto alerts_for = [&](const std::string& watch) {
        int n = 0;
        for (const auto& o : read_json_lines(out))
            if (o.at("watch").as_string() == watch) ++n;
        return n;
    };
    ASSERT_TRUE(eventually([&] { return alerts_for("nu") == 1; })) << read_file(dir.path() / "daemon.log");

    write_file(dir.path() / "c.toml", base + "[[watch]]\nname = 'broken'\nquery = 'NATO AND ('\n");
    daemon.signal(SIGHUP);
    ASSERT_TRUE(eventually([&] { return read_file(dir.path() / "daemon.log").find("reload failed") != std::string::npos; }));

    write_file(dir.path() / "c.toml", base + "[[watch]]\nname = \"jets\"\nquery = 'jets'\n");
    daemon.signal(SIGHUP);
    ASSERT_TRUE(eventually([&] { return read_file(dir.path() / "daemon.log").find("reload: 1 feeds, 2 watches") != std::string::npos; }))
        << read_file(dir.path() / "daemon.log");
    server.serve_feed("/feed.xml", rss_document("Wire", {{"a", "NATO and Ukraine meet", "https://n/a", "x", now - 1h},
                                                          {"b", "NATO sends jets to Ukraine", "https://n/b", "x", now}}),
                      "application/rss+xml", "\"v2\"", "");
    ASSERT_TRUE(eventually([&] { return alerts_for("jets") == 1 && alerts_for("nu") == 2; }))
        << read_file(dir.path() / "daemon.log");
    EXPECT_EQ(daemon.terminate(), 0);
}

TEST(daemon_loop, feeds_reset_while_the_daemon_runs_resumes_a_retired_feed_without_a_restart) {
    temp_dir dir;
    http_test_server server;
    const auto now = std::chrono::system_clock::now();
    server.serve_feed("/moved.xml", "", "application/rss+xml", "", "");
    server.on("/moved.xml", [](const http_request&) { return http_test_server::make_response(410, "gone"); });
    write_file(dir.path() / "c.toml",
               "[daemon]\nstate_dir = \"state\"\ninterval = \"1s\"\nmin_interval = \"1s\"\njitter = 0.0\n"
               "default_sinks = [\"out\"]\n"
               "[[feed]]\nurl = \"" + server.url("/moved.xml") + "\"\n"
               "[[watch]]\nname = \"nu\"\nquery = 'NATO AND Ukraine'\n"
               "[[sink]]\nname = \"out\"\ntype = \"file\"\npath = \"out.jsonl\"\n");
    running_daemon daemon(dir.path() / "c.toml", dir.path() / "daemon.log");
    const auto log = [&] {
        return std::filesystem::exists(dir.path() / "daemon.log") ? read_file(dir.path() / "daemon.log") : std::string();
    };
    ASSERT_TRUE(eventually([&] { return log().find("retired") != std::string::npos; })) << log();
    std::this_thread::sleep_for(1500ms);  // a retired feed is not polled again...
    EXPECT_EQ(server.hits("/moved.xml"), 1);

    // ...until the operator resets it; the running daemon notices without a reload.
    server.serve_feed("/moved.xml", rss_document("Wire", {{"a", "NATO and Ukraine meet", "https://n/a", "x", now}}));
    const auto reset = run_tool("feeds reset --config " + quote(dir.path() / "c.toml") + " " + server.url("/moved.xml"));
    ASSERT_EQ(reset.exit_code, 0) << reset.err;
    EXPECT_NE(reset.out.find("polls it within 5 s"), std::string::npos) << reset.out;
    const auto alerts = [&] {
        std::vector<boost::json::object> found;
        for (auto& o : read_json_lines(dir.path() / "out.jsonl"))
            if (o.at("type").as_string() == "alert") found.push_back(std::move(o));
        return found;
    };
    ASSERT_TRUE(eventually([&] { return alerts().size() == 1; }, 12s)) << log();
    EXPECT_EQ(alerts()[0].at("watch").as_string(), "nu");
    EXPECT_GE(server.hits("/moved.xml"), 2);
    EXPECT_EQ(daemon.terminate(), 0);
}

}  // namespace
}  // namespace newswatch::testing
