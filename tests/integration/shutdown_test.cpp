// Issue 10, item 1: a SIGTERM at any moment exits 0 with the database consistent, even
// while a worker is busy with a long document. Before, shutdown destroyed the monitor
// after 5 s while a worker still held one of its coroutines, which then resumed into freed
// memory (SIGSEGV).
#include <gtest/gtest.h>

#include <signal.h>

#include <fstream>
#include <set>

#include "daemon_fixture.hpp"
#include "http_test_server.hpp"

namespace newswatch::testing {
namespace {

using namespace std::chrono_literals;

// A document that keeps a worker busy: one item of ~1 MB dense with hits (it took 14 s to
// match before matching was linear) and many ordinary matching items after it.
std::string busy_document(std::size_t ordinary_items) {
    const auto now = std::chrono::system_clock::now();
    std::vector<rss_item> items;
    std::string dense;
    dense.reserve(1 << 20);
    while (dense.size() < (1u << 20)) dense += "NATO Ukraine ";
    items.push_back(
        {"dense", "NATO and Ukraine: a very long item", "https://news.example/dense", dense, now - 1h});
    for (std::size_t i = 0; i < ordinary_items; ++i)
        items.push_back({"item-" + std::to_string(i), "NATO and Ukraine talks, part " + std::to_string(i),
                         "https://news.example/" + std::to_string(i), "Allies discussed Ukraine's accession.",
                         now - 2h});
    return rss_document("Wire", items);
}

// True once newswatchd has taken SIGTERM over: blocked (its first act, while it starts) or
// caught (its handler is in place). Before that the process is still the test's fork or
// the dynamic loader, where SIGTERM's default action applies.
bool owns_sigterm(int pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");  // size 0: read it as a stream
    bool owned = false;
    for (std::string line; std::getline(status, line);)
        if (line.rfind("SigBlk:", 0) == 0 || line.rfind("SigCgt:", 0) == 0)
            owned = owned || ((std::stoull(line.substr(7), nullptr, 16) >> (SIGTERM - 1)) & 1);
    return owned;
}

std::string integrity(const std::filesystem::path& db) {
    const auto r = run_command("sqlite3 " + quote(db) + " 'PRAGMA integrity_check'");
    return r.out + r.err;
}

TEST(daemon_shutdown, sigterm_while_a_worker_is_busy_exits_zero_with_a_consistent_database) {
    temp_dir dir;
    http_test_server server;
    constexpr std::size_t ordinary = 3000;
    server.serve_feed("/feed.xml", busy_document(ordinary));
    write_file(dir.path() / "c.toml",
               "[daemon]\nstate_dir = \"state\"\ninterval = \"1h\"\nworker_threads = 1\nstorm_threshold = "
               "0\nfeed_storm_threshold = 0\n"
               "[[feed]]\nurl = \"" +
                   server.url("/feed.xml") +
                   "\"\n"
                   "[[watch]]\nname = \"nu\"\nquery = 'NATO AND Ukraine'\nsinks = [\"out\"]\n"
                   "[[sink]]\nname = \"out\"\ntype = \"file\"\npath = \"out.jsonl\"\n");
    {
        running_daemon daemon(dir.path() / "c.toml", dir.path() / "daemon.log");
        // The first poll comes within the start-up spread (at most 10 s).
        ASSERT_TRUE(eventually([&] { return server.hits("/feed.xml") >= 1; }, 30s))
            << read_file(dir.path() / "daemon.log");
        std::this_thread::sleep_for(100ms);  // the document is being parsed or matched
        EXPECT_EQ(daemon.terminate(), 0) << read_file(dir.path() / "daemon.log");
    }
    const std::string log = read_file(dir.path() / "daemon.log");
    EXPECT_NE(log.find("newswatchd stopped"), std::string::npos) << log;
    EXPECT_EQ(integrity(dir.path() / "state" / "state.db"), "ok\n");

    // Whatever the stop abandoned is done by the next run, and nothing twice.
    const auto again = run_daemon("--config " + quote(dir.path() / "c.toml") + " --once");
    ASSERT_EQ(again.exit_code, 0) << again.err;
    std::multiset<std::string> ids;
    for (const auto& alert : read_json_lines(dir.path() / "out.jsonl"))
        ids.insert(std::string(alert.at("id").as_string()));
    EXPECT_EQ(ids.size(), ordinary + 1);
    EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size())
        << "an alert was delivered twice";
}

// SIGTERM at many moments of a short run (start-up, fetch, processing, delivery, idle):
// always exit 0, always a consistent database.
TEST(daemon_shutdown, sigterm_at_any_moment_exits_zero) {
    temp_dir dir;
    http_test_server server;
    const auto now = std::chrono::system_clock::now();
    std::vector<rss_item> items;
    for (int i = 0; i < 300; ++i)
        items.push_back({"i" + std::to_string(i), "NATO and Ukraine " + std::to_string(i),
                         "https://n/" + std::to_string(i), "x", now - 1h});
    server.serve_feed("/feed.xml", rss_document("Wire", items));
    write_file(dir.path() / "c.toml",
               "[daemon]\nstate_dir = \"state\"\ninterval = \"1s\"\nmin_interval = \"1s\"\n"
               "[[feed]]\nurl = \"" +
                   server.url("/feed.xml") +
                   "\"\n"
                   "[[watch]]\nname = \"nu\"\nquery = 'NATO AND Ukraine'\nsinks = [\"out\"]\n"
                   "[[sink]]\nname = \"out\"\ntype = \"file\"\npath = \"out.jsonl\"\n");
    for (int delay_ms : {0, 5, 20, 50, 120, 300, 700, 1500}) {
        running_daemon daemon(dir.path() / "c.toml", dir.path() / "daemon.log");
        ASSERT_TRUE(eventually([&] { return owns_sigterm(daemon.pid()); }, 10s));
        std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
        ASSERT_EQ(daemon.terminate(), 0) << "SIGTERM after " << delay_ms << " ms\n"
                                         << read_file(dir.path() / "daemon.log");
        ASSERT_EQ(integrity(dir.path() / "state" / "state.db"), "ok\n") << "after " << delay_ms << " ms";
    }
}

}  // namespace
}  // namespace newswatch::testing
