#include "newswatch/pipeline/outbox_dispatcher.hpp"

#include <algorithm>

#include "pipeline_logger.hpp"

namespace newswatch::pipeline {

outbox_dispatcher::outbox_dispatcher(store::state_store& store,
                                     std::map<std::string, sinks::alert_sink*> sinks)
    : store_(store), sinks_(std::move(sinks)), logger_(pipeline_logger()) {}

void outbox_dispatcher::record(store::delivery_outcome outcome) noexcept {
    // Written before the next entry is handed to any sink, one transaction per delivery: a
    // crash can then repeat only the deliveries in flight (at most one per synchronous
    // sink), never a whole batch that was delivered but not yet marked. A commit in WAL
    // mode with synchronous=NORMAL costs tens of microseconds (docs/BENCHMARKS.md).
    const auto written = outcome.delivered ? store_.mark_delivered(outcome.row_id, outcome.at)
                                           : store_.mark_failed(outcome.row_id, outcome.error, outcome.at);
    if (!written) logger_->error("outbox: {}", written.err().message);
}

dispatch_counts outbox_dispatcher::drain(core::timestamp now, core::timestamp due) noexcept {
    dispatch_counts counts;
    const dispatch_counts before = totals_;
    try {
        for (;;) {
            auto rows = store_.pending_outbox(due, 500);
            if (!rows) {
                logger_->error("outbox: {}", rows.err().message);
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
                        logger_->warn("outbox: alerts wait for sink '{}', which is not configured any more",
                                      row.entry.sink);
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
            // Stop when nothing more could be handed over (all remaining are in flight,
            // unknown, or failed and rescheduled).
            if (handed == 0 || rows->size() < 500) break;
        }
    } catch (const std::exception& e) {
        logger_->error("outbox: {}", e.what());
    }
    counts.delivered = totals_.delivered - before.delivered;
    counts.failed = totals_.failed - before.failed;
    return counts;
}

}  // namespace newswatch::pipeline
