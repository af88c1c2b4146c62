#include "newswatch/pipeline/outbox_dispatcher.hpp"

#include <algorithm>

#include "newswatch/logging/module_logger.hpp"
#include "newswatch/logging/structured_log.hpp"

namespace newswatch::pipeline {

outbox_dispatcher::outbox_dispatcher(store::state_store& store,
                                     std::map<std::string, sinks::alert_sink*> sinks)
    : store_(store), sinks_(std::move(sinks)), logger_(logging::module_logger("pipeline")) {}

void outbox_dispatcher::record(store::delivery_outcome outcome) noexcept {
    try {
        outcomes_.push_back(std::move(outcome));
    } catch (const std::exception& e) {
        logging::log(*logger_, spdlog::level::err, "outbox failure",
                     {.event = "outbox_error", .extra = {{"error", e.what()}}});
    }
    // Sinks that complete inline are written together at the end of drain(); a later
    // (asynchronous) completion is written at once.
    if (!draining_) write_outcomes();
}

void outbox_dispatcher::write_outcomes() noexcept {
    if (outcomes_.empty()) return;
    if (auto r = store_.mark_outcomes(outcomes_); !r)
        logging::log(*logger_, spdlog::level::err, "outbox failure",
                     {.event = "outbox_error", .extra = {{"error", r.err().message}}});
    outcomes_.clear();
}

dispatch_counts outbox_dispatcher::drain(core::timestamp now, core::timestamp due) noexcept {
    dispatch_counts counts;
    const dispatch_counts before = totals_;
    draining_ = true;
    try {
        for (;;) {
            auto rows = store_.pending_outbox(due, 500);
            if (!rows) {
                logging::log(*logger_, spdlog::level::err, "outbox failure",
                             {.event = "outbox_error", .extra = {{"error", rows.err().message}}});
                return counts;
            }
            std::size_t handed = 0;
            for (auto& row : *rows) {
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
                it->second->send(row.entry.payload, [this, row_id, attempts, now](core::result<void> r) {
                    in_flight_.erase(row_id);
                    if (r) {
                        ++totals_.delivered;
                        record({row_id, true, core::now_utc(), {}});
                    } else {
                        ++totals_.failed;
                        const auto delay = std::min<long long>(3600, 30LL << std::min(attempts, 7));
                        record({row_id, false, now + core::seconds{delay}, r.err().message});
                    }
                });
            }
            // Before the next query: rows delivered inline must not come back as pending.
            write_outcomes();
            // Stop when nothing more could be handed over (all remaining are in flight,
            // unknown, or failed and rescheduled).
            if (handed == 0 || rows->size() < 500) break;
        }
    } catch (const std::exception& e) {
        logging::log(*logger_, spdlog::level::err, "outbox failure",
                     {.event = "outbox_error", .extra = {{"error", e.what()}}});
    }
    draining_ = false;
    write_outcomes();
    counts.delivered = totals_.delivered - before.delivered;
    counts.failed = totals_.failed - before.failed;
    return counts;
}

}  // namespace newswatch::pipeline
