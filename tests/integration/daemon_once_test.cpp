// Issue #2 end to end: newswatchd --once against a real HTTP server on 127.0.0.1.
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <thread>

#include "daemon_fixture.hpp"
#include "http_test_server.hpp"
#include "newswatch/core/sha256.hpp"

namespace newswatch::testing {
namespace {

using namespace std::chrono_literals;
namespace json = boost::json;

const auto now = std::chrono::system_clock::now();

std::vector<rss_item> unrelated_items() {
    return {
        {"sport-1", "Local football club wins the cup", "https://news.example/sport-1",
         "Fans celebrated late into the night after the final whistle.", now - 2h},
        {"culture-1", "Ukrainian singer wins song contest", "https://news.example/culture-1",
         "The Ukrainian performer thanked her fans in Kyiv.", now - 3h},
        {"venue-1", "NATO summit venue announced", "https://news.example/venue-1",
         "Organisers named the conference centre that will host the alliance's leaders.", now - 4h},
        {"weather-1", "Storms expected over the weekend", "https://news.example/weather-1",
         "Forecasters warn of heavy rain and strong winds.", now - 1h},
    };
}

class daemon_once : public ::testing::Test {
protected:
    void write_config(const std::string& extra_daemon = "", const std::string& feeds_override = "") {
        const std::string feeds =
            feeds_override.empty() ? "[[feed]]\nurl = \"" + server.url("/feed.xml") + "\"\n" : feeds_override;
        write_file(dir.path() / "newswatch.toml",
                   "[daemon]\n"
                   "state_dir = \"state\"\n" +
                       extra_daemon + "\n" + feeds +
                       "\n[[watch]]\n"
                       "name = \"nato-ukraine\"\n"
                       "query = '(NATO OR \"North Atlantic\") AND Ukraine'\n"
                       "sinks = [\"alerts\"]\n"
                       "\n[[sink]]\n"
                       "name = \"alerts\"\n"
                       "type = \"file\"\n"
                       "path = \"alerts.jsonl\"\n");
    }
    command_result run_once() {
        return run_daemon("--config " + quote(dir.path() / "newswatch.toml") + " --once --log-level debug");
    }
    std::vector<json::object> alerts() { return read_json_lines(dir.path() / "alerts.jsonl"); }

