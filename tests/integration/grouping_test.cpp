// Issue #13 items 1 and 4 end to end in the real newswatchd against loopback feeds: one
// message per story and sink with the shipped pack, quiet hours that hold everything but an
// urgent watch, and a digest built across a restart.
#include <gtest/gtest.h>

#include <thread>

#include "daemon_fixture.hpp"
#include "http_test_server.hpp"

namespace newswatch::testing {
namespace {

using namespace std::chrono_literals;

const auto now = std::chrono::system_clock::now();

const std::string story_title =
    "NATO leaders invite Ukraine to begin accession talks and pledge Patriot air defence";
// 40 words: membership and military aid in one lede.
const std::string story_lede =
    "NATO leaders meeting in Brussels on Thursday formally invited Ukraine to begin accession talks on "
    "membership of the alliance, and allies pledged two more Patriot air defence systems and artillery "
    "ammunition for Kyiv in a new military aid package worth 2 billion euros.";

std::size_t count(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size()))
        ++n;
    return n;
}

// One development in ten feeds, the way outlets and aggregators repeat it.
void serve_ten_copies(http_test_server& server) {
    const std::string link = "https://wire.example/world/nato-ukraine-accession";
    std::string one_word = story_lede;
    one_word.replace(one_word.find("formally"), 8, "officially");
    const std::vector<std::pair<std::string, std::string>> copies{
        {story_title, link},
        {story_title, link + "?utm_source=search&utm_medium=rss"},
        {story_title + " - BBC News", "https://www.bbc.example/news/world-1"},
        {story_title + " | Reuters", "https://reuters.example/world/nato-1"},
        {story_title, "https://m.wire.example/world/nato-ukraine-accession"},
        {story_title, link + "#comments"},
        {story_title + " - Kyiv Independent", "https://kyivindependent.example/nato"},
        {story_title, "https://amp.wire.example/world/nato-ukraine-accession"},
        {story_title + " | DW", "https://dw.example/en/nato-ukraine"},
        {story_title, link + "?fbclid=abc123"},
    };
    for (std::size_t i = 0; i < copies.size(); ++i) {
        const auto& [title, url] = copies[i];
        const std::string lede = i == 3 ? one_word : story_lede;
        server.serve_feed("/feed" + std::to_string(i) + ".xml",
                          rss_document("Outlet " + std::to_string(i),
                                       {{"guid-" + std::to_string(i), title, url, lede,
                                         now - std::chrono::minutes(30 - static_cast<int>(i))}}));
    }
}

TEST(grouping, one_development_in_ten_feeds_is_one_message_per_sink_with_the_shipped_pack) {
    temp_dir dir;
    http_test_server server;
    serve_ten_copies(server);
    // The shipped pack and the shipped sinks (docs: feeds/newswatch.toml), default settings.
    std::string c = "include = [\"" + (source_dir() / "feeds" / "nato-ukraine.toml").string() +
                    "\"]\n[daemon]\nstate_dir = \"state\"\nmetrics = \"\"\n"
                    "default_sinks = [\"alerts-file\", \"alerts-log\"]\n";
    for (int i = 0; i < 10; ++i)
        c += "[[feed]]\nurl = \"" + server.url("/feed" + std::to_string(i) + ".xml") + "\"\n";
    c += "[[sink]]\nname = \"alerts-file\"\ntype = \"file\"\npath = \"alerts.jsonl\"\ngroup = true\n"
         "[[sink]]\nname = \"alerts-log\"\ntype = \"log\"\n";
    write_file(dir.path() / "c.toml", c);
    const auto r = run_daemon("--config " + quote(dir.path() / "c.toml") + " --once");
    ASSERT_EQ(r.exit_code, 0) << r.err;

    const auto lines = read_json_lines(dir.path() / "alerts.jsonl");
    ASSERT_EQ(lines.size(), 1u) << r.err;
    EXPECT_EQ(lines[0].at("type"), "alert_group");
    const auto& watches = lines[0].at("watches").as_array();
    EXPECT_GE(watches.size(), 2u) << boost::json::serialize(
        lines[0]);  // membership and military aid at least
    EXPECT_EQ(lines[0].at("alerts").as_array().size(), watches.size());
    // The log sink: one line for the item, naming every watch.
    EXPECT_EQ(count(r.err, "sink=\"alerts-log\""), 1u) << r.err;
}

