// Issue #16: the dispatcher delivers a run of alerts to a real file sink with one
// fdatasync and one outcome transaction per turn of the loop, and keeps every guarantee:
// each alert arrives once, a delivered alert's outcome is stored before it counts (a
// restart sends nothing again), a failed fdatasync or write retries exactly the alerts it
// did not confirm, and an ordered sink keeps detection order. Real SQLite, real files, a
// real event loop; the sink's sync hook counts fdatasync calls and SQLite's commit hook
// counts transactions.
#include "newswatch/pipeline/outbox_dispatcher.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <map>
#include <sstream>

#include <boost/asio/io_context.hpp>

#include "newswatch/sinks/file_sink.hpp"
#include "test_paths.hpp"

namespace newswatch::pipeline {
namespace {

using namespace std::chrono_literals;
using testing::temp_dir;

int syncs = 0;
int fail_sync_number = 0;  // this fdatasync (1-based) fails with EIO; 0: none
int counted_sync(int fd) {
    if (++syncs == fail_sync_number) {
        errno = EIO;
        return -1;
    }
    return ::fdatasync(fd);
}

int commits = 0;
int count_commit(void*) {
    ++commits;
    return 0;  // go ahead
}

// The line of `fail_line_number` (1-based, counted in write() calls) is cut short by a full
// disk; there is room again for the lines after it.
int writes = 0;
int fail_line_number = 0;
bool disk_full = false;
ssize_t write_with_one_full_disk(int fd, const void* data, std::size_t size) {
    if (disk_full) {
        disk_full = false;
        errno = ENOSPC;
        return -1;
    }
    if (++writes == fail_line_number) {
        disk_full = true;
        return ::write(fd, data, size / 2);
    }
    return ::write(fd, data, size);
}

class outbox_dispatcher_file_sink_test : public ::testing::Test {
protected:
    outbox_dispatcher_file_sink_test()
        : store_(std::move(store::state_store::open(dir_.path() / "state.db")).value()),
          sink_("out", io_.get_executor(), dir_.path() / "alerts.jsonl") {
        syncs = commits = writes = 0;
        fail_sync_number = fail_line_number = 0;
        disk_full = false;
        sink_.set_sync_function(&counted_sync);
        sink_.set_write_function(&write_with_one_full_disk);
    }
    ~outbox_dispatcher_file_sink_test() override {
        sqlite3_commit_hook(store_.connection(), nullptr, nullptr);
    }

    // Queues alerts "a1".."aN" for the sink, in detection order.
    void queue(int n) {
        store::fetch_commit commit;
        commit.feed.url = "https://example.org/feed";
        for (int i = 1; i <= n; ++i) {
            const std::string id = "a" + std::to_string(i);
            commit.alerts.push_back({id, "out", "{\"id\":\"" + id + "\"}", "alert", "w"});
        }
        const auto now = core::now_utc();
        commit.read_at = now;
        ASSERT_TRUE(store_.commit_fetch(commit, now));
    }

    // A dispatcher as the daemon builds it for a file sink: concurrency 64 by default.
    std::unique_ptr<outbox_dispatcher> make(bool ordered = false) {
        config::delivery_policy policy;
        policy.concurrency = ordered ? 1 : 64;
        policy.ordered = ordered;
        return std::make_unique<outbox_dispatcher>(
            io_.get_executor(), store_, std::map<std::string, sink_binding>{{"out", {&sink_, policy}}},
            core::seconds{30 * 86400});
    }

    // Drains everything due (a --once start) and runs the loop until nothing is in flight.
    void deliver(outbox_dispatcher& dispatcher) {
        dispatcher.drain(core::now_utc(), core::timestamp::max());
        const auto deadline = std::chrono::steady_clock::now() + 60s;
        while (!dispatcher.idle() && std::chrono::steady_clock::now() < deadline) io_.run_one_for(100ms);
        EXPECT_TRUE(dispatcher.idle()) << "deliveries still in flight after 60 s";
    }

    void count_commits() { sqlite3_commit_hook(store_.connection(), &count_commit, nullptr); }

    // The ids of the file's lines, in file order.
    std::vector<std::string> lines() {
        std::vector<std::string> out;
        std::istringstream in(testing::read_file(dir_.path() / "alerts.jsonl"));
        for (std::string line; std::getline(in, line);) {
            const auto open = line.find("\":\"");
            EXPECT_TRUE(line.starts_with("{\"id\":\"") && line.ends_with("\"}")) << "a broken line: " << line;
            out.push_back(line.substr(open + 3, line.size() - open - 5));
        }
        return out;
    }
    std::map<std::string, int> times_delivered() {
        std::map<std::string, int> out;
        for (const auto& id : lines()) ++out[id];
        return out;
    }

