#pragma once
// The storm guard (issue #13 item 3): counts the alerts (after deduplication) of each watch
// and of each feed in windows that start at the first alert and last storm_window. An
// alert beyond the threshold within its window is folded into that window's storm: it is
// recorded but not delivered on its own, and each sink gets one summary of the storm when
// the window ends (store::state_store::emit_storms). Windows live in memory; open storms
// are restored from the database at startup (restore()), so folding goes on across a
// restart, while a window still below its threshold starts afresh. Used on the daemon's
// executor only; survives configuration reloads (limits are passed with each alert).
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "newswatch/core/time.hpp"
#include "newswatch/store/state_store.hpp"

namespace newswatch::pipeline {

// One guarded scope's limits: alerts allowed per window; 0 = unguarded.
struct storm_limits {
    int threshold = 0;
    core::seconds window{600};
};

class storm_guard {
public:
    struct decision {
        // Set: fold the alert into this storm (the watch's when both are storming).
        std::optional<std::string> storm_id;
        // Storms this alert opened (to be written with it): a watch's and/or a feed's.
        std::vector<store::storm_record> opened;
    };

    // Counts one alert of `watch` from `feed_url` (as configured) at `now`.
    decision count(std::string_view watch, storm_limits watch_limits, std::string_view feed_url,
                   storm_limits feed_limits, core::timestamp now);

    // The open storms of the database (store::state_store::open_storms): their windows
    // continue, folding every further alert until they end.
    void restore(const std::vector<store::storm_record>& open);

private:
    struct window {
        core::timestamp start{};
        core::timestamp end{};
        int count = 0;
        std::optional<std::string> storm_id;  // open storm of this window
    };
    // Counts the alert in `scope`'s window; opens its storm when the threshold is passed
    // (appended to `opened`). Returns the storm to fold into, if any.
    static std::optional<std::string> step(window& w, std::string_view watch, std::string_view feed_url,
                                           storm_limits limits, core::timestamp now,
                                           std::vector<store::storm_record>& opened);

    std::unordered_map<std::string, window> watches_;
    std::unordered_map<std::string, window> feeds_;
};

}  // namespace newswatch::pipeline
