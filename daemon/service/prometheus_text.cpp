#include "newswatch/service/prometheus_text.hpp"

#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <type_traits>

namespace newswatch::service {

namespace {

// Shortest text that reads back as the same double; integers without a fraction.
std::string number(double value) {
    if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
    if (std::isnan(value)) return "NaN";
    char buffer[32];
    // Whole numbers as integers: %g would write 60 as 6e+01.
    if (value == std::floor(value) && std::fabs(value) < 1e15) {
        std::snprintf(buffer, sizeof buffer, "%.0f", value);
        return buffer;
    }
    std::snprintf(buffer, sizeof buffer, "%.17g", value);
    // %.17g prints 0.1 as 0.10000000000000001: prefer the shortest form that round-trips.
    for (int precision = 1; precision < 17; ++precision) {
        char shorter[32];
        std::snprintf(shorter, sizeof shorter, "%.*g", precision, value);
        if (std::strtod(shorter, nullptr) == value) return shorter;
    }
    return buffer;
}

class writer {
public:
    void family(std::string_view name, std::string_view type, std::string_view help) {
        out_ += "# HELP ";
        out_ += name;
        out_ += ' ';
        out_ += help;
        out_ += "\n# TYPE ";
        out_ += name;
        out_ += ' ';
        out_ += type;
        out_ += '\n';
    }
    void sample(std::string_view name, std::string_view labels, std::string_view value) {
        out_ += name;
        if (!labels.empty()) {
            out_ += '{';
            out_ += labels;
            out_ += '}';
        }
        out_ += ' ';
        out_ += value;
        out_ += '\n';
    }
    void sample(std::string_view name, std::string_view labels, std::uint64_t value) {
        sample(name, labels, std::to_string(value));
    }
    // A family with one unlabelled sample.
    template <class T>
    void single(std::string_view name, std::string_view type, std::string_view help, T value) {
        family(name, type, help);
        if constexpr (std::is_floating_point_v<T>)
            sample(name, {}, number(value));
        else
            sample(name, {}, static_cast<std::uint64_t>(value));
    }
    std::string take() { return std::move(out_); }

private:
    std::string out_;
};

std::string label(std::string_view name, std::string_view value) {
    return std::string(name) + "=\"" + escape_label_value(value) + "\"";
}

// A histogram family: `counts` per bucket (not cumulative) under the upper `bounds`, the
// total `count` as +Inf.
template <std::size_t N>
void histogram(writer& w, const std::string& name, std::string_view help, const std::array<double, N>& bounds,
               const std::array<std::uint64_t, N>& counts, std::uint64_t count, double sum_seconds) {
    w.family(name, "histogram", help);
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < N; ++i) {
        cumulative += counts[i];
        w.sample(name + "_bucket", label("le", number(bounds[i])), cumulative);
    }
    w.sample(name + "_bucket", label("le", "+Inf"), count);
    w.sample(name + "_sum", {}, number(sum_seconds));
    w.sample(name + "_count", {}, count);
}

}  // namespace