    temp_dir dir_;
    store::state_store store_;
    boost::asio::io_context io_;
    sinks::file_sink sink_;
};

TEST_F(outbox_dispatcher_file_sink_test, a_run_shares_fdatasyncs_and_outcome_transactions_and_arrives_once) {
    queue(300);
    count_commits();
    {
        auto dispatcher = make();
        deliver(*dispatcher);
        EXPECT_EQ(dispatcher->totals().delivered, 300u);
    }
    // 300 alerts in turns of 64: five fdatasyncs and five outcome transactions (it was 300
    // of each, one per alert).
    EXPECT_LE(syncs, 5);
    EXPECT_LE(commits, 5);
    const auto delivered = times_delivered();
    EXPECT_EQ(delivered.size(), 300u);
    for (const auto& [id, n] : delivered) EXPECT_EQ(n, 1) << id;
    EXPECT_EQ(store_.count_outbox().value().pending, 0);

    // Every outcome is stored: a restart delivers nothing again.
    auto restarted = make();
    deliver(*restarted);
    EXPECT_EQ(lines().size(), 300u);
}

TEST_F(outbox_dispatcher_file_sink_test, a_failed_fdatasync_retries_exactly_the_alerts_of_its_turn) {
    queue(150);
    fail_sync_number = 2;  // the second turn's: a65..a128 are written but not confirmed
    {
        auto dispatcher = make();
        deliver(*dispatcher);
        EXPECT_EQ(dispatcher->totals().delivered, 150u - 64u);
        EXPECT_EQ(dispatcher->totals().failed, 64u);
    }
    const auto counts = store_.count_outbox().value();
    EXPECT_EQ(counts.retrying, 64);
    EXPECT_EQ(counts.pending, 64);
    const auto retrying = store_.pending_outbox(core::timestamp::max());
    ASSERT_TRUE(retrying);
    for (const auto& row : *retrying) {
        const int n = std::stoi(row.entry.alert_id.substr(1));
        EXPECT_TRUE(n > 64 && n <= 128) << row.entry.alert_id << " was confirmed by a good fdatasync";
        EXPECT_EQ(row.attempts, 1);
    }

    // The restart retries them: every alert is on disk, and only those 64 are there twice.
    auto restarted = make();
    deliver(*restarted);
    EXPECT_EQ(store_.count_outbox().value().pending, 0);
    const auto delivered = times_delivered();
    EXPECT_EQ(delivered.size(), 150u);
    for (const auto& [id, n] : delivered) {
        const int number = std::stoi(id.substr(1));
        EXPECT_EQ(n, number > 64 && number <= 128 ? 2 : 1) << id;
    }
}

TEST_F(outbox_dispatcher_file_sink_test, a_line_cut_by_a_full_disk_mid_turn_is_retried_alone) {
    queue(150);
    fail_line_number = 70;  // in the second turn
    {
        auto dispatcher = make();
        deliver(*dispatcher);
        EXPECT_EQ(dispatcher->totals().delivered, 149u);
    }
    const auto pending = store_.pending_outbox(core::timestamp::max()).value();
    ASSERT_EQ(pending.size(), 1u);
    EXPECT_EQ(pending[0].entry.alert_id, "a70");

    auto restarted = make();
    deliver(*restarted);
    const auto delivered = times_delivered();  // every line parses: the half line was cut back
    EXPECT_EQ(delivered.size(), 150u);
    for (const auto& [id, n] : delivered) EXPECT_EQ(n, 1) << id;
    EXPECT_EQ(store_.count_outbox().value().pending, 0);
}

TEST_F(outbox_dispatcher_file_sink_test, an_ordered_file_sink_writes_in_detection_order) {
    queue(40);
    auto dispatcher = make(true);
    deliver(*dispatcher);
    std::vector<std::string> expected;
    for (int i = 1; i <= 40; ++i) expected.push_back("a" + std::to_string(i));
    EXPECT_EQ(lines(), expected);
    EXPECT_EQ(syncs, 40);  // one at a time: each line its own fdatasync
    EXPECT_EQ(store_.count_outbox().value().pending, 0);
}

TEST_F(outbox_dispatcher_file_sink_test,
       a_dispatcher_going_away_stores_the_outcome_of_lines_awaiting_their_sync) {
    queue(10);
    {
        auto dispatcher = make();
        dispatcher->drain(core::now_utc());
        ASSERT_EQ(lines().size(), 10u);  // written; their fdatasync is the loop's next turn
        EXPECT_EQ(syncs, 0);
    }  // a reload (SIGHUP) or shutdown destroys it here
    EXPECT_EQ(syncs, 1);
    EXPECT_EQ(store_.count_outbox().value().pending, 0);
    auto restarted = make();
    deliver(*restarted);
    EXPECT_EQ(lines().size(), 10u);
}

}  // namespace
}  // namespace newswatch::pipeline
