#include "newswatch/pipeline/storm_summaries.hpp"

#include "newswatch/core/feed_url.hpp"
#include "newswatch/logging/module_logger.hpp"
#include "newswatch/logging/structured_log.hpp"
#include "newswatch/sinks/grouped_json.hpp"

namespace newswatch::pipeline {

std::size_t queue_storm_summaries(store::state_store& store, core::timestamp now, bool all) noexcept {
    try {
        auto logger = logging::module_logger("pipeline");
        const auto build = [](const store::storm_record& storm,
                              const std::vector<store::folded_alert_ref>& folded) {
            sinks::storm_summary summary;
            summary.watch = storm.watch;
            summary.feed_url = storm.feed_url;
            summary.from = storm.started_at;
            summary.until = storm.ends_at;
            for (const auto& a : folded) summary.alerts.push_back({a.alert_id, a.title, a.link});
            return sinks::storm_to_json(summary);
        };
        auto emitted = store.emit_storms(now, all, build);
        if (!emitted) {
            logging::log(*logger, spdlog::level::err, "cannot queue storm summaries",
                         {.event = "state_error", .extra = {{"error", emitted.err().message}}});
            return 0;
        }
        for (const auto& e : *emitted)
            logging::log(*logger, spdlog::level::info, "storm summary queued",
                         {.event = "storm",
                          .feed = e.storm.feed_url.empty() ? std::string()
                                                           : core::redact_credentials(e.storm.feed_url),
                          .watch = e.storm.watch,
                          .alert_id = e.storm.storm_id,
                          .outcome = "summarised",
                          .extra = {{"sinks", e.sinks},
                                    {"folded_deliveries", e.folded},
                                    {"from", core::format_rfc3339(e.storm.started_at)},
                                    {"until", core::format_rfc3339(e.storm.ends_at)}}});
        return emitted->size();
    } catch (...) {
        return 0;  // logging or allocation failed: the storms stay due for the next pass
    }
}

}  // namespace newswatch::pipeline
