// The state journal on a real event loop and a real SQLite file.
#include "newswatch/pipeline/state_journal.hpp"

#include <gtest/gtest.h>

#include <sqlite3.h>

#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "test_paths.hpp"

namespace newswatch::pipeline {
namespace {

using namespace std::chrono_literals;
using testing::temp_dir;

store::feed_state state_of(const std::string& url, long status) {
    store::feed_state s;
    s.url = url;
    s.last_status = status;
    return s;
}

class state_journal_test : public ::testing::Test {
protected:
    state_journal_test() : store_(std::move(store::state_store::open(dir_.path() / "state.db")).value()) {}

    long stored_status(const std::string& url) {
        auto loaded = store_.load_feed(url);
        return loaded && *loaded ? (*loaded)->last_status : -1;
    }

    temp_dir dir_;
    store::state_store store_;
    boost::asio::io_context io_;
};

TEST_F(state_journal_test, queued_states_are_written_together_after_the_delay_latest_first) {
    // The delay is long against run_for(50ms): on a busy machine that call can return late.
    state_journal journal(io_.get_executor(), store_, {.flush_delay = 1s, .state_flush_delay = 1s, .max_rows = 1000});
    int flushes = 0;
    journal.on_flushed([&](bool, const std::vector<std::string>&) { ++flushes; });
    const auto start = std::chrono::steady_clock::now();  // before the first save arms the timer
    journal.save(state_of("a", 200));
    journal.save(state_of("b", 304));
    journal.save(state_of("a", 500));   // replaces the first
    EXPECT_EQ(stored_status("a"), -1);  // nothing written yet
    io_.run_for(50ms);
    EXPECT_EQ(stored_status("a"), -1);
    io_.run_for(5s);  // returns once the flush has run: no work is left
    EXPECT_GE(std::chrono::steady_clock::now() - start, 1s);
    EXPECT_EQ(flushes, 1);
    EXPECT_EQ(stored_status("a"), 500);
    EXPECT_EQ(stored_status("b"), 304);
}

TEST_F(state_journal_test, a_document_replaces_a_queued_state_and_is_pending_until_written) {
    state_journal journal(io_.get_executor(), store_,
                          {.flush_delay = 1h, .state_flush_delay = 1h, .max_rows = 1000});
    bool alerts_written = false;
    journal.on_flushed(
        [&](bool wrote_alerts, const std::vector<std::string>&) { alerts_written = wrote_alerts; });
    journal.save(state_of("a", 304));
    store::fetch_commit doc;
    doc.feed = state_of("a", 200);
    doc.present_item_ids = {"x"};
    doc.alerts.push_back({"id", "out", "{}"});
    journal.record(doc);
    EXPECT_TRUE(journal.has_pending_document("a"));
    EXPECT_FALSE(journal.has_pending_document("b"));
    journal.flush();
    EXPECT_FALSE(journal.has_pending_document("a"));
    EXPECT_TRUE(alerts_written);
    EXPECT_EQ(stored_status("a"), 200);
    EXPECT_EQ(store_.find_new_items("a", {"x"}).value(), std::vector<bool>{false});
    EXPECT_EQ(store_.count_pending().value(), 1);
}

TEST_F(state_journal_test, feed_states_alone_wait_longer_than_a_document) {
    state_journal journal(io_.get_executor(), store_,
                          {.flush_delay = 40ms, .state_flush_delay = 5s, .max_rows = 1000});
    journal.save(state_of("a", 304));
    io_.run_for(150ms);
    EXPECT_EQ(stored_status("a"), -1);  // a 304's state may wait
    store::fetch_commit doc;
    doc.feed = state_of("b", 200);
    journal.record(doc);  // a document may not: the flush comes forward
    io_.run_for(2s);      // returns once the flush has run: no work is left
    EXPECT_EQ(stored_status("b"), 200);
    EXPECT_EQ(stored_status("a"), 304);  // written with it
    EXPECT_EQ(journal.flushes(), 1u);
}

TEST_F(state_journal_test, reaching_max_rows_writes_without_waiting_for_the_delay) {
    state_journal journal(io_.get_executor(), store_,
                          {.flush_delay = 1h, .state_flush_delay = 1h, .max_rows = 10});
    store::fetch_commit doc;
    doc.feed = state_of("a", 200);
    for (int i = 0; i < 20; ++i) doc.present_item_ids.push_back(std::to_string(i));
    journal.record(doc);
    io_.run_for(100ms);
    EXPECT_EQ(journal.flushes(), 1u);
    EXPECT_EQ(stored_status("a"), 200);
}

TEST_F(state_journal_test, a_failed_write_names_the_documents_that_were_lost) {
    state_journal journal(io_.get_executor(), store_,
                          {.flush_delay = 1h, .state_flush_delay = 1h, .max_rows = 1000});
    std::vector<std::string> lost;
    journal.on_flushed([&](bool, const std::vector<std::string>& l) { lost = l; });
    {
        sqlite3* db = nullptr;
        ASSERT_EQ(sqlite3_open((dir_.path() / "state.db").c_str(), &db), SQLITE_OK);
        ASSERT_EQ(sqlite3_exec(db, "DROP TABLE seen_items", nullptr, nullptr, nullptr), SQLITE_OK);
        sqlite3_close(db);
    }
    store::fetch_commit doc;
    doc.feed = state_of("a", 200);
    doc.present_item_ids = {"x"};
    journal.record(doc);
    journal.save(state_of("b", 304));
    journal.flush();
    EXPECT_EQ(lost, std::vector<std::string>{"a"});
    EXPECT_EQ(stored_status("b"), -1);  // all or nothing
}

TEST_F(state_journal_test, the_journal_writes_what_is_queued_when_it_ends) {
    {
        state_journal journal(io_.get_executor(), store_,
                              {.flush_delay = 1h, .state_flush_delay = 1h, .max_rows = 1000});
        journal.save(state_of("a", 304));
    }
    EXPECT_EQ(stored_status("a"), 304);
}

}  // namespace
}  // namespace newswatch::pipeline