    temp_dir dir;
    http_test_server server;
};

std::string seed_article_text(const std::filesystem::path& shared) {
    return read_file(shared / "data" / "seed-article.txt");
}

TEST_F(daemon_once, seed_article_alerts_exactly_once_with_the_alert_json_contract) {
    NEWSWATCH_REQUIRE_SHARED(shared);
    auto items = unrelated_items();
    const auto published = std::chrono::time_point_cast<std::chrono::seconds>(now - 30min);
    items.insert(items.begin() + 2,
                 rss_item{"seed-1", "Rutte urges more support ahead of possible negotiations",
                          "https://news.example/seed-1", seed_article_text(shared), published});
    server.serve_feed("/feed.xml", rss_document("World News", items));
    write_config();

    const auto first = run_once();
    ASSERT_EQ(first.exit_code, 0) << first.err;
    auto lines = alerts();
    ASSERT_EQ(lines.size(), 1u) << first.err;
    const json::object& a = lines[0];
    EXPECT_EQ(a.at("type").as_string(), "alert");
    const std::string feed_url = server.url("/feed.xml");
    EXPECT_EQ(a.at("id").as_string(),
              core::sha256_hex("nato-ukraine\n" + feed_url + "\nseed-1").substr(0, 32));
    EXPECT_EQ(a.at("watch").as_string(), "nato-ukraine");
    EXPECT_EQ(a.at("feed").at("url").as_string(), feed_url);
    EXPECT_EQ(a.at("feed").at("title").as_string(), "World News");
    EXPECT_EQ(a.at("item").at("id").as_string(), "seed-1");
    EXPECT_EQ(a.at("item").at("title").as_string(),
              "Rutte urges more support ahead of possible negotiations");
    EXPECT_EQ(a.at("item").at("link").as_string(), "https://news.example/seed-1");
    const std::time_t pt = std::chrono::system_clock::to_time_t(published);
    std::tm tm{};
    gmtime_r(&pt, &tm);
    char expected_published[32];
    std::strftime(expected_published, sizeof expected_published, "%Y-%m-%dT%H:%M:%SZ", &tm);
    EXPECT_EQ(a.at("item").at("published").as_string(), expected_published);
    std::vector<std::string> matched;
    for (const auto& m : a.at("matched").as_array()) matched.emplace_back(m.as_string());
    EXPECT_NE(std::find(matched.begin(), matched.end(), "NATO"), matched.end());
    EXPECT_NE(std::find(matched.begin(), matched.end(), "Ukraine"), matched.end());
    ASSERT_FALSE(a.at("hits").as_array().empty());
    for (const auto& h : a.at("hits").as_array()) {
        const auto& hit = h.as_object();
        EXPECT_TRUE(hit.at("pattern").is_string());
        EXPECT_TRUE(hit.at("text").is_string());
        EXPECT_TRUE(hit.at("field").as_string() == "title" || hit.at("field").as_string() == "summary" ||
                    hit.at("field").as_string() == "content");
        EXPECT_TRUE(hit.at("offset").is_int64() || hit.at("offset").is_uint64());
    }
    EXPECT_TRUE(std::regex_match(std::string(a.at("detected_at").as_string()),
                                 std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")));

    // A restart alerts nothing, and the second request was conditional and got a 304.
    const auto second = run_once();
    ASSERT_EQ(second.exit_code, 0) << second.err;
    EXPECT_EQ(alerts().size(), 1u);
    const auto requests = server.requests("/feed.xml");
    ASSERT_EQ(requests.size(), 2u);
    const bool conditional =
        !requests[1]["If-None-Match"].empty() || !requests[1]["If-Modified-Since"].empty();
    EXPECT_TRUE(conditional);
    EXPECT_NE(second.err.find("not_modified"), std::string::npos) << second.err;
}

TEST_F(daemon_once, hits_point_into_the_plain_text_of_their_field) {
    server.serve_feed(
        "/feed.xml",
        rss_document("Wire", {{"x-1", "Allies meet", "https://news.example/x-1",
                               "<p>The <b>NATO</b> allies met in Brussels to discuss Ukraine&#8217;s "
                               "air defence.</p>",
                               now - 10min}}));
    write_config();
    const auto r = run_once();
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto lines = alerts();
    ASSERT_EQ(lines.size(), 1u) << r.err;
    bool saw_nato = false;
    for (const auto& h : lines[0].at("hits").as_array()) {
        const auto& hit = h.as_object();
        if (hit.at("pattern").as_string() == "NATO") {
            saw_nato = true;
            EXPECT_EQ(hit.at("field").as_string(), "summary");
            EXPECT_EQ(hit.at("text").as_string(), "NATO");
            EXPECT_EQ(hit.at("offset").to_number<std::int64_t>(), 4);  // "The NATO allies..."
        }
    }
    EXPECT_TRUE(saw_nato);
}

TEST_F(daemon_once, items_older_than_max_item_age_never_alert_but_are_remembered) {
    server.serve_feed("/feed.xml",
                      rss_document("Wire", {{"old-1", "NATO ministers discuss Ukraine aid",
                                             "https://news.example/old-1", "NATO and Ukraine", now - 96h},
                                            {"new-1", "NATO and Ukraine sign a new deal",
                                             "https://news.example/new-1", "NATO and Ukraine", now - 1h}}));
    write_config("max_item_age = \"48h\"\n");
    const auto r = run_once();
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto lines = alerts();
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0].at("item").at("id").as_string(), "new-1");
    // With a longer max_item_age the remembered old item still never alerts.
    write_config("max_item_age = \"30d\"\n");
    server.serve_feed("/feed.xml",
                      rss_document("Wire", {{"old-1", "NATO ministers discuss Ukraine aid",
                                             "https://news.example/old-1", "NATO and Ukraine", now - 96h},
                                            {"new-1", "NATO and Ukraine sign a new deal",
                                             "https://news.example/new-1", "NATO and Ukraine", now - 1h}}),
                      "application/rss+xml", "\"v2\"", "");
    ASSERT_EQ(run_once().exit_code, 0);
    EXPECT_EQ(alerts().size(), 1u);
}

TEST_F(daemon_once, undated_items_count_as_new) {
    rss_item undated{"u-1", "NATO pledges help for Ukraine", "https://news.example/u-1", "Details.", now};
    undated.has_date = false;
    server.serve_feed("/feed.xml", rss_document("Wire", {undated}));
    write_config();
    ASSERT_EQ(run_once().exit_code, 0);
    ASSERT_EQ(alerts().size(), 1u);
    EXPECT_TRUE(alerts()[0].at("item").at("published").is_null());
}

TEST_F(daemon_once, mark_seen_on_first_fetch_suppresses_the_backlog_but_not_later_items) {
    server.serve_feed("/feed.xml",
                      rss_document("Wire", {{"b-1", "NATO backs Ukraine", "https://news.example/b-1",
                                             "NATO Ukraine", now - 1h}}));
    write_config("on_first_fetch = \"mark_seen\"\n");
    ASSERT_EQ(run_once().exit_code, 0);
    EXPECT_TRUE(alerts().empty());
    server.serve_feed("/feed.xml",
                      rss_document("Wire", {{"b-1", "NATO backs Ukraine", "https://news.example/b-1",
                                             "NATO Ukraine", now - 1h},
                                            {"b-2", "NATO sends more air defence to Ukraine",
                                             "https://news.example/b-2", "NATO Ukraine", now - 5min}}),
                      "application/rss+xml", "\"v2\"", "");
    ASSERT_EQ(run_once().exit_code, 0);
    ASSERT_EQ(alerts().size(), 1u);
    EXPECT_EQ(alerts()[0].at("item").at("id").as_string(), "b-2");
}

TEST_F(daemon_once, an_undelivered_alert_is_delivered_by_the_next_run) {
    server.serve_feed("/feed.xml",
                      rss_document("Wire", {{"p-1", "NATO to Ukraine: more aid", "https://news.example/p-1",
                                             "NATO Ukraine", now - 1h}}));
    // The sink's path is a directory: delivery fails, the alert must stay in the outbox,
    // and the run says so with exit 1 once its retries (once_timeout) are used up.
    std::filesystem::create_directories(dir.path() / "alerts.jsonl");
    write_config("once_timeout = \"2s\"\n");
    const auto first = run_once();
    ASSERT_EQ(first.exit_code, 1) << first.err;
    EXPECT_NE(first.err.find("delivery failed"), std::string::npos) << first.err;
    EXPECT_NE(first.err.find("still pending"), std::string::npos) << first.err;
    std::filesystem::remove_all(dir.path() / "alerts.jsonl");
    const auto second = run_once();
    ASSERT_EQ(second.exit_code, 0) << second.err;
    auto lines = alerts();
    ASSERT_EQ(lines.size(), 1u) << second.err;
    EXPECT_EQ(lines[0].at("item").at("id").as_string(), "p-1");
}

TEST_F(daemon_once, a_failed_delivery_is_retried_within_the_run_and_the_run_exits_0) {
    server.serve_feed("/feed.xml",
                      rss_document("Wire", {{"r-1", "NATO to Ukraine: more aid", "https://news.example/r-1",
                                             "NATO Ukraine", now - 1h}}));
    std::filesystem::create_directories(dir.path() / "alerts.jsonl");  // the first attempt fails
    write_config("once_timeout = \"120s\"\n");
    // The sink recovers once the first failure is on record.
    std::thread healer([&] {
        const auto db = dir.path() / "state" / "state.db";
        eventually([&] { return count_rows(db, "delivery_attempts") > 0; }, std::chrono::seconds(120));
        std::filesystem::remove_all(dir.path() / "alerts.jsonl");
    });
    const auto r = run_once();
    healer.join();
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("delivery failed"), std::string::npos) << r.err;
    ASSERT_EQ(alerts().size(), 1u) << r.err;
}

TEST_F(daemon_once, a_run_where_no_feed_could_be_fetched_exits_1) {
    write_config("", "[[feed]]\nurl = \"" + server.url("/missing.xml") +
                         "\"\n[[feed]]\nurl = \"http://127.0.0.1:1/closed.xml\"\n");
    const auto r = run_once();
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("none of the 2 feeds could be fetched"), std::string::npos) << r.err;
}

