// Issue 10, item 2: a crash repeats at most the deliveries in flight. The daemon is
// SIGKILLed while it delivers thousands of alerts to two file sinks; after the last
// restart every alert has arrived, and each sink has seen at most `concurrency` repeated
// deliveries per kill: one for sink b (concurrency = 1), 64 for sink a (a file sink's
// default since issue #16: the lines of one turn share one fdatasync and one outcome
// transaction). Before issue 10, outcomes were written once per batch of 500, and a kill
// inside a batch repeated up to 500 lines.
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "daemon_fixture.hpp"
#include "http_test_server.hpp"

namespace newswatch::testing {
namespace {

using namespace std::chrono_literals;

std::map<std::string, int> ids_in(const std::filesystem::path& file) {
    std::map<std::string, int> counts;
    for (const auto& alert : read_json_lines(file)) ++counts[std::string(alert.at("id").as_string())];
    return counts;
}

std::uintmax_t size_of(const std::filesystem::path& file) {
    std::error_code ec;
    const auto n = std::filesystem::file_size(file, ec);
    return ec ? 0 : n;
}

TEST(crash_repeat, a_kill_during_delivery_repeats_at_most_concurrency_alerts_per_file_sink) {
    temp_dir dir;
    http_test_server server;
    constexpr int item_count = 4000;
    const auto now = std::chrono::system_clock::now();
    std::vector<rss_item> items;
    for (int i = 0; i < item_count; ++i)
        items.push_back({"i" + std::to_string(i), "NATO and Ukraine, development " + std::to_string(i),
                         "https://news.example/" + std::to_string(i), "Allies met.", now - 1h});
    server.serve_feed("/feed.xml", rss_document("Wire", items));
    write_file(dir.path() / "c.toml",
               "[daemon]\nstate_dir = \"state\"\ninterval = \"1h\"\n"
               // Every alert is delivered on its own here: no storm folding.
               "storm_threshold = 0\nfeed_storm_threshold = 0\n"
               "[[feed]]\nurl = \"" +
                   server.url("/feed.xml") +
                   "\"\n"
                   "[[watch]]\nname = \"nu\"\nquery = 'NATO AND Ukraine'\nsinks = [\"a\", \"b\"]\n"
                   "[[sink]]\nname = \"a\"\ntype = \"file\"\npath = \"a.jsonl\"\n"
                   "[[sink]]\nname = \"b\"\ntype = \"file\"\npath = \"b.jsonl\"\nconcurrency = 1\n");
    const auto a = dir.path() / "a.jsonl";
    const auto b = dir.path() / "b.jsonl";
    std::mt19937 rng(20261206);
    int kills = 0;
    for (int round = 0; round < 20 && ids_in(a).size() < item_count; ++round) {
        const auto before = size_of(a) + size_of(b);
        running_daemon daemon(dir.path() / "c.toml",
                              dir.path() / ("daemon-" + std::to_string(round) + ".log"));
        // Kill while lines are being written: once the files have grown, after a random
        // 0-30 ms more.
        if (!eventually([&] { return size_of(a) + size_of(b) > before; }, 60s)) break;
        std::this_thread::sleep_for(
            std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 30)(rng)));
        daemon.kill_now();
        ++kills;
    }
    ASSERT_GE(kills, 5) << "the deliveries finished before enough kills landed";
    const auto last = run_daemon("--config " + quote(dir.path() / "c.toml") + " --once");
    ASSERT_EQ(last.exit_code, 0) << last.err;

    for (const auto& [file, concurrency] : {std::pair{a, 64}, std::pair{b, 1}}) {
        const auto counts = ids_in(file);
        EXPECT_EQ(counts.size(), static_cast<std::size_t>(item_count)) << file << ": every alert arrives";
        int repeated = 0;
        for (const auto& [id, n] : counts) repeated += n - 1;
        EXPECT_LE(repeated, kills * concurrency)
            << file << ": " << repeated << " repeated deliveries over " << kills << " kills";
        RecordProperty(file.filename().string() + "_repeated", repeated);
    }
    RecordProperty("kills", kills);
    const auto integrity =
        run_command("sqlite3 " + quote(dir.path() / "state" / "state.db") + " 'PRAGMA integrity_check'");
    EXPECT_EQ(integrity.out, "ok\n");
}

}  // namespace
}  // namespace newswatch::testing
