#pragma once
// Drains the SQLite outbox into the sinks. An entry leaves the outbox only when its sink
// reported success; failures are retried with exponential backoff (30 s doubling, capped
// at 1 h). Each outcome is stored as it arrives; when that fails (a full disk) nothing more
// is handed over until it is stored, so a repeat is limited to what was in flight.
// Runs on the daemon's executor.
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <spdlog/logger.h>

#include "newswatch/config/config.hpp"
#include "newswatch/sinks/alert_sink.hpp"
#include "newswatch/store/state_store.hpp"

namespace newswatch::pipeline {

struct dispatch_counts {
    std::size_t delivered = 0;
    std::size_t failed = 0;
    std::size_t unknown_sink = 0;
};

// One sink as the dispatcher sees it: the channel (not owned) and its delivery settings.
struct sink_binding {
    sinks::alert_sink* sink = nullptr;
    config::delivery_policy policy;
};

class outbox_dispatcher {
public:
    // `sinks` by name; the dispatcher does not own them. Runs on `executor`.
    outbox_dispatcher(boost::asio::any_io_executor executor, store::state_store& store,
                      std::map<std::string, sink_binding> sinks, core::seconds alert_retention);

    // Hands every due entry to its sink once. Entries whose sink is no longer configured
    // stay in the outbox (logged once). Returns what completed inline.
    dispatch_counts drain(core::timestamp now) noexcept { return drain(now, now); }
    // As drain(now), but also entries whose retry is scheduled before `due` (--once hands
    // over everything pending, retry schedule or not).
    dispatch_counts drain(core::timestamp now, core::timestamp due) noexcept;

    // --once: hand each entry to its sink at most once in this process (no retries
    // inside the run; what failed stays pending for the next run).
    void attempt_each_once(bool on) noexcept { attempt_each_once_ = on; }

    // True when no delivery is in flight (async sinks complete later).
    bool idle() const noexcept { return in_flight_.empty(); }
    const dispatch_counts& totals() const noexcept { return totals_; }

private:
    // Writes one delivery's outcome at once (its own transaction).
    void record(store::delivery_outcome outcome) noexcept;
    // Stores the outcomes not yet stored (each delivery's at once, so that a crash repeats
    // at most the deliveries in flight); false when that failed (they are kept).
    bool write_outcomes() noexcept;

    store::state_store& store_;
    std::vector<store::delivery_outcome> outcomes_;
    boost::asio::any_io_executor executor_;
    std::map<std::string, sink_binding> sinks_;
    core::seconds alert_retention_;
    std::set<std::int64_t> in_flight_;
    std::set<std::string> reported_unknown_;
    std::set<std::int64_t> attempted_;
    bool attempt_each_once_ = false;
    dispatch_counts totals_;
    std::shared_ptr<spdlog::logger> logger_;
};

}  // namespace newswatch::pipeline
