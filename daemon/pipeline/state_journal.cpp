#include "newswatch/pipeline/state_journal.hpp"

#include <boost/asio/post.hpp>

#include "newswatch/core/metrics_registry.hpp"
#include "newswatch/logging/module_logger.hpp"
#include "newswatch/logging/structured_log.hpp"

namespace newswatch::pipeline {

state_journal::state_journal(boost::asio::any_io_executor executor, store::state_store& store,
                             journal_options options)
    : timer_(std::move(executor)), store_(store), options_(options) {}

state_journal::~state_journal() {
    flush();
}

void state_journal::save(const store::feed_state& feed) {
    if (auto it = state_index_.find(feed.url); it != state_index_.end()) {
        batch_.feeds[it->second] = feed;
    } else {
        state_index_.emplace(feed.url, batch_.feeds.size());
        batch_.feeds.push_back(feed);
        ++rows_;
    }
    schedule(options_.state_flush_delay);
}

void state_journal::record(store::fetch_commit document) {
    // The document carries the feed's newest state: a queued state-only row is older.
    if (auto it = state_index_.find(document.feed.url); it != state_index_.end()) {
        const std::size_t index = it->second;
        state_index_.erase(it);
        if (index + 1 != batch_.feeds.size()) {
            batch_.feeds[index] = std::move(batch_.feeds.back());
            state_index_[batch_.feeds[index].url] = index;
        }
        batch_.feeds.pop_back();
        --rows_;
    }
    rows_ += 1 + document.present_item_ids.size() + document.alerts.size() + document.stories.size() +
             document.duplicates.size();
    for (const auto& alert : document.alerts) core::metrics_registry::process().alert_recorded(alert.sink);
    document_feeds_.insert(document.feed.url);
    batch_.documents.push_back(std::move(document));
    schedule(options_.flush_delay);
}

void state_journal::schedule(std::chrono::milliseconds delay) {
    if (rows_ >= options_.max_rows) {
        // Not inline: the caller may be in the middle of its own bookkeeping.
        timer_.cancel();
        timer_armed_ = false;
        boost::asio::post(timer_.get_executor(), [this, alive = lifetime_.watch()] {
            if (!alive.expired()) flush();
        });
        return;
    }
    const auto deadline = std::chrono::steady_clock::now() + delay;
    if (timer_armed_ && timer_deadline_ <= deadline) return;  // an earlier flush is due anyway
    timer_armed_ = true;
    timer_deadline_ = deadline;
    timer_.expires_at(deadline);  // cancels a later wait: its handler sees operation_aborted
    timer_.async_wait([this, alive = lifetime_.watch()](const boost::system::error_code& ec) {
        // Cancelled (a forced flush), or the journal is gone: its timer had already expired
        // when it was destroyed, so this handler was queued with success.
        if (ec || alive.expired()) return;
        timer_armed_ = false;
        flush();
    });
}

void state_journal::flush() noexcept {
    if (batch_.documents.empty() && batch_.feeds.empty()) return;
    try {
        store::write_batch batch = std::move(batch_);
        batch_ = {};
        state_index_.clear();
        document_feeds_.clear();
        rows_ = 0;
        bool wrote_alerts = false;
        for (const auto& d : batch.documents) wrote_alerts = wrote_alerts || !d.alerts.empty();
        std::vector<std::string> lost;
        if (auto r = store_.apply(batch, core::now_utc()); !r) {
            logging::log(*logging::module_logger("pipeline"), spdlog::level::err, "writing the state failed",
                         {.event = "state_error",
                          .extra = {{"documents", batch.documents.size()},
                                    {"feed_states", batch.feeds.size()},
                                    {"error", r.err().message}}});
            wrote_alerts = false;
            ++failed_flushes_;
            for (const auto& d : batch.documents) lost.push_back(d.feed.url);
        }
        ++flushes_;
        if (on_flushed_) on_flushed_(wrote_alerts, lost);
    } catch (const std::exception& e) {
        logging::log(*logging::module_logger("pipeline"), spdlog::level::err, "writing the state failed",
                     {.event = "state_error", .extra = {{"error", e.what()}}});
    }
}

}  // namespace newswatch::pipeline
