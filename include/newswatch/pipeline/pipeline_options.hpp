#pragma once
// Runtime description of what the pipeline monitors; app builds it from the configuration
// (the pipeline never reads files).
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "newswatch/core/time.hpp"
#include "newswatch/fetcher/fetch_types.hpp"

namespace newswatch::pipeline {

struct feed_definition {
    std::string url;  // as configured: the key for state and alert ids
    std::optional<std::string> title;  // configured display title (overrides the feed's own)
    core::seconds interval{300};
    fetcher::fetch_request request;  // template: headers, auth, proxy, TLS, limits (url filled per fetch)
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
};

struct pipeline_options {
    core::seconds max_item_age{48 * 3600};
    core::seconds seen_retention{30 * 86400};
    bool mark_seen_on_first_fetch = false;  // on_first_fetch = "mark_seen"
    // Feed health: a feed failing this long (or retired) sends a feed_health event here.
    core::seconds feed_health_after{24 * 3600};
    std::vector<std::string> health_sinks;
    core::seconds min_interval{60};   // never poll a feed more often than this
    core::seconds max_backoff{6 * 3600};
};

}  // namespace newswatch::pipeline
