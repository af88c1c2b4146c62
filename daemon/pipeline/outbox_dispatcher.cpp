#include "newswatch/pipeline/outbox_dispatcher.hpp"

#include <algorithm>
#include <cmath>

#include <boost/asio/post.hpp>

#include "newswatch/core/metrics_registry.hpp"
#include "newswatch/logging/module_logger.hpp"
#include "newswatch/logging/structured_log.hpp"
#include "newswatch/sinks/grouped_json.hpp"

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
        delivery_calendar calendar(binding.policy);  // throws for an unknown zone: startup
        if (calendar.holds_back()) calendars_.emplace(name, std::move(calendar));
    }
    if (executor_) wake_timer_ = std::make_unique<boost::asio::steady_timer>(executor_);
}

outbox_dispatcher::~outbox_dispatcher() {
    if (wake_timer_) wake_timer_->cancel();
    // A reload or shutdown: what a sink has done but not yet reported (a file sink's lines
    // waiting for their fdatasync) is reported now, and every outcome is stored, so the
    // next generation or run does not deliver it again.
    closing_ = true;
    for (auto& [name, binding] : sinks_) binding.sink->flush();
    write_outcomes();
}

bool outbox_dispatcher::write_outcomes() noexcept {
    if (!outcomes_.empty()) {
        if (auto r = store_.mark_outcomes(outcomes_); !r) {
            // Kept and written again before anything else is handed over (a full disk): a
            // delivery whose outcome is not stored would be repeated by the next run. Their
            // slots are free (the run is idle), but nothing goes until they are stored.
            logging::log(*logger_, spdlog::level::err,
                         "recording delivery outcomes failed, deliveries paused",
                         {.event = "outbox_error",
                          .extra = {{"outcomes", outcomes_.size()}, {"error", r.err().message}}});
            outcomes_unstored_ = true;
            release_settled();
            return false;
        }
        outcomes_.clear();
    }
    outcomes_unstored_ = false;
    release_settled();
    return true;
}

void outbox_dispatcher::release_settled() noexcept {
    for (const auto& settled : settled_) {
        if (settled.state->in_flight > 0) --settled.state->in_flight;
        for (const auto row : settled.rows) in_flight_.erase(row);
    }
    settled_.clear();
}

void outbox_dispatcher::store_settled_later() noexcept {
    if (closing_) return;  // the destructor stores them
    // Inside a drain (a sink that completed inline) the drain stores them before it hands
    // over more; without a loop (some tests) at once.
    if (draining_ || !executor_) {
        drain(core::now_utc());
        return;
    }
    // Completions that arrive in the same turn (a file sink's flush) are stored together.
    if (store_posted_) return;
    try {
        boost::asio::post(executor_, [this, alive = lifetime_.watch()] {
            if (alive.expired()) return;
            store_posted_ = false;
            drain(core::now_utc());
        });
        store_posted_ = true;
    } catch (const std::exception&) {
        drain(core::now_utc());
    }
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
    // A pass cut short leaves no outcome waiting for a turn that may never come.
    if (!settled_.empty() && !outcomes_unstored_) write_outcomes();
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
        if (outcomes_unstored_) return;  // the last outcomes could not be stored: pause
        drain_sink(name, binding, now, due);
    }
}

void outbox_dispatcher::drain_sink(const std::string& name, sink_binding& binding, core::timestamp now,
                                   core::timestamp due) {
    sink_state& state = states_[name];
    const auto& policy = binding.policy;
    if (state.in_flight >= policy.concurrency) return;
    const std::size_t wanted = policy.concurrency - state.in_flight;
    auto rows = candidates(name, binding, due, wanted);
    for (auto& batch : batches_of(name, binding, std::move(rows), now)) {
        // A sink that completes inline holds its slots until the outcomes are stored: one
        // transaction per `concurrency` deliveries, and a crash repeats at most that many.
        if (state.in_flight >= policy.concurrency && !settled_.empty()) write_outcomes();
        if (outcomes_unstored_) return;
        if (state.in_flight >= policy.concurrency) return;
        if (!take_token(binding, state)) return;
        start(name, binding, std::move(batch));
    }
}

