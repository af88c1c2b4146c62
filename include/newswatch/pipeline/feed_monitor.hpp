#pragma once
// Polls every feed on one executor: a coroutine per feed (wait -> fetch -> process ->
// deliver), feed state and health bookkeeping, periodic pruning. Owns nothing it is given.
// Each feed's state is read from the store once, when the monitor starts, and kept in
// memory; changes go to the store through the state journal. A `newswatch feeds reset`
// made while the monitor runs is noticed by the housekeeping pass (every 5 s).
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <spdlog/logger.h>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "newswatch/http/http_client.hpp"
#include "newswatch/pipeline/item_processor.hpp"
#include "newswatch/pipeline/outbox_dispatcher.hpp"
#include "newswatch/pipeline/pipeline_options.hpp"
#include "newswatch/pipeline/state_journal.hpp"
#include "newswatch/store/state_store.hpp"

namespace newswatch::pipeline {

struct round_totals {
    std::size_t feeds = 0;
    std::size_t fetched_ok = 0;
    std::size_t not_modified = 0;
    std::size_t failed = 0;
    std::size_t new_items = 0;
    std::size_t alerts = 0;
};

// WebSub (issue #16 item 3), wired by the daemon: the subscriber learns of every document
// read, and a feed whose content is pushed is polled seldom, as a safety net.
struct websub_hooks {
    // A document of the feed was read at `fetched_url` (its hubs may be there).
    std::function<void(const std::string& feed_url, const std::string& fetched_url,
                       const core::feed_meta& document, const std::vector<std::string>& link_headers)>
        on_document;
    // True while the feed's content is pushed (a verified subscription within its lease).
    std::function<bool(const std::string& feed_url)> pushed;
    // The poll interval of a pushed feed (websub_poll_interval), unless its own is longer.
    core::seconds pushed_interval{3600};
};

struct feed_health_counts {
    std::size_t ok = 0;
    std::size_t failing = 0;  // the last poll failed (backing off)
    std::size_t silent = 0;   // reported silent and still without failures
    std::size_t retired = 0;  // HTTP 410: not polled until `feeds reset`
};

class feed_monitor {
public:
    // Everything referenced must outlive the monitor. Construct, use and destroy on
    // `executor`'s (single) thread.
    feed_monitor(boost::asio::any_io_executor executor, http::http_client& client, item_processor& processor,
                 outbox_dispatcher& dispatcher, store::state_store& store, state_journal& journal,
                 std::vector<feed_definition> feeds, const pipeline_options& options);
    ~feed_monitor();

    // --once: fetch every non-retired feed now (no intervals, jitter, backoff, cache hints
    // or fetch retries), process, deliver the outbox (including alerts left by an earlier
    // run) retrying failed deliveries until each is delivered or dead or once_timeout runs
    // out, then call `done` on the executor.
    void run_once(std::function<void(const round_totals&)> done);

    // Daemon mode: poll each feed at its interval until stop().
    void start();
    // Cancels timers and transfers; coroutines end promptly.
    void stop();
    // As stop(), then calls `on_stopped` on the executor once every coroutine has ended, so
    // the monitor (and what it references) may be destroyed from there (config reload).
    void stop(std::function<void()> on_stopped);

    // Executor thread; before start(). Empty hooks: no WebSub.
    void set_websub(websub_hooks hooks) { websub_ = std::move(hooks); }
    // Content a WebSub hub pushed for the configured feed `feed_url`: parsed, matched and
    // queued exactly as a fetched document (the same item processor, seen items and
    // dedup), after any poll of the feed in progress, so an item alerts once whichever way
    // it comes. Feed scheduling and validators are not touched. Executor thread; ignored
    // for unknown feeds, before start() and once stopping.
    void push(const std::string& feed_url, std::string body, std::string content_type);

