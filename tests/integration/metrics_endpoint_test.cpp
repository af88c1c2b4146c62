// The metrics endpoint of the running daemon: after a round against a loopback feed,
// /metrics passes `promtool check metrics` and its counters have moved; /healthz and
// /readyz answer. Also: a log_level change on SIGHUP applies, or is reported as not applied.
#include <gtest/gtest.h>

#include <signal.h>

#include <regex>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "daemon_fixture.hpp"
#include "http_test_server.hpp"
#include "metrics_scrape.hpp"

namespace newswatch::testing {
namespace {

using namespace std::chrono_literals;
namespace http = boost::beast::http;

TEST(metrics_endpoint, scrape_after_a_round_passes_promtool_and_counters_moved) {
    temp_dir dir;
    http_test_server server;
    const auto now = std::chrono::system_clock::now();
    server.serve_feed("/feed.xml",
                      rss_document("Wire", {{"a", "NATO and Ukraine meet", "https://n/a", "x", now - 1h},
                                            {"b", "Weather", "https://n/b", "y", now - 2h}}));
    write_file(dir.path() / "c.toml",
               "[daemon]\nstate_dir = \"state\"\ninterval = \"1s\"\nmin_interval = \"1s\"\njitter = 0.0\n"
               "metrics = \"127.0.0.1:0\"\ndefault_sinks = [\"out\"]\n"
               "[[feed]]\nurl = \"" +
                   server.url("/feed.xml") +
                   "\"\n"
                   "[[watch]]\nname = \"nu\"\nquery = 'NATO AND Ukraine'\n"
                   "[[sink]]\nname = \"out\"\ntype = \"file\"\npath = \"out.jsonl\"\n");
    running_daemon daemon(dir.path() / "c.toml", dir.path() / "daemon.log");
    auto log = [&] { return log_of(dir.path() / "daemon.log"); };
    ASSERT_TRUE(eventually([&] { return !bound_address(log()).first.empty(); })) << log();
    const auto [host, port] = bound_address(log());

    // A round: the alert is delivered and the feed has been polled again (a 304).
    ASSERT_TRUE(eventually([&] { return read_json_lines(dir.path() / "out.jsonl").size() == 1; })) << log();
    ASSERT_TRUE(eventually([&] { return server.hits("/feed.xml") >= 2; })) << log();
    std::string text;
    ASSERT_TRUE(eventually([&] {
        text = http_get(host, port, "/metrics").body;
        return sample(text, "newswatch_fetch_responses_total{class=\"304\"}") >= 1 &&
               sample(text, "newswatch_alerts_delivered_total{sink=\"out\"}") == 1;
    })) << text;

    const scrape metrics = http_get(host, port, "/metrics");
    EXPECT_EQ(metrics.status, 200u);
    EXPECT_EQ(metrics.content_type, "text/plain; version=0.0.4; charset=utf-8");
    EXPECT_EQ(promtool_problems(metrics.body, dir.path() / "metrics.txt"), "") << metrics.body;
    const std::string& m = metrics.body;
    EXPECT_GE(sample(m, "newswatch_fetch_responses_total{class=\"2xx\"}"), 1);
    EXPECT_GE(sample(m, "newswatch_fetch_duration_seconds_count"), 2);
    EXPECT_GT(sample(m, "newswatch_fetched_bytes_total"), 100);
    EXPECT_EQ(sample(m, "newswatch_items_parsed_total"), 2);
    EXPECT_EQ(sample(m, "newswatch_items_new_total"), 2);
    EXPECT_EQ(sample(m, "newswatch_items_too_old_total"), 0);
    EXPECT_EQ(sample(m, "newswatch_watch_matches_total{watch=\"nu\"}"), 1);
    EXPECT_EQ(sample(m, "newswatch_alerts_recorded_total{sink=\"out\"}"), 1);
    EXPECT_EQ(sample(m, "newswatch_alerts_retried_total{sink=\"out\"}"), 0);
    EXPECT_EQ(sample(m, "newswatch_outbox_depth"), 0);
    EXPECT_EQ(sample(m, "newswatch_feeds{state=\"ok\"}"), 1);
    EXPECT_EQ(sample(m, "newswatch_feeds{state=\"failing\"}"), 0);
    EXPECT_GT(sample(m, "newswatch_process_resident_memory_bytes"), 1e6);
    EXPECT_GT(sample(m, "newswatch_process_open_fds"), 3);
    EXPECT_GE(sample(m, "newswatch_event_loop_lag_seconds"), 0);
    EXPECT_GE(sample(m, "newswatch_worker_backlog"), 0);

    const scrape health = http_get(host, port, "/healthz");
    EXPECT_EQ(health.status, 200u);
    EXPECT_EQ(health.body, "ok\n");
    const scrape ready = http_get(host, port, "/readyz");
    EXPECT_EQ(ready.status, 200u);
    EXPECT_EQ(ready.body, "ready\n");
    EXPECT_EQ(http_get(host, port, "/nothing").status, 404u);
    EXPECT_EQ(daemon.terminate(), 0);
}

TEST(metrics_endpoint, a_port_in_use_is_logged_and_the_daemon_runs_on) {
    temp_dir dir;
    http_test_server taken;  // holds a port on 127.0.0.1
    write_file(dir.path() / "c.toml", "[daemon]\nstate_dir = \"state\"\nmetrics = \"127.0.0.1:" +
                                          std::to_string(taken.port()) + "\"\n");
    running_daemon daemon(dir.path() / "c.toml", dir.path() / "daemon.log");
    ASSERT_TRUE(eventually([&] {
        return log_of(dir.path() / "daemon.log").find("metrics endpoint off") != std::string::npos;
    })) << log_of(dir.path() / "daemon.log");
    EXPECT_EQ(daemon.terminate(), 0);
}

TEST(metrics_endpoint, a_bad_address_is_a_config_error_for_daemon_and_check) {
    temp_dir dir;
    write_file(dir.path() / "c.toml", "[daemon]\nstate_dir = \"state\"\nmetrics = \"localhost:9464\"\n");
    const auto daemon = run_daemon("--once --config " + quote(dir.path() / "c.toml"));
    EXPECT_EQ(daemon.exit_code, 2) << daemon.err;
    EXPECT_NE(daemon.err.find("[daemon] metrics"), std::string::npos) << daemon.err;
    const auto check = run_tool("check --config " + quote(dir.path() / "c.toml"));
    EXPECT_EQ(check.exit_code, 2) << check.err;
}

const char* const quiet_config = "[daemon]\nstate_dir = \"state\"\nmetrics = \"\"\nlog_level = \"info\"\n";

TEST(reload, a_log_level_change_applies_on_sighup) {
    temp_dir dir;
    write_file(dir.path() / "c.toml", quiet_config);
    running_daemon daemon(dir.path() / "c.toml", dir.path() / "daemon.log", {});
    auto log = [&] { return log_of(dir.path() / "daemon.log"); };
    ASSERT_TRUE(eventually([&] { return log().find("starting") != std::string::npos; })) << log();
    write_file(dir.path() / "c.toml",
               "[daemon]\nstate_dir = \"state\"\nmetrics = \"\"\nlog_level = \"debug\"\n");
    daemon.signal(SIGHUP);
    ASSERT_TRUE(eventually([&] {
        return log().find("reload: log_level debug applied (was info)") != std::string::npos;
    })) << log();
    // Debug lines now come out: the housekeeping pass and the next reload log at debug.
    write_file(dir.path() / "c.toml",
               "[daemon]\nstate_dir = \"state\"\nmetrics = \"\"\nlog_level = \"warn\"\n");
    daemon.signal(SIGHUP);
    ASSERT_TRUE(eventually([&] {
        return log().find("reload: log_level warn applied (was debug)") != std::string::npos;
    })) << log();
    EXPECT_EQ(daemon.terminate(), 0);
    // At warn, the info line of the stop is not written.
    EXPECT_EQ(log().find("newswatchd stopped"), std::string::npos) << log();
}

TEST(reload, a_log_level_change_is_reported_as_not_applied_under_log_level_flag) {
    temp_dir dir;
    write_file(dir.path() / "c.toml", quiet_config);
    running_daemon daemon(dir.path() / "c.toml", dir.path() / "daemon.log", {"--log-level", "info"});
    auto log = [&] { return log_of(dir.path() / "daemon.log"); };
    ASSERT_TRUE(eventually([&] { return log().find("starting") != std::string::npos; })) << log();
    write_file(dir.path() / "c.toml",
               "[daemon]\nstate_dir = \"state\"\nmetrics = \"\"\nlog_level = \"error\"\n");
    daemon.signal(SIGHUP);
    ASSERT_TRUE(eventually([&] {
        return log().find(
                   "log_level \"error\" not applied: --log-level info given on the command line wins") !=
               std::string::npos;
    })) << log();
    EXPECT_EQ(daemon.terminate(), 0);
    EXPECT_NE(log().find("newswatchd stopped"), std::string::npos) << log();  // still at info
}

}  // namespace
}  // namespace newswatch::testing
