#pragma once
// Runtime description of what the pipeline monitors; app builds it from the configuration
// (the pipeline never reads files).
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "newswatch/core/time.hpp"
#include "newswatch/http/fetch_types.hpp"
#include "newswatch/fetcher/poll_schedule.hpp"

namespace newswatch::pipeline {

struct feed_definition {
    std::string url;  // as configured: the key for state and alert ids
    std::optional<std::string> title;  // configured display title (overrides the feed's own)
    core::seconds interval{300};
    http::fetch_request request;  // template: headers, auth, proxy, TLS, limits (url filled per fetch)
};

struct claim_filter {
    std::string claim;
    std::vector<std::string> stances;  // labels that alert
    double min_confidence = 0.0;
};

struct watch_binding {
    std::string name;
    std::vector<std::string> sinks;  // sink names (never empty: default_sinks applied)
    std::optional<claim_filter> claim;
    std::string priority = "default";  // copied into each alert (core::alert::priority)
    bool urgent = false;
};

struct pipeline_options {
    core::seconds max_item_age{48 * 3600};
    core::seconds seen_retention{30 * 86400};
    bool mark_seen_on_first_fetch = false;  // on_first_fetch = "mark_seen"
    // [daemon] max_item_text: the text of one item that is matched (and classified) is cut
    // to this many bytes; the feed monitor logs a warning for every cut item.
    std::size_t max_item_text = 256 * 1024;
    // [daemon] dedup_window: an alert that repeats a story alerted for the same watch this
    // recently is recorded as a duplicate source instead of delivered; 0 turns it off.
    core::seconds dedup_window{86400};
    // [daemon] dedup_threshold: the MinHash similarity of title + lede from which two items
    // are one story (docs/BENCHMARKS.md, "Deduplication").
    double dedup_threshold = 0.5;
    // Where feed_health events go (failing, silent, retired, recovered).
    std::vector<std::string> health_sinks;
    // Fetched documents waiting for or in parsing and matching, at most; while the backlog
    // is full no new fetch starts, so fast fetching cannot pile documents up in memory.
    std::size_t processing_backlog = 16;
    // Scheduling and health policy; `interval` is replaced by each feed's own.
    fetcher::schedule_options schedule;
    // A round summary (polls, failures, new items, alerts since the last one) is logged at
    // info this often; 0 turns it off. Checked by the 5 s housekeeping pass.
    core::seconds summary_interval{900};
    // --once: how long failed deliveries are retried after the round ([daemon] once_timeout).
    core::seconds once_timeout{60};
};

}  // namespace newswatch::pipeline