std::string escape_label_value(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (char c : value) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

std::string render_prometheus(const core::metrics_snapshot& s, std::string_view version) {
    writer w;
    w.family("newswatch_build_info", "gauge", "Always 1; the version label says which newswatchd answers.");
    w.sample("newswatch_build_info", label("version", version), 1);
    w.single("newswatch_start_time_seconds", "gauge", "Unix time the daemon started.", s.start_time_seconds);

    w.family("newswatch_feeds", "gauge", "Configured feeds by health state.");
    w.sample("newswatch_feeds", label("state", "ok"), s.feeds_ok);
    w.sample("newswatch_feeds", label("state", "failing"), s.feeds_failing);
    w.sample("newswatch_feeds", label("state", "silent"), s.feeds_silent);
    w.sample("newswatch_feeds", label("state", "retired"), s.feeds_retired);

    histogram(w, "newswatch_fetch_duration_seconds", "Duration of feed fetches, redirects included.",
              core::fetch_duration_buckets, s.fetch_duration_bucket_counts, s.fetch_count,
              s.fetch_duration_sum_seconds);

    w.single("newswatch_fetched_bytes_total", "counter", "Bytes received from feed servers (on the wire).",
             s.fetched_bytes);
    w.family(
        "newswatch_fetch_responses_total", "counter",
        "Fetches by the class of their final HTTP status; 304 on its own, none when no HTTP answer came.");
    for (std::size_t i = 0; i < core::response_classes.size(); ++i)
        w.sample("newswatch_fetch_responses_total", label("class", core::response_classes[i]),
                 s.responses[i]);

    w.single("newswatch_items_parsed_total", "counter", "Items read from fetched documents.", s.items_parsed);
    w.single("newswatch_items_new_total", "counter", "Items never seen before in their feed.", s.items_new);
    w.single("newswatch_items_too_old_total", "counter", "New items older than max_item_age (not matched).",
             s.items_too_old);

    w.family("newswatch_watch_matches_total", "counter", "Items a watch matched (claim filter passed).");
    for (const auto& [watch, count] : s.watch_matches)
        w.sample("newswatch_watch_matches_total", label("watch", watch), count);

    w.family("newswatch_alerts_deduplicated_total", "counter",
             "Alerts not queued because they repeat a story already alerted for the watch (dedup_window).");
    for (const auto& [watch, count] : s.alerts_deduplicated)
        w.sample("newswatch_alerts_deduplicated_total", label("watch", watch), count);
    w.family("newswatch_alerts_folded_total", "counter",
             "Alerts held back by the storm guard (storm_threshold) and listed in a storm summary instead.");
    for (const auto& [watch, count] : s.alerts_folded)
        w.sample("newswatch_alerts_folded_total", label("watch", watch), count);

    w.family("newswatch_alerts_recorded_total", "counter", "Alerts queued in the outbox, per sink.");
    for (const auto& [sink, c] : s.sinks)
        w.sample("newswatch_alerts_recorded_total", label("sink", sink), c.recorded);
    w.family("newswatch_alerts_delivered_total", "counter", "Alerts a sink accepted.");
    for (const auto& [sink, c] : s.sinks)
        w.sample("newswatch_alerts_delivered_total", label("sink", sink), c.delivered);
    w.family("newswatch_alerts_retried_total", "counter",
             "Delivery attempts that failed and were scheduled again.");
    for (const auto& [sink, c] : s.sinks)
        w.sample("newswatch_alerts_retried_total", label("sink", sink), c.retried);
    w.family("newswatch_alerts_dead_total", "counter",
             "Deliveries given up (a permanent failure, max_attempts or max_age): dead letters, kept for "
             "`newswatch alerts`.");
    for (const auto& [sink, c] : s.sinks)
        w.sample("newswatch_alerts_dead_total", label("sink", sink), c.dead);
    w.family("newswatch_websub_events_total", "counter",
             "WebSub subscriber steps: subscriptions asked, verified, denied, pushes accepted or ignored.");
    for (const auto& [event, count] : s.websub_events)
        w.sample("newswatch_websub_events_total", label("event", event), count);
    w.single("newswatch_websub_subscriptions_active", "gauge",
             "WebSub subscriptions verified by their hub and within their lease.",
             s.websub_subscriptions_active);
    w.family("newswatch_articles_total", "counter",
             "Items whose linked article was wanted (fetch_article), by outcome: used (read now), cache_hit "
             "(read from the article cache), unavailable (matched on the feed text).");
    w.sample("newswatch_articles_total", label("outcome", "used"), s.articles_used);
    w.sample("newswatch_articles_total", label("outcome", "cache_hit"), s.articles_cache_hit);
    std::uint64_t unavailable = 0;
    for (auto n : s.articles_unavailable) unavailable += n;
    w.sample("newswatch_articles_total", label("outcome", "unavailable"), unavailable);
    w.family("newswatch_articles_unavailable_total", "counter",
             "Items whose article was unavailable, by reason class.");
    for (std::size_t i = 0; i < core::article_unavailable_reasons.size(); ++i)
        w.sample("newswatch_articles_unavailable_total",
                 label("reason", core::article_unavailable_reasons[i]), s.articles_unavailable[i]);
    histogram(w, "newswatch_article_extraction_seconds",
              "Main-content extraction of one article page (HTML5 parse and scoring) on a worker.",
              core::article_extraction_buckets, s.article_extraction_bucket_counts,
              s.article_extraction_count, s.article_extraction_sum_seconds);
    w.single("newswatch_article_html_bytes_total", "counter",
             "HTML bytes of article pages the extractor read.", s.article_html_bytes);
    w.single("newswatch_article_text_bytes_total", "counter",
             "Article text bytes the extractor found in them.", s.article_text_bytes);
    w.single("newswatch_article_cache_entries", "gauge", "Article pages whose text is cached in state.db.",
             s.article_cache_entries < 0 ? 0 : s.article_cache_entries);
    w.single("newswatch_outbox_depth", "gauge", "Alert deliveries waiting in the outbox.",
             s.outbox_depth < 0 ? 0 : s.outbox_depth);

    w.single("newswatch_event_loop_lag_seconds", "gauge",
             "How late the event loop ran a timer that was due, at the last probe.",
             s.event_loop_lag_seconds);
    w.single("newswatch_worker_backlog", "gauge",
             "Fetched documents waiting for or being parsed on the workers.", s.worker_backlog);
    w.single("newswatch_process_resident_memory_bytes", "gauge", "Resident set size of the daemon.",
             s.resident_memory_bytes);
    w.single("newswatch_process_open_fds", "gauge", "Open file descriptors of the daemon.", s.open_fds);
    return w.take();
}

}  // namespace newswatch::service
