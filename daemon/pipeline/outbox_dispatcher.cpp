#include "newswatch/pipeline/outbox_dispatcher.hpp"

#include <algorithm>

#include "newswatch/core/metrics_registry.hpp"
#include "newswatch/logging/module_logger.hpp"
#include "newswatch/logging/structured_log.hpp"

namespace newswatch::pipeline {

outbox_dispatcher::outbox_dispatcher(boost::asio::any_io_executor executor, store::state_store& store,
                                     std::map<std::string, sink_binding> sinks, core::seconds alert_retention)
    : store_(store),
      executor_(std::move(executor)),
      sinks_(std::move(sinks)),
      alert_retention_(alert_retention),
      logger_(logging::module_logger("pipeline")) {}

void outbox_dispatcher::record(store::delivery_outcome outcome) noexcept {
    try {
        outcomes_.push_back(std::move(outcome));
    } catch (const std::exception& e) {
        logging::log(*logger_, spdlog::level::err, "outbox failure",
                     {.event = "outbox_error", .extra = {{"error", e.what()}}});
    }
    write_outcomes();
}

bool outbox_dispatcher::write_outcomes() noexcept {
    if (outcomes_.empty()) return true;
    if (auto r = store_.mark_outcomes(outcomes_); !r) {
        // Kept and written again before anything else is handed over (a full disk): a
        // delivery whose outcome is not stored would be repeated by the next run.
        logging::log(
            *logger_, spdlog::level::err, "recording delivery outcomes failed, deliveries paused",
            {.event = "outbox_error", .extra = {{"outcomes", outcomes_.size()}, {"error", r.err().message}}});
        return false;
    }
    outcomes_.clear();
    return true;
}

dispatch_counts outbox_dispatcher::drain(core::timestamp now, core::timestamp due) noexcept {
    dispatch_counts counts;
    const dispatch_counts before = totals_;
    try {
        for (;;) {
            if (!write_outcomes()) return counts;
            auto rows = store_.pending_outbox(due, 500);
            if (!rows) {
                logging::log(*logger_, spdlog::level::err, "outbox failure",
                             {.event = "outbox_error", .extra = {{"error", rows.err().message}}});
                return counts;
            }
            std::size_t handed = 0;
            for (auto& row : *rows) {
                if (!outcomes_.empty()) break;  // the last outcome could not be stored: pause
                if (in_flight_.contains(row.row_id)) continue;
                if (attempt_each_once_ && !attempted_.insert(row.row_id).second) continue;
                auto it = sinks_.find(row.entry.sink);
                if (it == sinks_.end()) {
                    ++counts.unknown_sink;
                    if (reported_unknown_.insert(row.entry.sink).second)
                        logging::log(
                            *logger_, spdlog::level::warn,
                            "alerts wait for a sink that is not configured any more",
                            {.event = "delivery", .sink = row.entry.sink, .outcome = "unknown_sink"});
                    continue;
                }
                ++handed;
                in_flight_.insert(row.row_id);
                const std::int64_t row_id = row.row_id;
                const int attempts = row.attempts;
                const std::string_view sink_name = it->first;  // a key of sinks_: outlives the send
                it->second.sink->send(
                    {.event = "alert", .id = row.entry.alert_id, .payload = row.entry.payload},
                    [this, row_id, attempts, now, sink_name](sinks::delivery_result r) {
                        in_flight_.erase(row_id);
                        if (r.delivered()) {
                            ++totals_.delivered;
                            core::metrics_registry::process().alert_delivered(sink_name);
                            record({row_id, true, core::now_utc(), {}});
                        } else {
                            ++totals_.failed;
                            core::metrics_registry::process().alert_retried(sink_name);
                            const auto delay = std::min<long long>(3600, 30LL << std::min(attempts, 7));
                            record({row_id, false, now + core::seconds{delay}, r.detail});
                        }
                    });
            }
            // Stop when nothing more could be handed over (all remaining are in flight,
            // unknown, or failed and rescheduled).
            if (handed == 0 || rows->size() < 500 || !outcomes_.empty()) break;
        }
    } catch (const std::exception& e) {
        logging::log(*logger_, spdlog::level::err, "outbox failure",
                     {.event = "outbox_error", .extra = {{"error", e.what()}}});
    }
    counts.delivered = totals_.delivered - before.delivered;
    counts.failed = totals_.failed - before.failed;
    return counts;
}

}  // namespace newswatch::pipeline
