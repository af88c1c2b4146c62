#pragma once
// Drains the SQLite outbox into the sinks, each sink by its own delivery policy
// (docs/CONFIG.md "Delivery"): at most `concurrency` deliveries in flight, a token-bucket
// `rate`, exponential backoff with full jitter between `retry_initial` and `retry_max`
// (at least what a Retry-After asked for), dead letters for permanent failures and past
// `max_attempts` / `max_age`, and with `ordered` strictly one at a time in detection order.
//
// What goes as one message (issue #13): with the policy's `group`, the rows of one item
// (outbox group_key) as an alert_group; with a digest or quiet hours, every alert whose
// release time has come as one digest; urgent alerts go at once. A message's outcome is
// every row's outcome.
//
// Outcomes are stored before anything more is handed over, those that arrive in the same
// turn of the loop in one transaction (a file sink's group commit, issue #16); until then
// the delivery keeps its slot and its rows count as in flight. When storing fails (a full
// disk) nothing more is handed over until they are stored, so a crash repeats at most what
// was in flight: `concurrency` deliveries per sink. All the
// state that matters is in SQLite; what is kept in memory (in-flight rows, tokens, the
// --once bookkeeping) is rebuilt empty after a restart.
//
// Runs on the daemon's executor. Completions that arrive after the dispatcher is gone are
// ignored (a lifetime token): the row stays pending and is delivered again after a restart.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <spdlog/logger.h>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "newswatch/config/config.hpp"
#include "newswatch/core/lifetime_token.hpp"
#include "newswatch/pipeline/delivery_calendar.hpp"
#include "newswatch/sinks/alert_sink.hpp"
#include "newswatch/store/state_store.hpp"

namespace newswatch::pipeline {

struct dispatch_counts {
    std::size_t delivered = 0;
    std::size_t failed = 0;  // attempts that failed and were scheduled again
    std::size_t dead = 0;
    std::size_t unknown_sink = 0;
};

// One sink as the dispatcher sees it: the channel (not owned) and its delivery settings.
struct sink_binding {
    sinks::alert_sink* sink = nullptr;
    config::delivery_policy policy;
};

// What a --once run leaves behind (the exit code of newswatchd --once).
struct once_outcome {
    std::size_t still_pending = 0;  // attempted in this run and neither delivered nor dead
    std::size_t dead = 0;           // became dead letters in this run
};

class outbox_dispatcher {
public:
    // `sinks` by name; the dispatcher does not own them, and they must outlive it. Runs on
    // `executor`.
    outbox_dispatcher(boost::asio::any_io_executor executor, store::state_store& store,
                      std::map<std::string, sink_binding> sinks, core::seconds alert_retention);
    // Flushes the sinks (alert_sink::flush) and stores the outcomes that arrive.
    ~outbox_dispatcher();
    outbox_dispatcher(const outbox_dispatcher&) = delete;
    outbox_dispatcher& operator=(const outbox_dispatcher&) = delete;

    // Hands due entries to their sinks as far as each sink's policy allows; more follow as
    // deliveries complete and tokens arrive. Entries whose sink is no longer configured stay
    // in the outbox (logged once). Returns what completed inline.
    dispatch_counts drain(core::timestamp now) noexcept { return drain(now, now); }
    // As drain(now), but also entries not yet attempted in this process whose retry is
    // scheduled before `due` (--once hands over everything an earlier run left pending).
    dispatch_counts drain(core::timestamp now, core::timestamp due) noexcept;

    // --once: failed deliveries are retried within the run after 1 s, doubling (capped by
    // the sink's retry_max), instead of the sink's retry_initial.
    void set_once_mode(bool on) noexcept { once_mode_ = on; }
    // --once: what this process's attempts left behind.
    once_outcome once_result() const;

    // Drops delivered and dead entries older than alert_retention.
    void prune(core::timestamp now) noexcept;

    // True when no delivery is in flight (async sinks complete later) or waits for its
    // outcome to be stored.
    bool idle() const noexcept { return in_flight_.empty(); }
    const dispatch_counts& totals() const noexcept { return totals_; }