std::vector<store::outbox_row> outbox_dispatcher::candidates(const std::string& name,
                                                             const sink_binding& binding, core::timestamp due,
                                                             std::size_t wanted) {
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
    auto report = [&](const core::error& e) {
        logging::log(*logger_, spdlog::level::err, "outbox failure",
                     {.event = "outbox_error", .sink = name, .extra = {{"error", e.message}}});
    };
    std::vector<store::outbox_row> rows;
    const core::timestamp query_due = std::max(due, core::now_utc());
    if (binding.policy.ordered) {
        // Strictly in detection order: only the oldest living row may go (with the rest of
        // its item when grouped), and nothing overtakes it while it fails.
        auto head = store_.head_of_sink(name);
        if (!head) {
            report(head.err());
            return rows;
        }
        if (!*head || !may_try(**head)) return rows;
        const std::string key = (*head)->entry.group_key;
        rows.push_back(std::move(**head));
        if (binding.policy.group && !key.empty()) {
            auto same_item = store_.pending_for_sink(name, query_due, 256, rows.front().row_id);
            if (!same_item) {
                report(same_item.err());
                return rows;
            }
            for (auto& row : *same_item)
                if (row.entry.group_key == key && may_try(row)) rows.push_back(std::move(row));
        }
        return rows;
    }
    // Held-back rows (a digest, quiet hours) come back from the query too: with them, a
    // sink takes every due row, so that a digest lists them all.
    const bool take_all = calendars_.contains(name) || binding.policy.group;
    // The first page is about what is wanted (rows in flight come back too and are
    // skipped), later ones double: a sink that takes 64 or 1 per turn does not read 2,000
    // rows per turn, and many rows waiting for their retry still take few queries.
    constexpr std::size_t max_page = 2000;
    std::size_t page = take_all ? max_page : std::clamp<std::size_t>(wanted + in_flight_.size(), 1, max_page);
    std::int64_t after = 0;
    for (;;) {
        auto batch = store_.pending_for_sink(name, query_due, static_cast<int>(page), after);
        if (!batch) {
            report(batch.err());
            return rows;
        }
        for (auto& row : *batch) {
            after = row.row_id;
            if (may_try(row)) rows.push_back(std::move(row));
        }
        if (batch->size() < page) break;
        if (!take_all && rows.size() >= wanted) break;
        page = std::min(2 * page, max_page);
        if (rows.size() >= 20 * max_page) break;  // the rest in the next drain
    }
    return rows;
}

