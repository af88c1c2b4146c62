// Issue #10 item 5: a state database that vanishes or rots is noticed, and the daemon
// stops with exit 2 (which systemd does not restart) instead of starting afresh and
// sending every alert again.
#include <gtest/gtest.h>

#include <fstream>

#include "daemon_fixture.hpp"
#include "http_test_server.hpp"

namespace newswatch::testing {
namespace {

using namespace std::chrono_literals;

class state_integrity : public ::testing::Test {
protected:
    void SetUp() override {
        const auto now = std::chrono::system_clock::now();
        server.serve_feed("/feed.xml",
                          rss_document("Wire", {{"a", "NATO and Ukraine meet", "https://n/a", "x", now - 1h},
                                                {"b", "NATO backs Ukraine", "https://n/b", "x", now - 2h}}));
        write_file(dir.path() / "c.toml",
                   "[daemon]\nstate_dir = \"state\"\ninterval = \"1s\"\nmin_interval = \"1s\"\njitter = 0.0\n"
                   "[[feed]]\nurl = \"" +
                       server.url("/feed.xml") +
                       "\"\n"
                       "[[watch]]\nname = \"nu\"\nquery = 'NATO AND Ukraine'\nsinks = [\"out\"]\n"
                       "[[sink]]\nname = \"out\"\ntype = \"file\"\npath = \"out.jsonl\"\n");
    }
    command_result run_once(const std::string& extra = "") {
        return run_daemon("--config " + quote(dir.path() / "c.toml") + " --once" + extra);
    }
    std::filesystem::path state() const { return dir.path() / "state"; }
    std::size_t alerts() { return read_json_lines(dir.path() / "out.jsonl").size(); }
    // The daemon.log of a running_daemon, "" until it exists.
    std::string daemon_log() const {
        const auto log = dir.path() / "daemon.log";
        return std::filesystem::exists(log) ? read_file(log) : "";
    }
    // The start-up check a run's log reports: "full", "tables" or "" when none.
    static std::string check_of(const std::string& log) {
        const std::string key = "event=\"state_check\" outcome=\"ok\" check=\"";
        const auto at = log.find(key);
        if (at == std::string::npos) return "";
        const auto from = at + key.size();
        return log.substr(from, log.find('"', from) - from);
    }

