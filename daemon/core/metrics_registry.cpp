#include "newswatch/core/metrics_registry.hpp"

#include <algorithm>

namespace newswatch::core {

namespace {

constexpr auto relaxed = std::memory_order_relaxed;

std::size_t response_class_of(long status) {
    if (status == 304) return 1;
    if (status >= 200 && status < 300) return 0;
    if (status >= 300 && status < 400) return 2;
    if (status >= 400 && status < 500) return 3;
    if (status >= 500 && status < 600) return 4;
    return 5;
}

// One observation of a histogram: the bucket of `took` (its first upper bound at or
// above), then the count and the sum in microseconds. The bucket comes first (snapshot()).
template <std::size_t N>
void observe(std::array<std::atomic<std::uint64_t>, N>& buckets, const std::array<double, N>& bounds,
             std::atomic<std::uint64_t>& count, std::atomic<std::uint64_t>& sum_us,
             std::chrono::microseconds took) noexcept {
    const double seconds = static_cast<double>(took.count()) / 1e6;
    for (std::size_t i = 0; i < N; ++i) {
        if (seconds <= bounds[i]) {
            buckets[i].fetch_add(1, relaxed);
            break;
        }
    }
    count.fetch_add(1, relaxed);
    sum_us.fetch_add(static_cast<std::uint64_t>(std::max<long long>(0, took.count())), relaxed);
}

}  // namespace

metrics_registry& metrics_registry::process() {
    static metrics_registry registry;
    return registry;
}

void metrics_registry::fetch_finished(std::chrono::milliseconds duration, std::uint64_t wire_bytes,
                                      long http_status) noexcept {
    observe(duration_buckets_, fetch_duration_buckets, fetch_count_, duration_sum_us_,
            std::chrono::duration_cast<std::chrono::microseconds>(duration));
    fetched_bytes_.fetch_add(wire_bytes, relaxed);
    responses_[response_class_of(http_status)].fetch_add(1, relaxed);
}

void metrics_registry::items_processed(std::uint64_t parsed, std::uint64_t fresh,
                                       std::uint64_t too_old) noexcept {
    items_parsed_.fetch_add(parsed, relaxed);
    items_new_.fetch_add(fresh, relaxed);
    items_too_old_.fetch_add(too_old, relaxed);
}

std::atomic<std::uint64_t>& metrics_registry::counter_of(labelled_counters& counters,
                                                         std::string_view label) {
    std::lock_guard lock(labels_mutex_);
    auto it = counters.find(label);
    if (it == counters.end()) it = counters.try_emplace(std::string(label), 0).first;
    return it->second;
}

metrics_registry::sink_counters& metrics_registry::sink(std::string_view name) {
    std::lock_guard lock(labels_mutex_);
    auto it = sinks_.find(name);
    if (it == sinks_.end()) it = sinks_.try_emplace(std::string(name)).first;
    return it->second;
}

// The labelled updates allocate only the first time a label appears; a failed allocation
// loses one count rather than throwing into a noexcept caller.
void metrics_registry::watch_matched(std::string_view watch) noexcept {
    try {
        counter_of(watch_matches_, watch).fetch_add(1, relaxed);
    } catch (...) {
    }
}

void metrics_registry::alert_folded(std::string_view watch) noexcept {
    try {
        counter_of(watch_folded_, watch).fetch_add(1, relaxed);
    } catch (...) {
    }
}

void metrics_registry::alert_deduplicated(std::string_view watch) noexcept {
    try {
        counter_of(watch_duplicates_, watch).fetch_add(1, relaxed);
    } catch (...) {
    }
}

void metrics_registry::alert_recorded(std::string_view name) noexcept {
    try {
        sink(name).recorded.fetch_add(1, relaxed);
    } catch (...) {
    }
}

void metrics_registry::alert_delivered(std::string_view name) noexcept {
    try {
        sink(name).delivered.fetch_add(1, relaxed);
    } catch (...) {
    }
}

void metrics_registry::alert_retried(std::string_view name) noexcept {
    try {
        sink(name).retried.fetch_add(1, relaxed);
    } catch (...) {
    }
}

void metrics_registry::alert_dead(std::string_view name) noexcept {
    try {
        sink(name).dead.fetch_add(1, relaxed);
    } catch (...) {
    }
}

void metrics_registry::websub_event(std::string_view event) noexcept {
    try {
        std::lock_guard lock(labels_mutex_);
        auto it = websub_events_.find(event);
        if (it == websub_events_.end()) it = websub_events_.try_emplace(std::string(event), 0).first;
        it->second.fetch_add(1, relaxed);
    } catch (...) {
    }
}

void metrics_registry::article_used(bool from_cache) noexcept {
    (from_cache ? articles_cache_hit_ : articles_used_).fetch_add(1, relaxed);
}

void metrics_registry::article_unavailable(std::string_view reason_class) noexcept {
    for (std::size_t i = 0; i < article_unavailable_reasons.size(); ++i)
        if (reason_class == article_unavailable_reasons[i]) articles_unavailable_[i].fetch_add(1, relaxed);
}

void metrics_registry::article_extracted(std::chrono::microseconds took, std::uint64_t html_bytes,
                                         std::uint64_t text_bytes) noexcept {
    observe(extraction_buckets_, article_extraction_buckets, extraction_count_, extraction_sum_us_, took);
    article_html_bytes_.fetch_add(html_bytes, relaxed);
    article_text_bytes_.fetch_add(text_bytes, relaxed);
}

metrics_snapshot metrics_registry::snapshot() const {
    metrics_snapshot s;
    for (std::size_t i = 0; i < duration_buckets_.size(); ++i)
        s.fetch_duration_bucket_counts[i] = duration_buckets_[i].load(relaxed);
    // A fetch counts its bucket before the total: read while one is being counted, the
    // buckets may be ahead, and the total (+Inf) must never be below them.
    std::uint64_t bucketed = 0;
    for (auto c : s.fetch_duration_bucket_counts) bucketed += c;
    s.fetch_count = std::max(fetch_count_.load(relaxed), bucketed);
    s.fetch_duration_sum_seconds = static_cast<double>(duration_sum_us_.load(relaxed)) / 1e6;
    s.fetched_bytes = fetched_bytes_.load(relaxed);
    for (std::size_t i = 0; i < responses_.size(); ++i) s.responses[i] = responses_[i].load(relaxed);
    s.items_parsed = items_parsed_.load(relaxed);
    s.items_new = items_new_.load(relaxed);
    s.items_too_old = items_too_old_.load(relaxed);
    s.articles_used = articles_used_.load(relaxed);
    s.articles_cache_hit = articles_cache_hit_.load(relaxed);
    for (std::size_t i = 0; i < articles_unavailable_.size(); ++i)
        s.articles_unavailable[i] = articles_unavailable_[i].load(relaxed);
    std::uint64_t extracted = 0;
    for (std::size_t i = 0; i < extraction_buckets_.size(); ++i)
        extracted += s.article_extraction_bucket_counts[i] = extraction_buckets_[i].load(relaxed);
    s.article_extraction_count = std::max(extraction_count_.load(relaxed), extracted);
    s.article_extraction_sum_seconds = static_cast<double>(extraction_sum_us_.load(relaxed)) / 1e6;
    s.article_html_bytes = article_html_bytes_.load(relaxed);
    s.article_text_bytes = article_text_bytes_.load(relaxed);
    std::lock_guard lock(labels_mutex_);
    for (const auto& [name, count] : watch_matches_) s.watch_matches[name] = count.load(relaxed);
    for (const auto& [name, count] : watch_duplicates_) s.alerts_deduplicated[name] = count.load(relaxed);
    for (const auto& [name, count] : websub_events_) s.websub_events[name] = count.load(relaxed);
    for (const auto& [name, count] : watch_folded_) s.alerts_folded[name] = count.load(relaxed);
    for (const auto& [name, c] : sinks_)
        s.sinks[name] = {c.recorded.load(relaxed), c.delivered.load(relaxed), c.retried.load(relaxed),
                         c.dead.load(relaxed)};
    return s;
}

}  // namespace newswatch::core
