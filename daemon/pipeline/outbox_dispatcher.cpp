#include "newswatch/pipeline/outbox_dispatcher.hpp"

#include <algorithm>
#include <cmath>

#include "newswatch/core/metrics_registry.hpp"
#include "newswatch/logging/module_logger.hpp"
#include "newswatch/logging/structured_log.hpp"

namespace newswatch::pipeline {
namespace {

using steady = std::chrono::steady_clock;

// A server's Retry-After is honoured up to this long (a typo of a day is still a day).
constexpr core::seconds max_retry_after{24 * 3600};

// --once retries after 1 s, doubling.
constexpr core::seconds once_retry_initial{1};

std::string describe_age(core::seconds age) {
    return core::format_duration(age);
}

}  // namespace

outbox_dispatcher::outbox_dispatcher(boost::asio::any_io_executor executor, store::state_store& store,
                                     std::map<std::string, sink_binding> sinks, core::seconds alert_retention)
    : store_(store),
      executor_(std::move(executor)),
      sinks_(std::move(sinks)),
      alert_retention_(alert_retention),
      jitter_(static_cast<std::minstd_rand::result_type>(steady::now().time_since_epoch().count())),
      logger_(logging::module_logger("pipeline")) {
    for (auto& [name, binding] : sinks_) {
        if (binding.policy.ordered) binding.policy.concurrency = 1;
        binding.policy.concurrency = std::max<std::size_t>(1, binding.policy.concurrency);
        states_[name];
    }
    if (executor_) wake_timer_ = std::make_unique<boost::asio::steady_timer>(executor_);
}

outbox_dispatcher::~outbox_dispatcher() {
    if (wake_timer_) wake_timer_->cancel();
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
    // A sink may complete inline, and its completion asks for another drain: loop here
    // instead of recursing.
    if (draining_) {
        drain_again_ = true;
        return counts;
    }
    const dispatch_counts before = totals_;
    draining_ = true;
    try {
        do {
            drain_again_ = false;
            drain_pass(now, due, counts);
            now = std::max(now, core::now_utc());
        } while (drain_again_);
    } catch (const std::exception& e) {
        logging::log(*logger_, spdlog::level::err, "outbox failure",
                     {.event = "outbox_error", .extra = {{"error", e.what()}}});
    }
    draining_ = false;
    // A held retry is not returned by the store's query until its stored time: the timer
    // for it must not depend on the query seeing it.
    const auto steady_now = steady::now();
    auto earliest = steady::time_point::max();
    for (const auto& [row, hold] : retry_not_before_)
        if (hold.not_before > steady_now) earliest = std::min(earliest, hold.not_before);
    if (earliest != steady::time_point::max()) wake_at(earliest);
    counts.delivered = totals_.delivered - before.delivered;
    counts.failed = totals_.failed - before.failed;
    counts.dead = totals_.dead - before.dead;
    return counts;
}

void outbox_dispatcher::drain_pass(core::timestamp now, core::timestamp due, dispatch_counts& counts) {
    if (!write_outcomes()) return;
    report_unknown_sinks();
    counts.unknown_sink = reported_unknown_.size();
    for (auto& [name, binding] : sinks_) {
        if (!outcomes_.empty()) return;  // the last outcome could not be stored: pause
        drain_sink(name, binding, now, due);
    }
}

void outbox_dispatcher::drain_sink(const std::string& name, sink_binding& binding, core::timestamp now,
                                   core::timestamp due) {
    sink_state& state = states_[name];
    const auto& policy = binding.policy;
    if (state.in_flight >= policy.concurrency) return;
    const auto steady_now = steady::now();
    auto may_try = [&](const store::outbox_row& row) {
        if (in_flight_.contains(row.row_id)) return false;
        // Not attempted in this process: the stored schedule, or `due` (--once start).
        auto it = retry_not_before_.find(row.row_id);
        if (it != retry_not_before_.end() && it->second.stored_next_attempt != row.next_attempt_at)
            it = retry_not_before_.erase(it);  // rescheduled by `newswatch alerts retry`
        if (it == retry_not_before_.end()) return row.next_attempt_at <= due;
        if (it->second.not_before > steady_now) {
            wake_at(it->second.not_before);
            return false;
        }
        return true;
    };
    std::vector<store::outbox_row> rows;
    if (policy.ordered) {
        // Strictly in detection order: only the oldest living row may go, and nothing
        // overtakes it while it fails.
        auto head = store_.head_of_sink(name);
        if (!head) {
            logging::log(*logger_, spdlog::level::err, "outbox failure",
                         {.event = "outbox_error", .sink = name, .extra = {{"error", head.err().message}}});
            return;
        }
        if (*head && may_try(**head)) rows.push_back(std::move(**head));
    } else {
        // Rows in flight come back from the query too: ask for enough to fill every slot.
        const std::size_t wanted = policy.concurrency - state.in_flight;
        std::int64_t after = 0;
        const core::timestamp query_due = std::max(due, now);
        while (rows.size() < wanted) {
            const int limit = static_cast<int>(wanted + in_flight_.size() + retry_not_before_.size() + 16);
            auto batch = store_.pending_for_sink(name, query_due, std::min(limit, 2000), after);
            if (!batch) {
                logging::log(
                    *logger_, spdlog::level::err, "outbox failure",
                    {.event = "outbox_error", .sink = name, .extra = {{"error", batch.err().message}}});
                return;
            }
            for (auto& row : *batch) {
                after = row.row_id;
                if (rows.size() < wanted && may_try(row)) rows.push_back(std::move(row));
            }
            if (static_cast<int>(batch->size()) < std::min(limit, 2000)) break;
        }
    }
    for (auto& row : rows) {
        if (!outcomes_.empty()) return;
        if (state.in_flight >= policy.concurrency) return;
        if (!take_token(binding, state)) return;
        start(name, binding, std::move(row));
    }
}

bool outbox_dispatcher::take_token(const sink_binding& binding, sink_state& state) {
    if (!binding.policy.rate) return true;
    const auto& rate = *binding.policy.rate;
    const auto now = steady::now();
    const double capacity = static_cast<double>(rate.count);
    const double per_second = capacity / static_cast<double>(std::max<long long>(1, rate.per.count()));
    if (!state.bucket_started) {
        state.bucket_started = true;
        state.tokens = capacity;  // a full bucket: the first `count` go at once
        state.refilled_at = now;
    }
    const double elapsed = std::chrono::duration<double>(now - state.refilled_at).count();
    state.tokens = std::min(capacity, state.tokens + elapsed * per_second);
    state.refilled_at = now;
    if (state.tokens >= 1.0) {
        state.tokens -= 1.0;
        return true;
    }
    const double wait = (1.0 - state.tokens) / per_second;
    wake_at(now + std::chrono::duration_cast<steady::duration>(std::chrono::duration<double>(wait)));
    return false;
}

void outbox_dispatcher::start(const std::string& name, sink_binding& binding, store::outbox_row row) {
    const std::int64_t row_id = row.row_id;
    in_flight_.insert(row_id);
    ++states_[name].in_flight;
    attempted_.try_emplace(row_id, false);
    // The row travels with the completion: the message's views point into it.
    auto owned = std::make_shared<store::outbox_row>(std::move(row));
    const sinks::delivery_message message{
        .event = owned->entry.event, .id = owned->entry.alert_id, .payload = owned->entry.payload};
    const std::string& sink_name = sinks_.find(name)->first;  // a key of sinks_: as long-lived as this
    binding.sink->send(message, [this, alive = lifetime_.watch(), owned, &sink_name,
                                 &policy = binding.policy](sinks::delivery_result result) {
        if (alive.expired()) return;
        finished(sink_name, policy, *owned, std::move(result));
    });
}

core::seconds outbox_dispatcher::retry_delay(const config::delivery_policy& policy, int attempts,
                                             std::optional<core::seconds> retry_after) {
    const core::seconds initial = once_mode_ ? once_retry_initial : policy.retry_initial;
    const core::seconds cap = policy.retry_max;
    // Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff
    // And Jitter"): a uniform delay below the doubled ceiling, so that many alerts failing
    // together do not retry together. At least 1 s.
    const int doublings = std::clamp(attempts - 1, 0, 30);
    const double ceiling = std::min(static_cast<double>(cap.count()),
                                    static_cast<double>(initial.count()) * std::ldexp(1.0, doublings));
    std::uniform_real_distribution<double> uniform(std::min(1.0, ceiling), std::max(1.0, ceiling));
    auto delay = core::seconds{static_cast<long long>(std::llround(uniform(jitter_)))};
    if (once_mode_)
        delay = core::seconds{static_cast<long long>(ceiling)};  // --once: 1, 2, 4, ... s as documented
    if (retry_after) delay = std::max(delay, std::min(*retry_after, max_retry_after));
    return std::max(delay, core::seconds{1});
}

void outbox_dispatcher::finished(const std::string& sink, const config::delivery_policy& policy,
                                 const store::outbox_row& row, sinks::delivery_result result) noexcept {
    try {
        in_flight_.erase(row.row_id);
        auto& state = states_[sink];
        if (state.in_flight > 0) --state.in_flight;
        const auto now = core::now_utc();
        const int attempts = row.attempts + 1;
        auto& metrics = core::metrics_registry::process();
        store::delivery_outcome outcome{row.row_id, store::outcome_kind::delivered, now, {}, result.detail};
        if (result.delivered()) {
            ++totals_.delivered;
            metrics.alert_delivered(sink);
            attempted_[row.row_id] = true;
            retry_not_before_.erase(row.row_id);
        } else {
            std::string reason;
            if (result.status == sinks::delivery_status::permanent)
                reason = "permanent failure: " + result.detail;
            else if (attempts >= policy.max_attempts)
                reason = "gave up after " + std::to_string(attempts) + " attempts: " + result.detail;
            else if (now - row.age_from >= policy.max_age)
                reason = "older than max_age (" + describe_age(policy.max_age) + "): " + result.detail;
            if (!reason.empty()) {
                outcome.kind = store::outcome_kind::dead;
                outcome.detail = reason;
                ++totals_.dead;
                ++dead_in_run_;
                metrics.alert_dead(sink);
                attempted_[row.row_id] = true;
                retry_not_before_.erase(row.row_id);
                logging::log(*logger_, spdlog::level::err, "alert delivery given up (dead letter)",
                             {.event = "dead_letter",
                              .watch = row.entry.watch,
                              .sink = sink,
                              .alert_id = row.entry.alert_id,
                              .outcome = "dead",
                              .extra = {{"reason", reason}, {"attempts", attempts}}});
            } else {
                const core::seconds delay = retry_delay(policy, attempts, result.retry_after);
                outcome.kind = store::outcome_kind::retry;
                outcome.next_attempt = now + delay;
                ++totals_.failed;
                metrics.alert_retried(sink);
                const auto retry_at = steady::now() + delay;
                retry_not_before_[row.row_id] = {retry_at, outcome.next_attempt};
                wake_at(retry_at);
                logging::log(*logger_, spdlog::level::debug, "delivery failed, retrying later",
                             {.event = "delivery",
                              .watch = row.entry.watch,
                              .sink = sink,
                              .alert_id = row.entry.alert_id,
                              .outcome = "retry",
                              .extra = {{"error", result.detail},
                                        {"attempts", attempts},
                                        {"retry_in", core::format_duration(delay)}}});
            }
        }
        outcomes_.push_back(std::move(outcome));
        write_outcomes();
    } catch (const std::exception& e) {
        logging::log(*logger_, spdlog::level::err, "outbox failure",
                     {.event = "outbox_error", .extra = {{"error", e.what()}}});
    }
    // A slot is free: the next entry may go.
    drain(core::now_utc());
}

void outbox_dispatcher::wake_at(steady::time_point at) noexcept {
    if (!wake_timer_ || at >= wake_at_) return;
    wake_at_ = at;
    // A handler that had already expired when the timer was re-armed still runs (with
    // success): the generation tells it that it is not the current wait.
    const std::uint64_t generation = ++wake_generation_;
    wake_timer_->expires_at(at);
    wake_timer_->async_wait([this, alive = lifetime_.watch(), generation](const boost::system::error_code& ec) {
        if (alive.expired() || ec == boost::asio::error::operation_aborted || generation != wake_generation_) return;
        wake_at_ = steady::time_point::max();
        drain(core::now_utc());
    });
}

void outbox_dispatcher::report_unknown_sinks() noexcept {
    const auto now = steady::now();
    if (now - unknown_checked_at_ < std::chrono::minutes(1) && unknown_checked_at_ != steady::time_point{})
        return;
    unknown_checked_at_ = now;
    auto pending = store_.sinks_with_pending();
    if (!pending) return;
    for (const auto& sink : *pending) {
        if (sinks_.contains(sink) || !reported_unknown_.insert(sink).second) continue;
        logging::log(*logger_, spdlog::level::warn, "alerts wait for a sink that is not configured any more",
                     {.event = "delivery", .sink = sink, .outcome = "unknown_sink"});
    }
}

once_outcome outbox_dispatcher::once_result() const {
    once_outcome out;
    for (const auto& [row, finished] : attempted_) out.still_pending += finished ? 0 : 1;
    out.dead = dead_in_run_;
    return out;
}

void outbox_dispatcher::prune(core::timestamp now) noexcept {
    auto pruned = store_.prune_delivered(now - alert_retention_);
    if (!pruned)
        logging::log(*logger_, spdlog::level::err, "pruning delivered alerts failed",
                     {.event = "outbox_error", .extra = {{"error", pruned.err().message}}});
}

void outbox_dispatcher::cancel_all() noexcept {
    for (auto& [name, binding] : sinks_) binding.sink->cancel_all();
}

}  // namespace newswatch::pipeline