std::vector<outbox_dispatcher::delivery_batch> outbox_dispatcher::batches_of(
    const std::string& name, const sink_binding& binding, std::vector<store::outbox_row> rows,
    core::timestamp now) {
    std::vector<delivery_batch> out;
    std::vector<store::outbox_row> digest_rows;
    // Grouped rows by item, in the order of each item's first row.
    std::vector<std::vector<store::outbox_row>> items;
    std::map<std::string, std::size_t> item_index;
    const auto calendar = calendars_.find(name);
    std::optional<core::timestamp> next_release;
    std::vector<std::pair<std::int64_t, core::timestamp>> held;
    for (auto& row : rows) {
        if (calendar != calendars_.end() && !row.entry.urgent) {
            core::timestamp release = calendar->second.release_of(row.created_at);
            // Nothing goes in quiet hours, not even what was released before they began.
            if (release <= now && calendar->second.in_quiet_hours(now))
                release = calendar->second.release_of(now);
            if (release > now) {
                next_release = std::min(next_release.value_or(release), release);
                if (row.next_attempt_at < release) held.emplace_back(row.row_id, release);
                continue;
            }
            if (row.entry.event == "alert" && release != row.created_at) {
                digest_rows.push_back(std::move(row));
                continue;
            }
        }
        if (binding.policy.group && !row.entry.group_key.empty()) {
            const auto [it, added] = item_index.try_emplace(row.entry.group_key, items.size());
            if (added) items.emplace_back();
            items[it->second].push_back(std::move(row));
            continue;
        }
        delivery_batch single;
        single.event = row.entry.event;
        single.id = row.entry.alert_id;
        single.payload = row.entry.payload;
        single.rows.push_back(std::move(row));
        out.push_back(std::move(single));
    }
    if (next_release) wake_at(*next_release);
    // Stored, so that the sink's queries skip held rows until their release (and `alerts
    // list` shows when they go). A failure only costs the next drain a longer query.
    if (auto r = store_.hold_until(held); !r)
        logging::log(*logger_, spdlog::level::warn, "could not store the release time of held alerts",
                     {.event = "outbox_error", .sink = name, .extra = {{"error", r.err().message}}});
    for (auto& item : items) {
        delivery_batch group;
        std::vector<std::string> ids, payloads;
        for (const auto& row : item) {
            ids.push_back(row.entry.alert_id);
            payloads.push_back(row.entry.payload);
        }
        group.event = "alert_group";
        group.id = sinks::alert_group_id(std::move(ids));
        group.payload = sinks::alert_group_to_json(payloads);
        group.rows = std::move(item);
        out.push_back(std::move(group));
    }
    if (!digest_rows.empty()) {
        // One digest for everything released, its stories in detection order. A very long
        // backlog goes in several digests of at most max_digest_rows.
        constexpr std::size_t max_digest_rows = 500;
        std::vector<delivery_batch> digests;
        for (std::size_t first = 0; first < digest_rows.size(); first += max_digest_rows) {
            const std::size_t last = std::min(digest_rows.size(), first + max_digest_rows);
            sinks::digest_period period{name, digest_rows[first].created_at, digest_rows[first].created_at};
            std::vector<std::vector<std::string>> stories;
            std::map<std::string, std::size_t> story_index;
            delivery_batch digest;
            for (std::size_t i = first; i < last; ++i) {
                auto& row = digest_rows[i];
                period.from = std::min(period.from, row.created_at);
                period.until = std::max(period.until, calendar->second.release_of(row.created_at));
                const std::string key =
                    row.entry.group_key.empty() ? row.entry.alert_id : row.entry.group_key;
                const auto [it, added] = story_index.try_emplace(key, stories.size());
                if (added) stories.emplace_back();
                stories[it->second].push_back(row.entry.payload);
                digest.rows.push_back(std::move(row));
            }
            digest.event = "digest";
            digest.id = sinks::digest_id(period);
            digest.payload = sinks::digest_to_json(period, stories);
            digests.push_back(std::move(digest));
        }
        // Before what was released with it, so the digest reads first.
        out.insert(out.begin(), std::make_move_iterator(digests.begin()),
                   std::make_move_iterator(digests.end()));
    }
    return out;
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

void outbox_dispatcher::start(const std::string& name, sink_binding& binding, delivery_batch batch) {
    for (const auto& row : batch.rows) {
        in_flight_.insert(row.row_id);
        attempted_.try_emplace(row.row_id, false);
    }
    ++states_[name].in_flight;
    // The batch travels with the completion: the message's views point into it.
    auto owned = std::make_shared<delivery_batch>(std::move(batch));
    const sinks::delivery_message message{.event = owned->event, .id = owned->id, .payload = owned->payload};
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
                                 const delivery_batch& batch, sinks::delivery_result result) noexcept {
    try {
        // The slot and the rows stay taken until the outcome is stored (write_outcomes).
        settled_.push_back({&states_[sink], {}});
        auto& settled_rows = settled_.back().rows;
        for (const auto& row : batch.rows) settled_rows.push_back(row.row_id);
        const auto now = core::now_utc();
        auto& metrics = core::metrics_registry::process();
        // One message, one backoff: every row of it is tried again together.
        int most_attempts = 0;
        for (const auto& row : batch.rows) most_attempts = std::max(most_attempts, row.attempts + 1);
        const bool retrying = !result.delivered() && result.status != sinks::delivery_status::permanent;
        const core::seconds delay =
            retrying ? retry_delay(policy, most_attempts, result.retry_after) : core::seconds{0};
        const auto retry_at = steady::now() + delay;
        for (const auto& row : batch.rows) {
            const int attempts = row.attempts + 1;
            store::delivery_outcome outcome{
                row.row_id, store::outcome_kind::delivered, now, {}, result.detail};
            if (result.delivered()) {
                ++totals_.delivered;
                metrics.alert_delivered(sink);
                attempted_[row.row_id] = true;
                retry_not_before_.erase(row.row_id);
                outcomes_.push_back(std::move(outcome));
                continue;
            }
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
                              .extra = {{"reason", reason}, {"attempts", attempts}, {"message", batch.id}}});
            } else {
                outcome.kind = store::outcome_kind::retry;
                outcome.next_attempt = now + delay;
                ++totals_.failed;
                metrics.alert_retried(sink);
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
                                        {"message", batch.id},
                                        {"retry_in", core::format_duration(delay)}}});
            }
            outcomes_.push_back(std::move(outcome));
        }
    } catch (const std::exception& e) {
        logging::log(*logger_, spdlog::level::err, "outbox failure",
                     {.event = "outbox_error", .extra = {{"error", e.what()}}});
    }
    store_settled_later();
}

void outbox_dispatcher::wake_at(steady::time_point at) noexcept {
    if (!wake_timer_ || at >= wake_at_) return;
    wake_at_ = at;
    // A handler that had already expired when the timer was re-armed still runs (with
    // success): the generation tells it that it is not the current wait.
    const std::uint64_t generation = ++wake_generation_;
    wake_timer_->expires_at(at);
    wake_timer_->async_wait([this, alive = lifetime_.watch(),
                             generation](const boost::system::error_code& ec) {
        if (alive.expired() || ec == boost::asio::error::operation_aborted || generation != wake_generation_)
            return;
        wake_at_ = steady::time_point::max();
        drain(core::now_utc());
    });
}

void outbox_dispatcher::wake_at(core::timestamp at) noexcept {
    const auto from_now = at - core::now_utc();
    wake_at(steady::now() + std::max(from_now, core::seconds{0}) + std::chrono::milliseconds(50));
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