namespace newswatch::pipeline {
namespace {

// Issue 10: a flush timer that had already expired when the journal was destroyed still
// had its handler queued with success; the next poll of the loop ran it on freed memory
// (found by ASan in daemon_once). The order below is the one that exposes it: the loop's
// reactor moves the expired timer's handler into the queue behind an already posted
// handler that destroys the journal, and a later poll runs the timer's handler.
TEST(state_journal_lifetime, a_flush_timer_that_expired_before_destruction_does_not_touch_the_journal) {
    testing::temp_dir dir;
    auto store = std::move(store::state_store::open(dir.path() / "state.db")).value();
    boost::asio::io_context io;
    auto journal = std::make_unique<state_journal>(
        io.get_executor(), store, journal_options{.flush_delay = 0ms, .state_flush_delay = 0ms});
    journal->save(state_of("a", 200));
    std::this_thread::sleep_for(20ms);  // the timer expires
    boost::asio::post(io, [&] { journal.reset(); });
    io.run_one();  // the reactor queues the timer's handler, then the posted handler runs
    EXPECT_EQ(journal, nullptr);
    io.restart();
    io.poll();  // the timer's handler: must see that the journal is gone
    auto loaded = store.load_feed("a");
    ASSERT_TRUE(loaded);
    ASSERT_TRUE(*loaded);  // the destructor wrote what was queued
    EXPECT_EQ((*loaded)->last_status, 200);
}

// The same for the flush that a full queue posts.
TEST(state_journal_lifetime, a_forced_flush_posted_before_destruction_does_not_touch_the_journal) {
    testing::temp_dir dir;
    auto store = std::move(store::state_store::open(dir.path() / "state.db")).value();
    boost::asio::io_context io;
    auto journal = std::make_unique<state_journal>(io.get_executor(), store, journal_options{.max_rows = 1});
    journal->save(state_of("a", 200));  // queue full: a flush is posted
    journal.reset();
    io.poll();
    auto loaded = store.load_feed("a");
    ASSERT_TRUE(loaded && *loaded);
    EXPECT_EQ((*loaded)->last_status, 200);
}

}  // namespace
}  // namespace newswatch::pipeline
