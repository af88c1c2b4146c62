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

}  // namespace
}  // namespace newswatch::testing
