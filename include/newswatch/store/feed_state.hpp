#pragma once
// What newswatch remembers about one feed between fetches and restarts. Keyed by the
// configured URL; the effective URL (after a 301/308) is stored beside it.
#include <cstdint>
#include <optional>
#include <string>

#include "newswatch/core/time.hpp"

namespace newswatch::store {

struct feed_state {
    std::string url;  // as configured: the key
    std::optional<std::string> effective_url;
    std::optional<std::string> title;  // the feed's own title, last seen
    std::string etag;           // byte-for-byte as the server sent it
    std::string last_modified;  // byte-for-byte as the server sent it
    std::optional<core::timestamp> first_fetched_at;  // first successful fetch ever
    std::optional<core::timestamp> last_fetch_at;
    std::optional<core::timestamp> last_success_at;
    std::optional<core::timestamp> last_new_item_at;
    std::optional<core::timestamp> items_seen_at;  // when the latest document was read (200, not 304)
    std::optional<core::timestamp> failing_since;
    std::optional<core::timestamp> next_poll_at;
    long last_status = 0;
    std::string last_outcome;
    std::string last_error;
    int consecutive_failures = 0;
    bool retired = false;          // HTTP 410: no more requests until `feeds reset`
    bool health_reported = false;  // a feed_health event was sent for the current trouble
    // Typical gap between new items, seconds (exponentially smoothed); 0 = unknown.
    long long publish_interval_estimate = 0;
    // How often `newswatch feeds reset` cleared this feed; a state read before a reset is
    // not written back over it (see state_store::save_feed).
    std::int64_t reset_count = 0;
};

}  // namespace newswatch::store