    const round_totals& totals() const noexcept { return totals_; }
    // Feeds by health, from the in-memory states (metrics endpoint; on the executor).
    feed_health_counts health_counts() const noexcept;
    // Fetched documents waiting for or being parsed and matched on the workers.
    std::size_t backlog() const noexcept { return backlog_; }
    // Each configured feed's current state (the in-memory copy the store lags behind), in
    // the order of the definitions; for status reports. Read on the executor.
    const std::vector<store::feed_state>& states() const noexcept { return states_; }

private:
    // Reads every feed's stored state into states_ (one query).
    void load_states();
    // Feeds reset by `newswatch feeds reset` since their state was read: reload and poll now.
    void apply_resets();
    void spawn_poll_loop(std::size_t index);
    void coroutine_finished(std::exception_ptr error);
    // Every coroutine has ended after stop(): write what the journal holds, tell on_stopped_.
    void all_stopped();
    boost::asio::awaitable<void> poll_loop(std::size_t index);
    boost::asio::awaitable<void> housekeeping_loop();
    boost::asio::awaitable<void> process_pushed(std::size_t index, std::string body,
                                                std::string content_type);
    // One fetch + process + state update; returns the delay until the next poll, or nullopt
    // when there is none (stopped, cancelled, or the feed was retired).
    boost::asio::awaitable<std::optional<core::seconds>> poll_once(std::size_t index, bool once_mode);
    // processor_.process, counted in backlog_ (the HTTP client's start gate) while it runs.
    boost::asio::awaitable<core::result<process_summary>> process_in_backlog(
        const feed_definition& feed, store::feed_state& state, const http::fetch_response& response,
        core::timestamp now);
    // The round summary at info: what happened since the last one (summary_interval).
    void log_summary();
    void report_health(const feed_definition& feed, const store::feed_state& state, const std::string& kind,
                       const std::string& reason, core::timestamp now);

    boost::asio::any_io_executor executor_;
    http::http_client& client_;
    item_processor& processor_;
    outbox_dispatcher& dispatcher_;
    store::state_store& store_;
    state_journal& journal_;
    std::vector<feed_definition> feeds_;
    std::vector<store::feed_state> states_;  // per feed, the authoritative copy while running
    std::vector<bool> polling_;              // per feed: its poll loop is running
    // Per feed: a poll or a pushed document is being handled; a push waits for it to end.
    std::vector<char> busy_;
    websub_hooks websub_;
    std::unordered_map<std::string, std::size_t> index_of_;
    // Feeds whose document could not be written, fetched in full until one is; the value
    // says whether a document of the feed was recorded since (the next write settles it).
    std::unordered_map<std::size_t, bool> refetch_;
    const pipeline_options& options_;
    std::vector<std::unique_ptr<boost::asio::steady_timer>> timers_;
    std::unique_ptr<boost::asio::steady_timer> housekeeping_timer_;
    bool stopping_ = false;
    bool started_ = false;     // start() ran: states are loaded (push needs them)
    std::size_t active_ = 0;   // coroutines running

    // run_once(): the feeds still to poll. At most max(once_window, 4 x max_connections)
    // polls run at a time, the next starting as one ends: 10,000 coroutine frames at once
    // were a fifth of a warm 10,000-feed round in page faults alone, and the HTTP client
    // runs at most `max_connections` (64 by default) transfers anyway.
    struct once_queue {
        std::vector<std::size_t> feeds;
        std::size_t next = 0;       // feeds[next] is the next to start
        std::size_t remaining = 0;  // started and not finished, plus not started
        std::function<void()> finish;
    };
    static constexpr std::size_t once_window = 512;
    void spawn_once_poll(const std::shared_ptr<once_queue>& queue);

    // Pruning the seen items scans all of them (schema 9 keeps no index for it): at most
    // every ten minutes, the daemon's housekeeping and --once runs alike. The time of the
    // last prune is kept in the database's meta table, so --once from a timer every minute
    // scans once in ten runs (the scan was 2-4 % of a warm 10,000-feed round).
    static constexpr auto seen_prune_every = std::chrono::minutes(10);
    static constexpr const char* seen_pruned_at_key = "seen_pruned_at";
    bool seen_prune_due(core::timestamp now);
    void prune_seen_items(core::timestamp now);
    std::size_t backlog_ = 0;  // fetched documents not yet processed
    std::function<void()> on_stopped_;
    round_totals totals_;
    round_totals summary_base_;  // totals_ at the last round summary
    std::size_t summary_delivered_base_ = 0;
    std::shared_ptr<spdlog::logger> logger_;  // looked up once: spdlog::get takes a lock
};

}  // namespace newswatch::pipeline
