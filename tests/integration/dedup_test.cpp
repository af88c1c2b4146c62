// Issue #13 item 2 end to end: cross-feed story deduplication in the real newswatchd against
// loopback feed servers, observed through the file sink and the state database.
#include <gtest/gtest.h>

#include <atomic>
#include <set>

#include "daemon_fixture.hpp"
#include "http_test_server.hpp"
#include "newswatch/core/alert.hpp"
#include "newswatch/store/state_store.hpp"

namespace newswatch::testing {
namespace {

using namespace std::chrono_literals;

const auto now = std::chrono::system_clock::now();

const std::string title = "NATO allies agree new air defence package for Ukraine";
// 41 words.
const std::string lede =
    "NATO defence ministers agreed on Thursday in Brussels to send additional air defence systems to "
    "Ukraine, "
    "a senior alliance official said, after Russian missile strikes hit power stations in Kyiv and Lviv "
    "overnight and left thousands of homes without heating.";

// One watch, one file sink (`out`.jsonl), the feeds given; state in `state`.
std::string config(const std::vector<std::string>& feeds, const std::string& state = "state",
                   const std::string& daemon_extra = "", const std::string& out = "out") {
    std::string c = "[daemon]\nstate_dir = \"" + state + "\"\nmetrics = \"\"\n" + daemon_extra + "\n";
    for (const auto& f : feeds) c += "[[feed]]\nurl = \"" + f + "\"\n";
    c += "[[watch]]\nname = \"air-defence\"\nquery = 'NATO AND Ukraine'\nsinks = [\"out\"]\n"
         "[[sink]]\nname = \"out\"\ntype = \"file\"\npath = \"" +
         out + ".jsonl\"\n";
    return c;
}

std::vector<store::duplicate_source> duplicates_of(const std::filesystem::path& state_dir,
                                                   const std::string& id) {
    auto store = store::state_store::open_read_only(state_dir / "state.db");
    EXPECT_TRUE(store) << store.err().message;
    if (!store) return {};
    auto sources = store->duplicates_of(id);
    EXPECT_TRUE(sources);
    return sources ? *sources : std::vector<store::duplicate_source>{};
}

TEST(dedup, the_same_story_from_four_feeds_gives_one_alert_and_three_recorded_duplicates) {
    temp_dir dir;
    http_test_server server;
    std::string one_word = lede;
    one_word.replace(one_word.find("agreed"), 6, "decided");
    ASSERT_NE(one_word, lede);
    // A the original; B the same link with utm_* parameters; C another link, the title with
    // " - BBC News"; D another link, one word changed in the lede (and in the title, so
    // that only the similarity of the text can find it).
    server.serve_feed(
        "/a.xml",
        rss_document("A", {{"a-1", title, "https://wire.example/world/air-defence-1", lede, now - 30min}}));
    server.serve_feed("/b.xml",
                      rss_document("B", {{"b-1", title,
                                          "https://wire.example/world/air-defence-1?utm_source=search"
                                          "&utm_medium=rss&utm_campaign=world",
                                          lede, now - 20min}}));
    server.serve_feed(
        "/c.xml", rss_document("C", {{"c-1", title + " - BBC News",
                                      "https://www.bbc.example/news/world-europe-123", lede, now - 10min}}));
    server.serve_feed("/d.xml",
                      rss_document("D", {{"d-1", "NATO allies approve new air defence package for Ukraine",
                                          "https://other.example/2024/air-defence", one_word, now - 5min}}));
    write_file(dir.path() / "c.toml", config({server.url("/a.xml"), server.url("/b.xml"),
                                              server.url("/c.xml"), server.url("/d.xml")}));
    const auto r = run_daemon("--config " + quote(dir.path() / "c.toml") + " --once --log-level debug");
    ASSERT_EQ(r.exit_code, 0) << r.err;

    const auto alerts = read_json_lines(dir.path() / "out.jsonl");
    ASSERT_EQ(alerts.size(), 1u) << r.err;
    const std::string id(alerts[0].at("id").as_string());
    const auto sources = duplicates_of(dir.path() / "state", id);
    ASSERT_EQ(sources.size(), 3u) << r.err;
    std::set<std::string> feeds;
    for (const auto& s : sources) {
        feeds.insert(s.feed_url);
        EXPECT_EQ(s.original_alert_id, id);
        EXPECT_EQ(s.watch, "air-defence");
        EXPECT_TRUE(s.item_link && s.item_title);
    }
    feeds.insert(std::string(alerts[0].at("feed").at("url").as_string()));
    EXPECT_EQ(feeds.size(), 4u);  // every feed carried it once: one alert, three sources
    EXPECT_NE(r.err.find("event=\"alert_deduplicated\""), std::string::npos) << r.err;

    // `newswatch alerts show` lists every source that carried the story.
    const auto shown = run_tool("alerts show " + id + " --json --config " + quote(dir.path() / "c.toml"));
    ASSERT_EQ(shown.exit_code, 0) << shown.err;
    const auto carried = boost::json::parse(shown.out).at("also_carried_by").as_array();
    EXPECT_EQ(carried.size(), 3u) << shown.out;

    // dedup_window = "0s" turns it off: every feed alerts.
    write_file(dir.path() / "off.toml", config({server.url("/a.xml"), server.url("/b.xml"),
                                                server.url("/c.xml"), server.url("/d.xml")},
                                               "state-off", "dedup_window = \"0s\"", "off"));
    ASSERT_EQ(run_daemon("--config " + quote(dir.path() / "off.toml") + " --once").exit_code, 0);
    EXPECT_EQ(read_json_lines(dir.path() / "off.jsonl").size(), 4u);
}

// A feed that gives every item a new guid on each fetch (a republishing CMS): the story
// alerts once, over five fetches and across a restart; every repeat is recorded.
TEST(dedup, guid_churn_gives_no_repeats_over_five_fetches_and_after_a_restart) {
    temp_dir dir;
    http_test_server server;
    std::atomic<int> fetches{0};
    server.on("/churn.xml", [&](const http_request&) {
        const int n = fetches.fetch_add(1) + 1;
        return http_test_server::make_response(
            200,
            rss_document(
                "Churn",
                {{"guid-" + std::to_string(n) + "-a", title, "https://wire.example/world/air-defence-1", lede,
                  now - 30min},
                 {"guid-" + std::to_string(n) + "-b", "Local football club wins the cup final",
                  "https://wire.example/sport/cup", "Fans celebrated late into the night.", now - 40min}}),
            "application/rss+xml");
    });
    write_file(dir.path() / "c.toml",
               config({server.url("/churn.xml")}, "state",
                      "interval = \"1s\"\nmin_interval = \"1s\"\njitter = 0.0\nadaptive_interval = false"));
    const auto log_file = dir.path() / "daemon.log";
    {
        running_daemon daemon(dir.path() / "c.toml", log_file);
        // One feed is fetched, processed and scheduled in turn: the seventh request means
        // the sixth document (five fetches after the first) has been processed.
        ASSERT_TRUE(eventually([&] { return fetches.load() >= 7; }, 60s)) << read_file(log_file);
        EXPECT_EQ(daemon.terminate(), 0);
    }
    const auto alerts = read_json_lines(dir.path() / "out.jsonl");
    ASSERT_EQ(alerts.size(), 1u) << read_file(log_file);
    const std::string id(alerts[0].at("id").as_string());
    EXPECT_EQ(alerts[0].at("item").at("id").as_string(), "guid-1-a");
    const std::size_t recorded = duplicates_of(dir.path() / "state", id).size();
    EXPECT_GE(recorded, 5u);

    // Restarted, the daemon still knows the story from the state database.
    const int before = fetches.load();
    {
        running_daemon daemon(dir.path() / "c.toml", log_file);
        ASSERT_TRUE(eventually([&] { return fetches.load() >= before + 3; }, 60s)) << read_file(log_file);
        EXPECT_EQ(daemon.terminate(), 0);
    }
    EXPECT_EQ(read_json_lines(dir.path() / "out.jsonl").size(), 1u) << read_file(log_file);
    EXPECT_GE(duplicates_of(dir.path() / "state", id).size(), recorded + 2);
}

// A claim watch: the same story with another stance label is news and is delivered; a
// repeat of that stance is not.
TEST(dedup, a_claim_watch_delivers_a_stance_change_and_folds_a_repeat_of_it) {
    temp_dir dir;
    http_test_server server;
    const std::string headline = "NATO leaders meet in Brussels over Ukraine membership bid";
    const std::string agrees =
        "NATO leaders agreed on Thursday in Brussels that Ukraine will join the alliance next year, a senior "
        "official said, confirming that the accession talks have been completed and membership will follow "
        "soon.";
    const std::string disputes =
        "NATO leaders denied on Thursday in Brussels that Ukraine will join the alliance, a senior official "
        "said, "
        "rejecting reports that accession talks have been completed and saying membership is not on the "
        "table.";
    std::string disputes_again = disputes;
    disputes_again.replace(disputes_again.find("denied"), 6, "firmly denied");
    server.serve_feed("/a.xml",
                      rss_document("A", {{"a-1", headline, "https://a.example/1", agrees, now - 30min}}));
    server.serve_feed("/b.xml",
                      rss_document("B", {{"b-1", headline, "https://b.example/1", disputes, now - 20min}}));
    write_file(
        dir.path() / "c.toml",
        "[daemon]\nstate_dir = \"state\"\nmetrics = \"\"\n"
        "[[feed]]\nurl = \"" +
            server.url("/a.xml") +
            "\"\n"
            "[[feed]]\nurl = \"" +
            server.url("/b.xml") +
            "\"\n"
            "[[watch]]\nname = \"membership-claims\"\nquery = 'NATO AND Ukrain* AND (membership OR join*)'\n"
            "claim = \"Ukraine will join NATO\"\nsinks = [\"out\"]\n"
            "[[sink]]\nname = \"out\"\ntype = \"file\"\npath = \"out.jsonl\"\n");
    auto r = run_daemon("--config " + quote(dir.path() / "c.toml") + " --once --log-level debug");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto alerts = read_json_lines(dir.path() / "out.jsonl");
    ASSERT_EQ(alerts.size(), 2u) << r.err;
    const std::string first(alerts[0].at("stance").at("label").as_string());
    const std::string second(alerts[1].at("stance").at("label").as_string());
    EXPECT_NE(first, second);  // the test data: one agrees, the other disputes

    // A third outlet repeats the disputing report with one word more: not delivered again.
    server.serve_feed(
        "/c.xml", rss_document("C", {{"c-1", headline, "https://c.example/1", disputes_again, now - 10min}}));
    write_file(dir.path() / "c.toml",
               read_file(dir.path() / "c.toml") + "[[feed]]\nurl = \"" + server.url("/c.xml") + "\"\n");
    r = run_daemon("--config " + quote(dir.path() / "c.toml") + " --once --log-level debug");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    alerts = read_json_lines(dir.path() / "out.jsonl");
    EXPECT_EQ(alerts.size(), 2u) << r.err;
    const auto& disputing = alerts[0].at("item").at("id").as_string() == "b-1" ? alerts[0] : alerts[1];
    const auto sources = duplicates_of(dir.path() / "state", std::string(disputing.at("id").as_string()));
    ASSERT_EQ(sources.size(), 1u) << r.err;
    EXPECT_EQ(sources[0].item_id, "c-1");
    EXPECT_EQ(sources[0].stance, std::string(disputing.at("stance").at("label").as_string()));
}

}  // namespace
}  // namespace newswatch::testing
