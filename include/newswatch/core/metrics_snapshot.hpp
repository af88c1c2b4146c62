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

// Upper bounds (seconds) of the article extraction histogram (one page's HTML5 parse and
// scoring on a worker); +Inf is implicit.
inline constexpr std::array<double, 9> article_extraction_buckets = {0.001, 0.0025, 0.005, 0.01, 0.025,
                                                                     0.05,  0.1,    0.25,  1};

// Why an item's article was unavailable, by class (docs/OPERATIONS.md): HTTP 4xx, 5xx or
// another status; timeout; body or headers over the limit; refused (SSRF guard, redirect,
// bad URL); network (DNS, connect, TLS, reset, bad encoding); not an HTML page; no
// article text found; the extractor failed; the item has no link; over
// max_articles_per_fetch; cancelled (the daemon stopped).
inline constexpr std::array<const char*, 13> article_unavailable_reasons = {
    "http_4xx", "http_5xx", "http_other",        "timeout", "too_large",  "refused",  "network",
    "not_html", "no_text",  "extraction_failed", "no_link", "over_limit", "cancelled"};

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
    // Full-article fetching: items whose article was wanted, by what came of it.
    std::uint64_t articles_used = 0;       // fetched and read now
    std::uint64_t articles_cache_hit = 0;  // read from the article cache, no request
    std::array<std::uint64_t, article_unavailable_reasons.size()> articles_unavailable{};  // by reason class
    // Pages the extractor read: time per page (buckets not cumulative), HTML in, text out.
    std::array<std::uint64_t, article_extraction_buckets.size()> article_extraction_bucket_counts{};
    std::uint64_t article_extraction_count = 0;
    double article_extraction_sum_seconds = 0;
    std::uint64_t article_html_bytes = 0;
    std::uint64_t article_text_bytes = 0;

    // Gauges.
    std::uint64_t feeds_ok = 0;
    std::uint64_t feeds_failing = 0;
    std::uint64_t feeds_silent = 0;
    std::uint64_t feeds_retired = 0;
    std::int64_t outbox_depth = 0;
    std::uint64_t websub_subscriptions_active = 0;  // verified and within their lease
    std::int64_t article_cache_entries = 0;         // pages whose text is cached in state.db
    double event_loop_lag_seconds = 0;
    std::uint64_t worker_backlog = 0;
    std::uint64_t resident_memory_bytes = 0;
    std::uint64_t open_fds = 0;
    double start_time_seconds = 0;  // Unix time the process started
};

}  // namespace newswatch::core
