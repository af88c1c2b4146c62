// Issue #13 item 3 end to end: the storm guard in the real newswatchd against a loopback
// feed server, observed through file sinks and the state database.
#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>

#include "daemon_fixture.hpp"
#include "http_test_server.hpp"

namespace newswatch::testing {
namespace {

using namespace std::chrono_literals;

// A word no other item uses: items must be distinct stories, or deduplication (not the
// storm guard) would fold them.
std::string code_word(int i, const char* stem) {
    std::string w = stem;
    w += static_cast<char>('a' + i % 26);
    w += static_cast<char>('a' + (i / 26) % 26);
    w += static_cast<char>('a' + (i * 7 + 3) % 26);
    return w;
}

// Items first..last-1, each a different story that matches 'NATO AND Ukraine'.
std::vector<rss_item> stories(int first, int last) {
    const auto now = std::chrono::system_clock::now();
    std::vector<rss_item> items;
    for (int i = first; i < last; ++i) {
        std::string lede;
        for (const char* stem :
             {"brig", "quor", "stel", "vant", "plom", "druv", "kess", "morn", "talv", "yusk"})
            lede += code_word(i, stem) + " ";
        items.push_back({"item-" + std::to_string(i),
                         "NATO and Ukraine: " + code_word(i, "zeph") + " " + code_word(i, "harl") + " " +
                             code_word(i, "wint") + " " + code_word(i, "oska"),
                         "https://news.example/story/" + std::to_string(i), lede + "reported.",
                         now - std::chrono::minutes(i % 60)});
    }
    return items;
}

// One watch, sinks out (and out2) as file sinks, one feed.
std::string config(const std::string& feed, const std::string& daemon_extra,
                   const std::string& watch_extra = "", const std::string& state = "state") {
    return "[daemon]\nstate_dir = \"" + state + "\"\nmetrics = \"\"\n" + daemon_extra +
           "\n[[feed]]\nurl = \"" + feed +
           "\"\n[[watch]]\nname = \"air-defence\"\nquery = 'NATO AND Ukraine'\nsinks = [\"out\", "
           "\"out2\"]\n" +
           watch_extra +
           "\n[[sink]]\nname = \"out\"\ntype = \"file\"\npath = \"out.jsonl\"\n"
           "[[sink]]\nname = \"out2\"\ntype = \"file\"\npath = \"out2.jsonl\"\n"
           "[[sink]]\nname = \"health\"\ntype = \"file\"\npath = \"health.jsonl\"\n";
}

bool is_storm(const boost::json::object& line) {
    return line.contains("type") && line.at("type").is_string() && line.at("type").as_string() == "storm";
}

TEST(storm, once_turns_100_matching_items_into_threshold_plus_one_messages_per_sink) {
    temp_dir dir;
    http_test_server server;
    server.serve_feed("/burst.xml", rss_document("Burst", stories(0, 100)));
    // The defaults: storm_threshold 20 in a 10 minute window.
    write_file(dir.path() / "c.toml", config(server.url("/burst.xml"), "health_sinks = [\"health\"]"));
    const auto r = run_daemon("--config " + quote(dir.path() / "c.toml") + " --once");
    ASSERT_EQ(r.exit_code, 0) << r.err;

    for (const char* file : {"out.jsonl", "out2.jsonl"}) {
        const auto lines = read_json_lines(dir.path() / file);
        ASSERT_EQ(lines.size(), 21u) << file << "\n" << r.err;
        for (std::size_t i = 0; i + 1 < lines.size(); ++i) EXPECT_FALSE(is_storm(lines[i])) << i;
        const auto& storm = lines.back();
        ASSERT_TRUE(is_storm(storm)) << boost::json::serialize(storm);
        EXPECT_EQ(storm.at("folded").as_int64(), 80);
        EXPECT_EQ(std::string(storm.at("watch").as_string()), "air-defence");
        const auto& folded = storm.at("alerts").as_array();
        ASSERT_EQ(folded.size(), 80u);
        EXPECT_NE(std::string(folded[0].at("title").as_string()).find("NATO and Ukraine"), std::string::npos);
        EXPECT_EQ(std::string(folded[0].at("link").as_string()).rfind("https://news.example/story/", 0), 0u);
    }
    EXPECT_NE(r.err.find("event=\"storm\""), std::string::npos) << r.err;
    // Every folded alert is recorded: 100 alerts and one storm summary per sink, and the
    // feed_health event of the feed's own storm (100 alerts > feed_storm_threshold 50).
    EXPECT_EQ(count_rows(dir.path() / "state" / "state.db", "outbox"), 203);
    const auto health = read_json_lines(dir.path() / "health.jsonl");
    ASSERT_EQ(health.size(), 1u);
    EXPECT_EQ(std::string(health[0].at("state").as_string()), "storm");
    const auto listed =
        run_tool("alerts list --json --sink out --limit 1000 --config " + quote(dir.path() / "c.toml"));
    ASSERT_EQ(listed.exit_code, 0) << listed.err;
    EXPECT_EQ(std::count(listed.out.begin(), listed.out.end(), '\n'), 101) << listed.out;  // JSON lines
    // A folded alert says where it went.
    const auto last = read_json_lines(dir.path() / "out.jsonl").back();
    const std::string folded_id(last.at("alerts").as_array()[0].at("id").as_string());
    const auto shown = run_tool("alerts show " + folded_id + " --config " + quote(dir.path() / "c.toml"));
    ASSERT_EQ(shown.exit_code, 0) << shown.err;
    EXPECT_NE(shown.out.find("folded into storm " + std::string(last.at("id").as_string())),
              std::string::npos)
        << shown.out;
}

TEST(storm, a_feed_storm_is_folded_and_reported_as_feed_health) {
    temp_dir dir;
    http_test_server server;
    server.serve_feed("/archive.xml", rss_document("Archive", stories(0, 30)));
    write_file(dir.path() / "c.toml", config(server.url("/archive.xml"),
                                             "health_sinks = [\"health\"]\nstorm_threshold = 0\n"
                                             "feed_storm_threshold = 8"));
    const auto r = run_daemon("--config " + quote(dir.path() / "c.toml") + " --once");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto lines = read_json_lines(dir.path() / "out.jsonl");
    ASSERT_EQ(lines.size(), 9u) << r.err;
    ASSERT_TRUE(is_storm(lines.back()));
    EXPECT_EQ(lines.back().at("folded").as_int64(), 22);
    EXPECT_EQ(std::string(lines.back().at("feed").as_string()), server.url("/archive.xml"));
    const auto health = read_json_lines(dir.path() / "health.jsonl");
    ASSERT_EQ(health.size(), 1u) << r.err;
    EXPECT_EQ(std::string(health[0].at("type").as_string()), "feed_health");
    EXPECT_EQ(std::string(health[0].at("state").as_string()), "storm");
    EXPECT_NE(std::string(health[0].at("reason").as_string()).find("more than 8 alerts"), std::string::npos);
}

TEST(storm, a_window_that_ends_later_is_summarised_by_the_running_daemon) {
    temp_dir dir;
    http_test_server server;
    std::mutex m;
    std::string document = rss_document("Burst", stories(0, 10));
    server.on("/burst.xml", [&](const http_request&) {
        std::lock_guard lock(m);
        return http_test_server::make_response(200, document, "application/rss+xml");
    });
    // A watch override: 3 alerts per 3 s window.
    write_file(dir.path() / "c.toml",
               config(server.url("/burst.xml"),
                      "interval = \"1s\"\nmin_interval = \"1s\"\njitter = 0.0\nadaptive_interval = false",
                      "storm_threshold = 3\nstorm_window = \"3s\""));
    const auto log_file = dir.path() / "daemon.log";
    running_daemon daemon(dir.path() / "c.toml", log_file);
    // No --once: the summary goes out when the window ends, on the daemon's own.
    ASSERT_TRUE(eventually([&] { return read_json_lines(dir.path() / "out.jsonl").size() >= 4; }, 90s))
        << read_file(log_file);
    auto lines = read_json_lines(dir.path() / "out.jsonl");
    ASSERT_EQ(lines.size(), 4u) << read_file(log_file);
    ASSERT_TRUE(is_storm(lines.back())) << read_file(log_file);
    EXPECT_EQ(lines.back().at("folded").as_int64(), 7);
    // A later burst opens a new window of its own.
    {
        std::lock_guard lock(m);
        document = rss_document("Burst", stories(0, 20));
    }
    ASSERT_TRUE(eventually([&] { return read_json_lines(dir.path() / "out.jsonl").size() >= 8; }, 90s))
        << read_file(log_file);
    lines = read_json_lines(dir.path() / "out.jsonl");
    EXPECT_EQ(daemon.terminate(), 0);
    ASSERT_EQ(read_json_lines(dir.path() / "out.jsonl").size(), 8u) << read_file(log_file);
    ASSERT_TRUE(is_storm(lines[7]));
    EXPECT_EQ(lines[7].at("folded").as_int64(), 7);
    EXPECT_NE(read_file(log_file).find("storm summary queued"), std::string::npos);
}

TEST(storm, an_open_storm_keeps_folding_after_a_restart) {
    temp_dir dir;
    http_test_server server;
    std::mutex m;
    std::string document = rss_document("Burst", stories(0, 5));
    server.on("/burst.xml", [&](const http_request&) {
        std::lock_guard lock(m);
        return http_test_server::make_response(200, document, "application/rss+xml");
    });
    write_file(dir.path() / "c.toml", config(server.url("/burst.xml"), "interval = \"1h\"",
                                             "storm_threshold = 2\nstorm_window = \"1h\""));
    const auto log_file = dir.path() / "daemon.log";
    {
        running_daemon daemon(dir.path() / "c.toml", log_file);
        ASSERT_TRUE(
            eventually([&] { return count_rows(dir.path() / "state" / "state.db", "storms") == 1; }, 60s))
            << read_file(log_file);
        ASSERT_TRUE(eventually([&] { return read_json_lines(dir.path() / "out.jsonl").size() == 2; }, 60s));
        EXPECT_EQ(daemon.terminate(), 0);
    }
    EXPECT_EQ(read_json_lines(dir.path() / "out.jsonl").size(), 2u);  // the storm has not ended
    {
        std::lock_guard lock(m);
        document = rss_document("Burst", stories(0, 9));
    }
    // Restarted: the four new alerts go into the open storm, and --once sends its summary.
    const auto r = run_daemon("--config " + quote(dir.path() / "c.toml") + " --once");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto lines = read_json_lines(dir.path() / "out.jsonl");
    ASSERT_EQ(lines.size(), 3u) << r.err;
    ASSERT_TRUE(is_storm(lines.back()));
    EXPECT_EQ(lines.back().at("folded").as_int64(), 7);
}

}  // namespace
}  // namespace newswatch::testing
