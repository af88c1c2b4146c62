#pragma once
// Groups the state changes of many polls into one SQLite transaction. A 304 or a failure
// changes only the feed's own row; a document read changes seen items and the outbox too.
// Written one transaction per poll, ten thousand feeds cost ten thousand lock cycles and
// WAL appends; grouped, a burst of polls shares one. Runs on the daemon's executor.
//
// Durability: documents (seen items + alerts) are written within `flush_delay` of being
// recorded, before any of their alerts is delivered (deliveries read the outbox); feed
// states alone within `state_flush_delay`. A crash loses at most that much; the feeds
// concerned are fetched again
// and their items, not yet marked seen, are evaluated again (alert ids are stable, so an
// alert that was already queued is not queued twice).
#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "newswatch/core/lifetime_token.hpp"
#include "newswatch/core/time.hpp"
#include "newswatch/store/state_store.hpp"

namespace newswatch::pipeline {

struct journal_options {
    std::chrono::milliseconds flush_delay{50};  // with a document queued (seen items, alerts)
    // With only feed states queued (304s, failures): losing them in a crash costs at most a
    // repeated poll, and a longer delay lets more polls share each page written.
    std::chrono::milliseconds state_flush_delay{1000};
    std::size_t max_rows = 20000;  // seen items + alerts + feed rows queued before a flush is forced
};

class state_journal {
public:
    // After each flush: whether it wrote alerts, and the feeds whose documents could not be
    // written (the caller makes them fetch again in full). Called on the executor.
    using flushed_callback =
        std::function<void(bool wrote_alerts, const std::vector<std::string>& lost_documents)>;

    // `store` must outlive the journal.
    state_journal(boost::asio::any_io_executor executor, store::state_store& store,
                  journal_options options = {});
    // Writes whatever is still queued. A flush timer or forced flush still queued on the
    // executor finds the journal gone and does nothing.
    ~state_journal();
    state_journal(const state_journal&) = delete;
    state_journal& operator=(const state_journal&) = delete;

    void on_flushed(flushed_callback callback) { on_flushed_ = std::move(callback); }

    // Queues the feed's state; a later save of the same feed replaces it.
    void save(const store::feed_state& feed);
    // Queues a document's changes (its feed state included).
    void record(store::fetch_commit document);
    // True while a document of `url` is queued: its items are not yet marked seen.
    bool has_pending_document(const std::string& url) const { return document_feeds_.contains(url); }

    // Writes everything queued in one transaction now. Never throws.
    void flush() noexcept;
    std::size_t flushes() const noexcept { return flushes_; }
    // Flushes whose transaction failed (a full disk, an I/O error).
    std::size_t failed_flushes() const noexcept { return failed_flushes_; }

private:
    void schedule(std::chrono::milliseconds delay);

    boost::asio::steady_timer timer_;
    store::state_store& store_;
    journal_options options_;
    store::write_batch batch_;
    std::unordered_map<std::string, std::size_t> state_index_;  // url -> batch_.feeds index
    std::unordered_set<std::string> document_feeds_;
    std::size_t rows_ = 0;
    bool timer_armed_ = false;
    std::chrono::steady_clock::time_point timer_deadline_{};
    std::size_t flushes_ = 0;
    std::size_t failed_flushes_ = 0;
    flushed_callback on_flushed_;
    core::lifetime_token lifetime_;  // last: expires first, before any member is destroyed
};

}  // namespace newswatch::pipeline
