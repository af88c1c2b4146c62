#pragma once
// The values of every metric at one moment: what the metrics endpoint renders. Counters
// come from the metrics registry; gauges (feeds by state, outbox depth, loop lag,
// backlog, memory, fds) are filled in by whoever takes the snapshot.
#include <array>
#include <cstdint>
#include <map>
#include <string>

namespace newswatch::core {

// Upper bounds (seconds) of the fetch duration histogram's buckets; +Inf is implicit.
inline constexpr std::array<double, 10> fetch_duration_buckets = {0.05, 0.1, 0.25, 0.5, 1,
                                                                  2.5,  5,   10,   30,  60};

// Classes of the final HTTP answer of a fetch; "none" when no HTTP answer came (DNS,
// connect, TLS, timeout, refused address).
inline constexpr std::array<const char*, 6> response_classes = {"2xx", "304", "3xx", "4xx", "5xx", "none"};

struct sink_counts {
    std::uint64_t recorded = 0;   // queued in the outbox for this sink
    std::uint64_t delivered = 0;  // handed over successfully
    std::uint64_t retried = 0;    // attempts that failed and were scheduled again
    std::uint64_t dead = 0;       // given up: dead letters
};

struct metrics_snapshot {
    // Counters (since the process started).
    std::array<std::uint64_t, fetch_duration_buckets.size()>
        fetch_duration_bucket_counts{};  // not cumulative
    std::uint64_t fetch_count = 0;
    double fetch_duration_sum_seconds = 0;
    std::uint64_t fetched_bytes = 0;
    std::array<std::uint64_t, response_classes.size()> responses{};
    std::uint64_t items_parsed = 0;
    std::uint64_t items_new = 0;
    std::uint64_t items_too_old = 0;
    std::map<std::string, std::uint64_t> watch_matches;
    std::map<std::string, std::uint64_t> alerts_deduplicated;  // per watch
    std::map<std::string, std::uint64_t> alerts_folded;        // per watch: held back by the storm guard
    std::map<std::string, sink_counts> sinks;
    std::map<std::string, std::uint64_t> websub_events;  // per WebSub step (metrics_registry::websub_event)

    // Gauges.
    std::uint64_t feeds_ok = 0;
    std::uint64_t feeds_failing = 0;
    std::uint64_t feeds_silent = 0;
    std::uint64_t feeds_retired = 0;
    std::int64_t outbox_depth = 0;
    std::uint64_t websub_subscriptions_active = 0;  // verified and within their lease
    double event_loop_lag_seconds = 0;
    std::uint64_t worker_backlog = 0;
    std::uint64_t resident_memory_bytes = 0;
    std::uint64_t open_fds = 0;
    double start_time_seconds = 0;  // Unix time the process started
};

}  // namespace newswatch::core