    // Shutdown: every sink aborts what it has in flight (their rows stay pending).
    void cancel_all() noexcept;

private:
    // The rows that go as one message, and the message.
    struct delivery_batch {
        std::vector<store::outbox_row> rows;
        std::string event;
        std::string id;
        std::string payload;
    };

    struct sink_state {
        std::size_t in_flight = 0;
        double tokens = 0;  // the rate's bucket; refilled by time
        std::chrono::steady_clock::time_point refilled_at{};
        bool bucket_started = false;
    };

    void drain_pass(core::timestamp now, core::timestamp due, dispatch_counts& counts);
    void drain_sink(const std::string& name, sink_binding& binding, core::timestamp now, core::timestamp due);
    // The rows of `name` that may be tried now (not in flight, due, past this process's own
    // backoff), oldest first; at least `wanted` of them when there are.
    std::vector<store::outbox_row> candidates(const std::string& name, const sink_binding& binding,
                                              core::timestamp due, std::size_t wanted);
    // Forms the messages of `rows` by the sink's grouping, digest and quiet hours; rows
    // still held back arm the wake timer for their release.
    std::vector<delivery_batch> batches_of(const std::string& name, const sink_binding& binding,
                                           std::vector<store::outbox_row> rows, core::timestamp now);
    bool take_token(const sink_binding& binding, sink_state& state);
    void start(const std::string& name, sink_binding& binding, delivery_batch batch);
    void finished(const std::string& sink, const config::delivery_policy& policy, const delivery_batch& batch,
                  sinks::delivery_result result) noexcept;
    core::seconds retry_delay(const config::delivery_policy& policy, int attempts,
                              std::optional<core::seconds> retry_after);
    void report_unknown_sinks() noexcept;
    // Writes the outcomes not yet stored and frees their slots; false when that failed
    // (they are kept, and nothing is handed over until they are stored).
    bool write_outcomes() noexcept;
    void release_settled() noexcept;
    // After a completion: its outcome is stored by the drain that is running, or by one
    // posted drain for every completion of this turn.
    void store_settled_later() noexcept;
    void wake_at(std::chrono::steady_clock::time_point at) noexcept;
    void wake_at(core::timestamp at) noexcept;  // a release time (digest, quiet hours)

    store::state_store& store_;
    boost::asio::any_io_executor executor_;
    std::map<std::string, sink_binding> sinks_;
    std::map<std::string, sink_state> states_;
    std::map<std::string, delivery_calendar> calendars_;  // sinks with a digest or quiet hours
    core::seconds alert_retention_;
    // Outcomes not yet stored, and the deliveries they free once stored.
    std::vector<store::delivery_outcome> outcomes_;
    struct settled_delivery {
        sink_state* state;
        std::vector<std::int64_t> rows;
    };
    std::vector<settled_delivery> settled_;
    bool outcomes_unstored_ = false;  // storing them failed: deliveries pause
    bool store_posted_ = false;
    bool closing_ = false;
    std::set<std::int64_t> in_flight_;  // handed over, outcome not yet stored
    // Rows that failed in this process, with the moment they may be tried again: a --once
    // drain that ignores the stored schedule must still respect the run's own backoff.
    // The stored next attempt is kept too: when it changed (`newswatch alerts retry`), the
    // store wins.
    struct retry_hold {
        std::chrono::steady_clock::time_point not_before;
        core::timestamp stored_next_attempt;
    };
    std::map<std::int64_t, retry_hold> retry_not_before_;
    // --once bookkeeping: rows attempted in this process and whether they are finished.
    std::map<std::int64_t, bool> attempted_;
    std::size_t dead_in_run_ = 0;
    bool once_mode_ = false;
    bool draining_ = false;
    bool drain_again_ = false;
    std::set<std::string> reported_unknown_;
    std::chrono::steady_clock::time_point unknown_checked_at_{};
    std::unique_ptr<boost::asio::steady_timer> wake_timer_;
    std::chrono::steady_clock::time_point wake_at_ = std::chrono::steady_clock::time_point::max();
    std::uint64_t wake_generation_ = 0;
    std::minstd_rand jitter_;
    dispatch_counts totals_;
    std::shared_ptr<spdlog::logger> logger_;
    core::lifetime_token lifetime_;
};

}  // namespace newswatch::pipeline