TEST_F(daemon_once, an_unreachable_feed_fails_alone) {
    server.serve_feed("/feed.xml",
                      rss_document("Wire", {{"ok-1", "NATO and Ukraine agree", "https://news.example/ok-1",
                                             "NATO Ukraine", now - 1h}}));
    write_config("", "[[feed]]\nurl = \"" + server.url("/feed.xml") + "\"\n[[feed]]\nurl = \"" +
                         server.url("/missing.xml") +
                         "\"\n[[feed]]\nurl = \"http://127.0.0.1:1/closed.xml\"\n");
    const auto r = run_once();
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(alerts().size(), 1u);
    EXPECT_NE(r.err.find("missing.xml"), std::string::npos);
    EXPECT_NE(r.err.find("127.0.0.1:1/closed.xml"), std::string::npos);
}

TEST_F(daemon_once, one_hundred_local_feeds_in_one_round) {
    std::string feeds;
    for (int i = 0; i < 100; ++i) {
        const std::string path = "/feed-" + std::to_string(i) + ".xml";
        std::vector<rss_item> items = unrelated_items();
        items.push_back({"match-" + std::to_string(i), "NATO and Ukraine, report " + std::to_string(i),
                         "https://news.example/m" + std::to_string(i), "NATO Ukraine", now - 20min});
        server.serve_feed(path, rss_document("Feed " + std::to_string(i), items));
        feeds += "[[feed]]\nurl = \"" + server.url(path) + "\"\n";
    }
    // 100 alerts of one watch: a storm by default; this test is about the round, not storms.
    write_config("storm_threshold = 0", feeds);
    const auto r = run_once();
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto lines = alerts();
    EXPECT_EQ(lines.size(), 100u);
    std::set<std::string> ids;
    for (const auto& a : lines) ids.insert(std::string(a.at("id").as_string()));
    EXPECT_EQ(ids.size(), 100u);
    for (int i = 0; i < 100; ++i) EXPECT_EQ(server.hits("/feed-" + std::to_string(i) + ".xml"), 1);
}