// A quiet-hours range around the current UTC time.
std::string quiet_now() {
    const auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm utc{};
    gmtime_r(&t, &utc);
    const int minutes = utc.tm_hour * 60 + utc.tm_min;
    auto hhmm = [](int m) {
        m = (m % 1440 + 1440) % 1440;
        char out[8];
        std::snprintf(out, sizeof out, "%02d:%02d", m / 60, m % 60);
        return std::string(out);
    };
    return hhmm(minutes - 60) + "-" + hhmm(minutes + 60);
}

TEST(grouping, quiet_hours_hold_everything_but_an_urgent_watch) {
    temp_dir dir;
    http_test_server server;
    server.serve_feed(
        "/f.xml", rss_document("F", {{"g1", "Routine: NATO logistics conference opens", "https://f.example/1",
                                      "Delegates discuss supply chains.", now - 20min},
                                     {"g2", "Missile strike hits Kyiv power station", "https://f.example/2",
                                      "Air raid sirens sounded across Ukraine.", now - 10min}}));
    write_file(dir.path() / "c.toml",
               "[daemon]\nstate_dir = \"state\"\nmetrics = \"\"\n"
               "[[feed]]\nurl = \"" +
                   server.url("/f.xml") +
                   "\"\n"
                   "[[watch]]\nname = \"routine\"\nquery = 'logistics'\nsinks = [\"phone\"]\n"
                   "[[watch]]\nname = \"strikes\"\nquery = 'strike'\nurgent = true\nsinks = [\"phone\"]\n"
                   "[[sink]]\nname = \"phone\"\ntype = \"file\"\npath = \"phone.jsonl\"\ntimezone = \"UTC\"\n"
                   "quiet_hours = \"" +
                   quiet_now() + "\"\n");
    const auto r = run_daemon("--config " + quote(dir.path() / "c.toml") + " --once");
    // Held alerts are not pending for --once's exit code: they are scheduled.
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto lines = read_json_lines(dir.path() / "phone.jsonl");
    ASSERT_EQ(lines.size(), 1u) << r.err;
    EXPECT_EQ(lines[0].at("watch"), "strikes");
    EXPECT_EQ(lines[0].at("urgent"), true);
    // The other waits in the outbox.
    const auto listed =
        run_tool("alerts list --state pending --json --config " + quote(dir.path() / "c.toml"));
    ASSERT_EQ(listed.exit_code, 0) << listed.err;
    EXPECT_NE(listed.out.find("routine"), std::string::npos) << listed.out;
}

TEST(grouping, a_digest_is_built_across_a_restart) {
    temp_dir dir;
    http_test_server server;
    server.serve_feed("/f.xml",
                      rss_document("F", {{"g1", "Allies pledge artillery shells for Ukraine",
                                          "https://f.example/1", "A new package.", now - 20min},
                                         {"g2", "Ukraine receives first F-16 jets from allies",
                                          "https://f.example/2", "Deliveries began.", now - 10min}}));
    write_file(dir.path() / "c.toml",
               "[daemon]\nstate_dir = \"state\"\nmetrics = \"\"\n"
               "[[feed]]\nurl = \"" +
                   server.url("/f.xml") +
                   "\"\n"
                   "[[watch]]\nname = \"aid\"\nquery = 'Ukraine'\nsinks = [\"digest\"]\n"
                   "[[sink]]\nname = \"digest\"\ntype = \"file\"\npath = \"digest.jsonl\"\ndigest = \"1m\"\n"
                   "timezone = \"UTC\"\n");
    // A minute boundary must not fall inside the first run.
    while (std::chrono::system_clock::now().time_since_epoch() % 60s > 50s) std::this_thread::sleep_for(1s);
    const auto first = run_daemon("--config " + quote(dir.path() / "c.toml") + " --once");
    ASSERT_EQ(first.exit_code, 0) << first.err;
    EXPECT_TRUE(read_json_lines(dir.path() / "digest.jsonl").empty())
        << first.err;  // held until the minute ends
    // After the boundary a new process (a restart) sends one digest of both.
    const auto next_minute = std::chrono::ceil<std::chrono::minutes>(std::chrono::system_clock::now());
    std::this_thread::sleep_until(next_minute + 1s);
    const auto second = run_daemon("--config " + quote(dir.path() / "c.toml") + " --once");
    ASSERT_EQ(second.exit_code, 0) << second.err;
    const auto lines = read_json_lines(dir.path() / "digest.jsonl");
    ASSERT_EQ(lines.size(), 1u) << second.err;
    EXPECT_EQ(lines[0].at("type"), "digest");
    EXPECT_EQ(lines[0].at("count"), 2);
    EXPECT_EQ(lines[0].at("groups").as_array().size(), 2u);
}

}  // namespace
}  // namespace newswatch::testing
