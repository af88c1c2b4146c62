#pragma once
// When to poll a feed next and whether it is healthy: a pure policy (no Asio, no clock, no
// randomness of its own), called by the pipeline after every fetch. The caller persists the
// returned `schedule_state` (six plain fields) and passes it back next time.
//
// Policy, in order:
//   success (ok / not_modified): the feed's interval, or with `adaptive` half the observed
//     gap between new items within [adaptive_min, adaptive_max]; then the server's hints
//     may only lengthen it: Cache-Control max-age / Expires and RSS <ttl>, each capped at
//     `max_hint`.
//   failure: interval x 2^(failures-1), capped at `max_backoff` (never below the interval);
//     Retry-After (seconds or HTTP-date) lengthens it, capped at `max_hint`. HTTP 410
//     retires the feed. `cancelled` is not the feed's fault: no backoff.
//   then +-`jitter` (a fraction) so feeds configured together drift apart, never below a
//   server's Retry-After; then the floor `min_interval`; then past RSS <skipHours> /
//   <skipDays> (UTC); at most `max_poll_delay` in all.
//   health: `failing` once a feed has failed for `failing_after`; `silent` once a feed that
//   publishes every G seconds has published nothing for max(silent_factor x G, silent_min);
//   `retired` on 410. Each is reported once (report_health), and so is the recovery.
#include <cstdint>
#include <optional>
#include <string>

#include "newswatch/core/item.hpp"
#include "newswatch/core/time.hpp"
#include "newswatch/http/fetch_types.hpp"

namespace newswatch::fetcher {

// The longest wait between two polls of a feed. Configuration caps every duration far
// below it; the cap keeps an Asio timer (which counts nanoseconds in 64 bits, ~292 years)
// from overflowing into a wait in the past, which polled a "1000000d" feed in a loop.
inline constexpr core::seconds max_poll_delay = std::chrono::days(366);

struct schedule_options {
    core::seconds interval{300};     // the feed's own interval (daemon.interval by default)
    core::seconds min_interval{60};  // the floor: never poll more often than this
    double jitter = 0.1;             // +- this fraction of the delay
    core::seconds max_backoff{6 * 3600};
    core::seconds max_hint{24 * 3600};  // cap on max-age, <ttl> and Retry-After
    bool adaptive = false;              // follow the feed's publishing rhythm
    core::seconds adaptive_min{300};
    core::seconds adaptive_max{3 * 3600};
    core::seconds failing_after{24 * 3600};   // feed health: failing this long
    double silent_factor = 10.0;              // feed health: silent for this many gaps...
    core::seconds silent_min{7 * 24 * 3600};  // ...and at least this long
};

// What the scheduler remembers about one feed (the pipeline stores it).
struct schedule_state {
    int consecutive_failures = 0;
    std::optional<core::timestamp> failing_since;     // first failure of the current run
    std::optional<core::timestamp> last_new_item_at;  // last poll that found new items
    long long publish_interval_estimate = 0;          // seconds between items (smoothed); 0 = unknown
    bool retired = false;                             // HTTP 410: poll no more
    bool health_reported = false;                     // a health event went out for the current trouble
};

enum class feed_health { healthy, failing, silent, retired };
std::string_view to_string(feed_health h) noexcept;

struct schedule_decision {
    schedule_state state;  // persist this
    core::seconds delay{0};
    core::timestamp next_poll_at{};
    feed_health health = feed_health::healthy;
    bool report_health = false;  // send a feed_health event now (entering trouble, or recovered)
    std::string reason;          // one line for the log / event ("failing for 1d2h: HTTP 503")
};

// `meta` is the parsed feed's hints (nullptr when nothing was parsed); `new_items` counts
// items not seen before in this fetch; `random` is any uniformly random 32-bit value
// (tests pass fixed ones).
schedule_decision plan_next_poll(const schedule_state& state, const http::fetch_response& response,
                                 const core::feed_meta* meta, std::size_t new_items,
                                 const schedule_options& options, core::timestamp now,
                                 std::uint32_t random) noexcept;

// Pushes `t` forward past the hours/days a feed asks not to be polled in (UTC). Returns
// `t` unchanged when every hour or every day is listed (a broken hint).
core::timestamp skip_forward(core::timestamp t, const core::feed_meta& meta) noexcept;

}  // namespace newswatch::fetcher