// --once runs at most max(512, 4 x max_connections) polls at a time and starts the next as
// one ends (feed_monitor::once_queue): every feed beyond the first window is still polled,
// once, and the round ends when the last one is done.
TEST_F(daemon_once, more_feeds_than_run_at_once_are_each_polled_once) {
    constexpr int count = 700;
    std::string feeds;
    for (int i = 0; i < count; ++i) {
        const std::string path = "/w-" + std::to_string(i) + ".xml";
        server.serve_feed(
            path,
            rss_document("Feed " + std::to_string(i),
                         {{"m-" + std::to_string(i), "NATO and Ukraine, report " + std::to_string(i),
                           "https://news.example/w" + std::to_string(i), "NATO Ukraine", now - 20min}}));
        feeds += "[[feed]]\nurl = \"" + server.url(path) + "\"\n";
    }
    write_config("storm_threshold = 0\nfeed_storm_threshold = 0\nmax_connections = 4", feeds);
    const auto r =
        run_daemon("--config " + quote(dir.path() / "newswatch.toml") + " --once --log-level warn");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::set<std::string> ids;
    for (const auto& a : alerts()) ids.insert(std::string(a.at("id").as_string()));
    EXPECT_EQ(ids.size(), static_cast<std::size_t>(count));
    int polled_once = 0;
    for (int i = 0; i < count; ++i) polled_once += server.hits("/w-" + std::to_string(i) + ".xml") == 1;
    EXPECT_EQ(polled_once, count);
}

// Issue #16: the file sink's group commit (64 lines per fdatasync and per outcome
// transaction by default) still delivers a burst exactly once with every outcome stored:
// the next run sends nothing again.
TEST_F(daemon_once, a_burst_of_alerts_reaches_the_file_sink_once_and_is_not_sent_again) {
    std::vector<rss_item> items;
    for (int i = 0; i < 700; ++i)
        items.push_back({"b-" + std::to_string(i), "NATO and Ukraine, report " + std::to_string(i),
                         "https://news.example/b" + std::to_string(i), "NATO Ukraine", now - 20min});
    server.serve_feed("/feed.xml", rss_document("Wire", items));
    write_config("storm_threshold = 0\nfeed_storm_threshold = 0");
    const auto first = run_once();
    ASSERT_EQ(first.exit_code, 0) << first.err;
    std::set<std::string> ids;
    for (const auto& a : alerts()) EXPECT_TRUE(ids.insert(std::string(a.at("id").as_string())).second);
    EXPECT_EQ(ids.size(), 700u);
    EXPECT_EQ(count_rows(dir.path() / "state" / "state.db", "outbox WHERE delivered_at IS NULL"), 0);
    const auto second = run_once();
    ASSERT_EQ(second.exit_code, 0) << second.err;
    EXPECT_EQ(alerts().size(), 700u);
}

// Pruning scans every seen item: a --once run prunes only when the last prune (kept in the
// meta table) is ten minutes old, like the daemon's housekeeping.
TEST_F(daemon_once, seen_items_are_pruned_at_most_every_ten_minutes) {
    const auto db = dir.path() / "state" / "state.db";
    auto items = unrelated_items();
    server.serve_feed("/feed.xml", rss_document("World News", items));
    write_config("seen_retention = \"1s\"");
    ASSERT_EQ(run_once().exit_code, 0);  // the first run prunes (nothing due yet) and says when
    ASSERT_EQ(count_rows(db, "seen_items"), 4);
    ASSERT_EQ(count_rows(db, "meta WHERE key='seen_pruned_at'"), 1);

    items.erase(items.begin());  // one item leaves the feed; past the 1 s retention it may go
    server.serve_feed("/feed.xml", rss_document("World News", items), "application/rss+xml", "\"v2\"",
                      "Tue, 02 Jan 2024 00:00:00 GMT");
    std::this_thread::sleep_for(2100ms);
    ASSERT_EQ(run_once().exit_code, 0);
    EXPECT_EQ(count_rows(db, "seen_items"), 4) << "pruned again within ten minutes";

    const auto backdate = run_command(
        "sqlite3 " + quote(db) + " \"UPDATE meta SET value = value - 601 WHERE key = 'seen_pruned_at'\"");
    ASSERT_EQ(backdate.exit_code, 0) << backdate.err;
    ASSERT_EQ(run_once().exit_code, 0);
    EXPECT_EQ(count_rows(db, "seen_items"), 3) << "the item that left the feed was not pruned";
}