    temp_dir dir;
    http_test_server server;
};

TEST_F(state_integrity, a_state_db_deleted_while_running_stops_the_daemon_with_exit_2) {
    running_daemon daemon(dir.path() / "c.toml", dir.path() / "daemon.log");
    ASSERT_TRUE(eventually([&] { return alerts() == 2; })) << read_file(dir.path() / "daemon.log");
    std::filesystem::remove(state() / "state.db");
    // Checked every 2 s; generous for a busy machine.
    EXPECT_EQ(daemon.wait(30s), 2) << read_file(dir.path() / "daemon.log");
    const std::string log = read_file(dir.path() / "daemon.log");
    EXPECT_NE(log.find("error"), std::string::npos) << log;
    EXPECT_NE(log.find("state.db was deleted"), std::string::npos) << log;
    // And it does not come back afresh by itself.
    const auto again = run_once();
    EXPECT_EQ(again.exit_code, 2) << again.err;
    EXPECT_EQ(alerts(), 2u);
}

TEST_F(state_integrity, a_missing_state_db_beside_its_state_id_is_refused_until_new_state) {
    ASSERT_EQ(run_once().exit_code, 0);
    ASSERT_EQ(alerts(), 2u);
    ASSERT_TRUE(std::filesystem::exists(state() / "state.id"));
    for (const char* part : {"state.db", "state.db-wal", "state.db-shm"})
        std::filesystem::remove(state() / part);

    const auto refused = run_once();
    EXPECT_EQ(refused.exit_code, 2) << refused.err;
    EXPECT_NE(
        refused.err.find("state.db missing in " + state().string() +
                         "; restore it, or start with --new-state to begin afresh (every alert still in its "
                         "feeds may be sent again)"),
        std::string::npos)
        << refused.err;
    EXPECT_FALSE(std::filesystem::exists(state() / "state.db"))
        << "a refused start must not create a database";
    const auto reset =
        run_tool("feeds reset --config " + quote(dir.path() / "c.toml") + " " + server.url("/feed.xml"));
    EXPECT_EQ(reset.exit_code, 0) << reset.err;
    EXPECT_FALSE(std::filesystem::exists(state() / "state.db"))
        << "newswatch feeds must not create one either";
    EXPECT_EQ(alerts(), 2u);

    const auto afresh = run_once(" --new-state");
    EXPECT_EQ(afresh.exit_code, 0) << afresh.err;
    EXPECT_EQ(alerts(), 4u);  // begun afresh: the feed's alerts were sent again, as the message says
    EXPECT_EQ(run_once().exit_code, 0);
    EXPECT_EQ(alerts(), 4u);
}

TEST_F(state_integrity, a_corrupted_state_db_is_refused_naming_the_file_and_the_recovery) {
    ASSERT_EQ(run_once().exit_code, 0);
    const auto db = state() / "state.db";
    ASSERT_FALSE(std::filesystem::exists(state() / "state.db-wal") &&
                 std::filesystem::file_size(state() / "state.db-wal") > 0)
        << "the WAL should have been checkpointed at exit";
    const auto size = std::filesystem::file_size(db);
    ASSERT_GT(size, 3 * 4096u);
    {
        // Every page but the first (the header and the schema) overwritten.
        std::fstream f(db, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(4096);
        const std::string garbage(size - 4096, '\x5a');
        f.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
    }
    const auto refused = run_once();
    EXPECT_EQ(refused.exit_code, 2) << refused.err;
    EXPECT_NE(refused.err.find(db.string()), std::string::npos) << refused.err;
    EXPECT_NE(refused.err.find(".recover"), std::string::npos) << refused.err;
    EXPECT_NE(refused.err.find("--new-state"), std::string::npos) << refused.err;

    // --new-state keeps the damaged file aside and begins afresh.
    const auto afresh = run_once(" --new-state");
    EXPECT_EQ(afresh.exit_code, 0) << afresh.err;
    bool kept = false;
    for (const auto& entry : std::filesystem::directory_iterator(state()))
        kept = kept || entry.path().filename().string().starts_with("state.db.aside-");
    EXPECT_TRUE(kept);
}

// Issue 16 item 4: the full quick_check reads the whole file on every start; after a clean
// stop, within a day of the last full check, only the small tables are checked.
TEST_F(state_integrity, after_a_clean_stop_only_the_small_tables_are_checked) {
    const auto first = run_once();
    ASSERT_EQ(first.exit_code, 0) << first.err;
    EXPECT_EQ(check_of(first.err), "full") << first.err;  // a new database: no clean stop recorded
    const auto second = run_once();
    ASSERT_EQ(second.exit_code, 0) << second.err;
    EXPECT_EQ(check_of(second.err), "tables") << second.err;

    // A daemon stopped with SIGTERM stopped cleanly too.
    {
        running_daemon daemon(dir.path() / "c.toml", dir.path() / "daemon.log");
        ASSERT_TRUE(eventually([&] { return daemon_log().find("state_check") != std::string::npos; }));
        EXPECT_EQ(check_of(daemon_log()), "tables");
        EXPECT_EQ(daemon.terminate(), 0) << read_file(dir.path() / "daemon.log");
    }
    const auto after_term = run_once();
    EXPECT_EQ(check_of(after_term.err), "tables") << after_term.err;
}

TEST_F(state_integrity, after_a_kill_or_a_day_the_whole_database_is_checked) {
    ASSERT_EQ(run_once().exit_code, 0);
    {
        running_daemon daemon(dir.path() / "c.toml", dir.path() / "daemon.log");
        ASSERT_TRUE(eventually([&] { return daemon_log().find("state_check") != std::string::npos; }));
        daemon.kill_now();
    }
    const auto after_kill = run_once();
    ASSERT_EQ(after_kill.exit_code, 0) << after_kill.err;
    EXPECT_EQ(check_of(after_kill.err), "full") << after_kill.err;
    EXPECT_NE(after_kill.err.find("the last run did not stop cleanly"), std::string::npos) << after_kill.err;
    EXPECT_EQ(check_of(run_once().err), "tables");

    // The last full check a day ago.
    const auto day_ago = std::chrono::duration_cast<std::chrono::seconds>(
                             (std::chrono::system_clock::now() - 25h).time_since_epoch())
                             .count();
    const auto set = run_command("sqlite3 " + quote(state() / "state.db") + " \"UPDATE meta SET value='" +
                                 std::to_string(day_ago) + "' WHERE key='full_check_at'\"");
    ASSERT_EQ(set.exit_code, 0) << set.err;
    const auto daily = run_once();
    EXPECT_EQ(check_of(daily.err), "full") << daily.err;
    EXPECT_NE(daily.err.find("the last full check is a day old"), std::string::npos) << daily.err;
    EXPECT_EQ(check_of(run_once().err), "tables");
}

// Damage where the small-table check does not look (the seen items, most of the file) is
// found by the full check after an unclean stop and refused as before.
TEST_F(state_integrity, damage_outside_the_small_tables_is_refused_after_an_unclean_stop) {
    ASSERT_EQ(run_once().exit_code, 0);
    const auto db = state() / "state.db";
    const auto page = run_command("sqlite3 " + quote(db) +
                                  " \"UPDATE meta SET value='0' WHERE key='clean_shutdown'; "
                                  "SELECT rootpage FROM sqlite_schema WHERE name='seen_items'\"");
    ASSERT_EQ(page.exit_code, 0) << page.err;
    const long root = std::stol(page.out);
    ASSERT_GT(root, 1);
    {
        std::fstream f(db, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(static_cast<std::streamoff>((root - 1) * 4096));
        const std::string garbage(4096, '\x5a');
        f.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
    }
    const auto refused = run_once();
    EXPECT_EQ(refused.exit_code, 2) << refused.err;
    EXPECT_NE(refused.err.find(db.string() + ": the database is damaged (quick_check: "), std::string::npos)
        << refused.err;
    EXPECT_NE(refused.err.find(".recover"), std::string::npos) << refused.err;
}

}  // namespace
}  // namespace newswatch::testing
