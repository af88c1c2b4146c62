#pragma once
// The daemon's counters. Cheap and thread-safe: the event loop and the worker threads
// update them with relaxed atomic increments; a labelled counter (per watch, per sink) is
// found under a mutex once per update, which is far rarer than a fetch. The metrics
// endpoint reads them all with snapshot().
//
// One registry per process (process()): the counters are the process's, like its RSS,
// and outlive the configuration generations that SIGHUP swaps.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "newswatch/core/metrics_snapshot.hpp"

namespace newswatch::core {

class metrics_registry {
public:
    static metrics_registry& process();

    // One fetch ended: its duration, bytes received on the wire and final HTTP status
    // (0 when no HTTP answer came).
    void fetch_finished(std::chrono::milliseconds duration, std::uint64_t wire_bytes,
                        long http_status) noexcept;
    // One document read: items in it, how many were new, how many of those too old.
    void items_processed(std::uint64_t parsed, std::uint64_t fresh, std::uint64_t too_old) noexcept;
    void watch_matched(std::string_view watch) noexcept;
    void alert_recorded(std::string_view sink) noexcept;
    // An alert of `watch` not queued: it repeats a story already alerted (dedup_window).
    void alert_deduplicated(std::string_view watch) noexcept;
    // An alert of `watch` held back by the storm guard: a storm summary lists it.
    void alert_folded(std::string_view watch) noexcept;
    void alert_delivered(std::string_view sink) noexcept;
    void alert_retried(std::string_view sink) noexcept;
    void alert_dead(std::string_view sink) noexcept;
    // A WebSub step: "subscribe_sent", "subscribe_failed", "verified", "denied",
    // "unknown_verification", "push_accepted", "push_bad_signature", "unsubscribed", ...
    void websub_event(std::string_view event) noexcept;
    // Full-article fetching, once per item whose article was wanted: used (read now, or
    // from the cache) or unavailable for a reason of article_unavailable_reasons (another
    // name counts nowhere).
    void article_used(bool from_cache) noexcept;
    void article_unavailable(std::string_view reason_class) noexcept;
    // The extractor read one page: how long it took, HTML bytes in, text bytes out.
    void article_extracted(std::chrono::microseconds took, std::uint64_t html_bytes,
                           std::uint64_t text_bytes) noexcept;

    // The counters; gauges are left at zero.
    metrics_snapshot snapshot() const;

private:
    struct sink_counters {
        std::atomic<std::uint64_t> recorded{0}, delivered{0}, retried{0}, dead{0};
    };
    // std::map: the address of a counter never changes once created.
    using labelled_counters = std::map<std::string, std::atomic<std::uint64_t>, std::less<>>;
    // The counter of `label` in `counters`, added at zero the first time.
    std::atomic<std::uint64_t>& counter_of(labelled_counters& counters, std::string_view label);
    sink_counters& sink(std::string_view name);

    std::array<std::atomic<std::uint64_t>, fetch_duration_buckets.size()> duration_buckets_{};
    std::atomic<std::uint64_t> fetch_count_{0};
    std::atomic<std::uint64_t> duration_sum_us_{0};
    std::atomic<std::uint64_t> fetched_bytes_{0};
    std::array<std::atomic<std::uint64_t>, response_classes.size()> responses_{};
    std::atomic<std::uint64_t> items_parsed_{0}, items_new_{0}, items_too_old_{0};
    mutable std::mutex labels_mutex_;
    labelled_counters watch_matches_;
    labelled_counters watch_duplicates_;
    labelled_counters watch_folded_;
    std::map<std::string, sink_counters, std::less<>> sinks_;
    std::map<std::string, std::atomic<std::uint64_t>, std::less<>> websub_events_;
    std::atomic<std::uint64_t> articles_used_{0}, articles_cache_hit_{0};
    std::array<std::atomic<std::uint64_t>, article_unavailable_reasons.size()> articles_unavailable_{};
    std::array<std::atomic<std::uint64_t>, article_extraction_buckets.size()> extraction_buckets_{};
    std::atomic<std::uint64_t> extraction_count_{0}, extraction_sum_us_{0};
    std::atomic<std::uint64_t> article_html_bytes_{0}, article_text_bytes_{0};
};

}  // namespace newswatch::core