TEST_F(daemon_once, claim_watches_alert_with_the_stance_of_the_article) {
    NEWSWATCH_REQUIRE_SHARED(shared);
    server.serve_feed(
        "/feed.xml", rss_document("World News",
                                  {{"seed-1", "Rutte urges more support ahead of possible negotiations",
                                    "https://news.example/seed-1", seed_article_text(shared), now - 30min}}));
    // One claim watch; `stance_line` narrows the stances that alert.
    const auto write_config = [&](const std::string& state_dir, const std::string& stance_line,
                                  const std::string& alerts_file) {
        write_file(dir.path() / "newswatch.toml",
                   "[daemon]\nstate_dir = \"" + state_dir +
                       "\"\n"
                       "[[feed]]\nurl = \"" +
                       server.url("/feed.xml") +
                       "\"\n"
                       "[[watch]]\nname = \"membership-claims\"\n"
                       "query = 'NATO AND Ukrain* AND (membership OR accession OR join*)'\n"
                       "claim = \"Ukraine will join NATO\"\n" +
                       stance_line +
                       "sinks = [\"alerts\"]\n"
                       "[[sink]]\nname = \"alerts\"\ntype = \"file\"\npath = \"" +
                       alerts_file + "\"\n");
    };
    write_config("state", "", "alerts.jsonl");
    const auto r = run_once();
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto lines = alerts();
    ASSERT_EQ(lines.size(), 1u) << r.err;
    const auto& stance = lines[0].at("stance").as_object();
    EXPECT_EQ(stance.at("claim").as_string(), "Ukraine will join NATO");
    const std::string label(stance.at("label").as_string());
    EXPECT_TRUE(label == "agree" || label == "disagree" || label == "discuss") << label;
    const double confidence = stance.at("confidence").to_number<double>();
    EXPECT_GT(confidence, 0.0);
    EXPECT_LE(confidence, 1.0);

    // A claim watch that only wants a stance this article does not take stays silent.
    write_config("state2", "stance = [\"unrelated\"]\n", "alerts2.jsonl");
    ASSERT_EQ(run_once().exit_code, 0);
    EXPECT_TRUE(read_json_lines(dir.path() / "alerts2.jsonl").empty());
}

TEST(daemon_cli, a_missing_stance_model_is_a_startup_error_naming_the_path) {
    temp_dir dir;
    write_file(dir.path() / "c.toml",
               "[stance]\nmodel = \"no-such-model.bin\"\n"
               "[[watch]]\nname = \"m\"\nquery = 'NATO'\nclaim = \"Ukraine will join NATO\"\n");
    const auto r = run_daemon("--config " + quote(dir.path() / "c.toml") + " --once --state-dir " +
                              quote(dir.path() / "s"));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("no-such-model.bin"), std::string::npos) << r.err;
}

TEST(daemon_cli, configuration_errors_exit_2_with_file_and_line) {
    temp_dir dir;
    write_file(dir.path() / "bad.toml", "[daemon]\nstate_dir = \"s\"\nbogus_key = 1\n");
    auto r = run_daemon("--config " + quote(dir.path() / "bad.toml") + " --once");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("bad.toml:3"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("bogus_key"), std::string::npos) << r.err;

    write_file(dir.path() / "query.toml", "[[watch]]\nname = \"broken\"\nquery = 'NATO AND (Ukraine'\n");
    r = run_daemon("--config " + quote(dir.path() / "query.toml") + " --once");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("broken"), std::string::npos) << r.err;

    r = run_daemon("--config " + quote(dir.path() / "absent.toml"));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("absent.toml"), std::string::npos) << r.err;

    r = run_daemon("--once");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--config"), std::string::npos);
}

TEST(daemon_cli, the_shipped_default_config_is_valid) {
    const auto r = run_tool("check --config " + quote(source_dir() / "feeds" / "newswatch.toml"));
    EXPECT_EQ(r.exit_code, 0) << r.err;
}

}  // namespace
}  // namespace newswatch::testing
