#include "newswatch/pipeline/feed_monitor.hpp"

#include <algorithm>
#include <charconv>
#include <random>
#include <utility>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "newswatch/core/feed_url.hpp"
#include "newswatch/core/metrics_registry.hpp"
#include "newswatch/core/sha256.hpp"
#include "newswatch/logging/module_logger.hpp"
#include "newswatch/logging/structured_log.hpp"
#include "newswatch/pipeline/storm_summaries.hpp"
#include "newswatch/sinks/alert_json.hpp"

namespace newswatch::pipeline {

namespace asio = boost::asio;

namespace {

std::mt19937& rng() {
    static std::mt19937 generator{std::random_device{}()};
    return generator;
}

// Marks a feed busy for the life of a coroutine frame (a poll, or a pushed document).
class busy_mark {
public:
    explicit busy_mark(char& flag) : flag_(flag) { flag_ = 1; }
    ~busy_mark() { flag_ = 0; }
    busy_mark(const busy_mark&) = delete;
    busy_mark& operator=(const busy_mark&) = delete;

private:
    char& flag_;
};

}  // namespace

feed_monitor::feed_monitor(asio::any_io_executor executor, http::http_client& client,
                           item_processor& processor, outbox_dispatcher& dispatcher,
                           store::state_store& store, state_journal& journal,
                           std::vector<feed_definition> feeds, const pipeline_options& options)
    : executor_(std::move(executor)),
      client_(client),
      processor_(processor),
      dispatcher_(dispatcher),
      store_(store),
      journal_(journal),
      feeds_(std::move(feeds)),
      states_(feeds_.size()),
      polling_(feeds_.size(), false),
      busy_(feeds_.size(), 0),
      options_(options),
      logger_(logging::module_logger("pipeline")) {
    for (std::size_t i = 0; i < feeds_.size(); ++i) {
        // How logs name the feed (the fetcher's lines too): never with its credentials.
        if (feeds_[i].request.feed.empty()) feeds_[i].request.feed = core::redact_credentials(feeds_[i].url);
        timers_.push_back(std::make_unique<asio::steady_timer>(executor_));
        index_of_.emplace(feeds_[i].url, i);
        states_[i].url = feeds_[i].url;
    }
    housekeeping_timer_ = std::make_unique<asio::steady_timer>(executor_);
    client_.set_start_gate([this] { return backlog_ < options_.processing_backlog; });
    journal_.on_flushed([this](bool wrote_alerts, const std::vector<std::string>& lost) {
        // A document that could not be written must be read again in full: its items are
        // not marked seen and its alerts are not queued.
        if (lost.empty()) {
            // Written: a feed whose lost document was read again since is whole again.
            std::erase_if(refetch_, [](const auto& entry) { return entry.second; });
        }
        for (const auto& url : lost) {
            if (auto it = index_of_.find(url); it != index_of_.end()) {
                store::feed_state& state = states_[it->second];
                state.etag.clear();
                state.last_modified.clear();
                state.last_outcome = "store_error";
                // Until a document of this feed is written, no state of it may carry
                // validators: a poll already in flight holds the old ones and would
                // otherwise store them with its 304, and the items would never be read.
                refetch_[it->second] = false;
            }
        }
        if (wrote_alerts) dispatcher_.drain(core::now_utc());
    });
}

feed_monitor::~feed_monitor() {
    client_.set_start_gate(nullptr);
    journal_.flush();
    journal_.on_flushed(nullptr);
}

void feed_monitor::load_states() {
    auto all = store_.all_feeds();
    if (!all) {
        logging::log(*logger_, spdlog::level::err, "cannot read feed states",
                     {.event = "state_error", .extra = {{"error", all.err().message}}});
        return;
    }
    for (auto& stored : *all)
        if (auto it = index_of_.find(stored.url); it != index_of_.end())
            states_[it->second] = std::move(stored);
}

void feed_monitor::report_health(const feed_definition& feed, const store::feed_state& state,
                                 const std::string& kind, const std::string& reason, core::timestamp now) {
    logging::log(
        *logger_, spdlog::level::warn, "feed health",
        {.event = "feed_health", .feed = feed.request.feed, .outcome = kind, .extra = {{"reason", reason}}});
    if (options_.health_sinks.empty()) return;
    sinks::feed_health_event event;
    event.feed_url = feed.url;
    event.effective_url = state.effective_url.value_or("");
    event.feed_title = feed.title ? *feed.title : state.title.value_or("");
    event.state = kind;
    event.reason = reason;
    event.last_outcome = state.last_outcome;
    event.last_status = state.last_status;
    event.consecutive_failures = state.consecutive_failures;
    event.since = state.failing_since
                      ? core::format_rfc3339(*state.failing_since)
                      : (state.last_new_item_at ? core::format_rfc3339(*state.last_new_item_at) : "");
    event.detected_at = now;
    const std::string payload = sinks::feed_health_to_json(event);
    const std::string id = core::sha256_hex(payload).substr(0, 32);
    store::fetch_commit commit;
    commit.feed = state;
    commit.read_at = now;
    for (const auto& sink : options_.health_sinks)
        commit.alerts.push_back({id, sink, payload, "feed_health", ""});
    journal_.record(std::move(commit));
}

asio::awaitable<std::optional<core::seconds>> feed_monitor::poll_once(std::size_t index, bool once_mode) {
    const feed_definition& feed = feeds_[index];
    const busy_mark busy(busy_[index]);

    // A copy: what an abandoned poll (stopped mid-way) changed is not kept.
    store::feed_state state = states_[index];

    http::fetch_request request = feed.request;
    request.url = state.effective_url.value_or(feed.url);
    request.configured_url = feed.url;
    if (!refetch_.contains(index)) {
        request.etag = state.etag;
        request.last_modified = state.last_modified;
    }

    http::fetch_response response = co_await client_.fetch(std::move(request));
    if (stopping_ || response.outcome == http::fetch_outcome::cancelled) co_return std::nullopt;
    core::metrics_registry::process().fetch_finished(response.duration, response.wire_bytes,
                                                     response.http_status);

    const core::timestamp now = core::now_utc();
    state.last_fetch_at = now;
    state.last_status = response.http_status;
    state.last_outcome = std::string(http::to_string(response.outcome));
    state.last_error = response.error;
    ++totals_.feeds;

    const core::feed_meta* meta = nullptr;
    process_summary summary;
    bool processed_ok = false;
    // A move is believed only from a fetch that worked: a hostile 301 to somewhere that
    // fails must not replace the feed's URL.
    if (response.succeeded() && response.permanent_redirect &&
        *response.permanent_redirect != state.effective_url.value_or(feed.url)) {
        logging::log(*logger_, spdlog::level::info, "feed moved permanently",
                     {.event = "moved",
                      .feed = feed.request.feed,
                      .extra = {{"location", core::redact_credentials(*response.permanent_redirect)}}});
        state.effective_url = *response.permanent_redirect;
    }

    if (response.outcome == http::fetch_outcome::ok) {
        state.etag = response.etag;
        state.last_modified = response.last_modified;
        auto processed = co_await process_in_backlog(feed, state, response, now);
        if (stopping_) co_return std::nullopt;
        if (!processed) {
            state.last_outcome = "store_error";
            state.last_error = processed.err().message;
            // Its items were not read: the validators must not answer the next poll with 304.
            state.etag.clear();
            state.last_modified.clear();
        } else if (!processed->parsed) {
            state.last_outcome = "parse_error";
            state.last_error = processed->parse_error;
            // A document we cannot read must be fetched again in full next time.
            state.etag.clear();
            state.last_modified.clear();
        } else {
            processed_ok = true;
            summary = std::move(*processed);
            core::metrics_registry::process().items_processed(summary.items, summary.new_items,
                                                              summary.too_old);
            meta = &summary.meta;
            if (auto it = refetch_.find(index); it != refetch_.end()) it->second = true;  // recorded
            if (websub_.on_document && !once_mode)
                websub_.on_document(feed.url,
                                    response.effective_url.empty() ? feed.url : response.effective_url,
                                    summary.meta, response.link_headers);
        }
    } else if (response.outcome == http::fetch_outcome::not_modified) {
        processed_ok = true;
    }

    // The document is read: its memory goes now, and the copy below for the schedule is
    // of the headers only (copying every body was 4 % of a cold 10,000-feed round).
    response.body = std::string();
    // Scheduling and health are the fetcher's policy; a document we fetched but could not
    // read counts as a failure of the feed.
    http::fetch_response outcome_for_schedule = response;
    if (response.outcome == http::fetch_outcome::ok && !processed_ok)
        outcome_for_schedule.outcome = http::fetch_outcome::http_error;
    fetcher::schedule_options schedule = options_.schedule;
    schedule.interval = feed.interval;
    const fetcher::schedule_state before{
        state.consecutive_failures,      state.failing_since, state.last_new_item_at,
        state.publish_interval_estimate, state.retired,       state.health_reported};
    const auto decision = fetcher::plan_next_poll(before, outcome_for_schedule, meta, summary.new_items,
                                                  schedule, now, static_cast<std::uint32_t>(rng()()));
    state.consecutive_failures = decision.state.consecutive_failures;
    state.failing_since = decision.state.failing_since;
    state.last_new_item_at = decision.state.last_new_item_at;
    state.publish_interval_estimate = decision.state.publish_interval_estimate;
    state.retired = decision.state.retired;
    state.health_reported = decision.state.health_reported;
    if (processed_ok) state.last_success_at = now;
    if (auto it = refetch_.find(index); it != refetch_.end() && !it->second) {
        state.etag.clear();
        state.last_modified.clear();
    }
    if (decision.report_health) {
        const std::string kind = decision.health == fetcher::feed_health::healthy
                                     ? std::string("recovered")
                                     : std::string(fetcher::to_string(decision.health));
        report_health(feed, state, kind, decision.reason, now);
    }

    core::seconds delay = once_mode ? core::seconds{0} : decision.delay;
    // Pushed content arrives within a second; polling stays as a safety net.
    if (!once_mode && processed_ok && websub_.pushed && websub_.pushed(feed.url))
        delay = std::max(delay, websub_.pushed_interval);
    state.next_poll_at = now + delay;

    // The fetcher logs one line per fetch (feed, status, bytes, duration, outcome); this
    // line adds what the pipeline made of it.
    if (response.outcome == http::fetch_outcome::ok && processed_ok) {
        ++totals_.fetched_ok;
        totals_.new_items += summary.new_items;
        totals_.alerts += summary.alerts;
        // An unchanged feed is a debug line; the round summary tells the rest at info.
        const auto level = summary.new_items > 0 ? spdlog::level::info : spdlog::level::debug;
        logging::log(*logger_, level, "feed processed",
                     {.event = "feed_processed",
                      .feed = feed.request.feed,
                      .outcome = "ok",
                      .extra = {{"items", summary.items},
                                {"new", summary.new_items},
                                {"too_old", summary.too_old},
                                {"alerts", summary.alerts},
                                {"articles", summary.articles_tried},
                                {"articles_used", summary.articles_used},
                                {"folded", summary.folded}}});
        for (const auto& w : summary.warnings)
            logging::log(*logger_, spdlog::level::warn, "parse warning",
                         {.event = "parse_warning", .feed = feed.request.feed, .extra = {{"warning", w}}});
        for (const auto& cut : summary.cut_items)
            logging::log(
                *logger_, spdlog::level::warn, "item text cut to max_item_text before matching",
                {.event = "item_cut",
                 .feed = feed.request.feed,
                 .extra = {
                     {"item", cut.id}, {"bytes", cut.bytes}, {"max_item_text", options_.max_item_text}}});
    } else if (response.outcome == http::fetch_outcome::not_modified) {
        ++totals_.not_modified;
    } else {
        ++totals_.failed;
        if (response.outcome == http::fetch_outcome::ok)  // fetched, but not processed
            logging::log(*logger_, spdlog::level::warn, "feed not processed",
                         {.event = "feed_processed",
                          .feed = feed.request.feed,
                          .outcome = state.last_outcome,
                          .extra = {{"error", state.last_error}}});
        logging::log(*logger_, spdlog::level::info, "feed failing",
                     {.event = "backoff",
                      .feed = feed.request.feed,
                      .outcome = state.last_outcome,
                      .extra = {{"consecutive_failures", state.consecutive_failures},
                                {"next_poll_in",
                                 once_mode ? std::string("next run") : core::format_duration(delay)}}});
    }
    const bool retired = state.retired;
    journal_.save(state);
    states_[index] = std::move(state);
    if (retired) co_return std::nullopt;
    co_return delay;
}

asio::awaitable<core::result<process_summary>> feed_monitor::process_in_backlog(
    const feed_definition& feed, store::feed_state& state, const http::fetch_response& response,
    core::timestamp now) {
    struct backlog_entry {
        feed_monitor& monitor;
        explicit backlog_entry(feed_monitor& m) : monitor(m) { ++monitor.backlog_; }
        ~backlog_entry() {
            --monitor.backlog_;
            monitor.client_.resume();  // the start gate may be open again
        }
        backlog_entry(const backlog_entry&) = delete;
        backlog_entry& operator=(const backlog_entry&) = delete;
    } entry(*this);
    co_return co_await processor_.process(feed, state, response, now);
}

asio::awaitable<void> feed_monitor::poll_loop(std::size_t index) {
    auto& timer = *timers_[index];
    const feed_definition& feed = feeds_[index];
    // First poll: when the stored schedule says, or soon with a random spread so that a
    // restart does not fire every feed in the same second.
    core::seconds initial{0};
    const store::feed_state& stored = states_[index];
    if (stored.retired) {
        logging::log(*logger_, spdlog::level::info,
                     "feed is retired (HTTP 410); `newswatch feeds reset` polls it again",
                     {.event = "retired", .feed = feed.request.feed});
        co_return;
    }
    // Capped: a state written before the cap may hold a time too far away for a timer.
    if (stored.next_poll_at)
        initial =
            std::clamp(*stored.next_poll_at - core::now_utc(), core::seconds{0}, fetcher::max_poll_delay);
    if (initial.count() == 0) {
        std::uniform_int_distribution<long long> spread(
            0, std::min<long long>(feed.interval.count(), 10) * 1000);
        timer.expires_after(std::chrono::milliseconds(spread(rng())));
    } else {
        timer.expires_after(initial);
    }
    for (;;) {
        co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
        if (stopping_) co_return;
        const auto delay = co_await poll_once(index, false);
        if (stopping_ || !delay) co_return;  // stopped, or the feed was retired
        timer.expires_after(std::min(*delay, fetcher::max_poll_delay));
    }
}

void feed_monitor::push(const std::string& feed_url, std::string body, std::string content_type) {
    const auto it = index_of_.find(feed_url);
    if (stopping_ || !started_ || it == index_of_.end()) return;
    ++active_;
    asio::co_spawn(executor_, process_pushed(it->second, std::move(body), std::move(content_type)),
                   [this](std::exception_ptr error) { coroutine_finished(error); });
}

asio::awaitable<void> feed_monitor::process_pushed(std::size_t index, std::string body,
                                                   std::string content_type) {
    // One document of a feed at a time: two read at once could both find an item new.
    asio::steady_timer wait(executor_);
    while (busy_[index] && !stopping_) {
        wait.expires_after(std::chrono::milliseconds(20));
        co_await wait.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    if (stopping_) co_return;
    const busy_mark busy(busy_[index]);
    const feed_definition& feed = feeds_[index];
    store::feed_state state = states_[index];
    http::fetch_response response;
    response.outcome = http::fetch_outcome::ok;
    response.http_status = 200;
    response.body = std::move(body);
    response.content_type = std::move(content_type);
    response.effective_url = state.effective_url.value_or(feed.url);
    auto processed = co_await process_in_backlog(feed, state, response, core::now_utc());
    if (stopping_) co_return;
    if (!processed || !processed->parsed) {
        logging::log(*logger_, spdlog::level::warn, "pushed content not processed",
                     {.event = "websub_push",
                      .feed = feed.request.feed,
                      .outcome = processed ? "parse_error" : "store_error",
                      .extra = {{"error", processed ? processed->parse_error : processed.err().message}}});
        co_return;
    }
    // The processor recorded this state with the document (title, first fetch, items seen).
    states_[index] = std::move(state);
    core::metrics_registry::process().items_processed(processed->items, processed->new_items,
                                                      processed->too_old);
    totals_.new_items += processed->new_items;
    totals_.alerts += processed->alerts;
    logging::log(*logger_, processed->new_items > 0 ? spdlog::level::info : spdlog::level::debug,
                 "pushed content processed",
                 {.event = "feed_processed",
                  .feed = feed.request.feed,
                  .outcome = "pushed",
                  .extra = {{"items", processed->items},
                            {"new", processed->new_items},
                            {"too_old", processed->too_old},
                            {"alerts", processed->alerts}}});
}

asio::awaitable<void> feed_monitor::housekeeping_loop() {
    // Resets and delivery retries are cheap to look for: every few seconds. Pruning scans
    // the seen items: every ten minutes.
    constexpr auto tick = std::chrono::seconds(5);
    auto next_prune = std::chrono::steady_clock::now();
    auto next_summary = std::chrono::steady_clock::now() + options_.summary_interval;
    for (;;) {
        const auto now = core::now_utc();
        if (std::chrono::steady_clock::now() >= next_prune) {
            next_prune = std::chrono::steady_clock::now() + seen_prune_every;
            prune_seen_items(now);
            dispatcher_.prune(now);
            // Stories leave with the dedup window; the sources recorded with an alert stay
            // as long as seen items do, for `newswatch alerts show`.
            (void)store_.prune_dedup(now - options_.dedup_window, now - options_.seen_retention);
            processor_.prune_articles(now);
        }
        if (options_.summary_interval.count() > 0 && std::chrono::steady_clock::now() >= next_summary) {
            next_summary = std::chrono::steady_clock::now() + options_.summary_interval;
            log_summary();
        }
        apply_resets();
        // Storms whose window ended get their summaries queued, and delivered by this drain.
        queue_storm_summaries(store_, now, false);
        dispatcher_.drain(now);  // retries of failed deliveries
        housekeeping_timer_->expires_after(tick);
        co_await housekeeping_timer_->async_wait(asio::as_tuple(asio::use_awaitable));
        if (stopping_) co_return;
    }
}

void feed_monitor::log_summary() {
    const round_totals& t = totals_;
    const round_totals& b = summary_base_;
    std::size_t failing = 0;
    for (const auto& s : states_) failing += s.consecutive_failures > 0 ? 1 : 0;
    const std::size_t delivered = dispatcher_.totals().delivered;
    logging::log(*logger_, spdlog::level::info, "summary",
                 {.event = "round_summary",
                  .extra = {{"feeds", feeds_.size()},
                            {"failing", failing},
                            {"polls", t.feeds - b.feeds},
                            {"ok", t.fetched_ok - b.fetched_ok},
                            {"not_modified", t.not_modified - b.not_modified},
                            {"failed", t.failed - b.failed},
                            {"new_items", t.new_items - b.new_items},
                            {"alerts", t.alerts - b.alerts},
                            {"delivered", delivered - summary_delivered_base_},
                            {"since", core::format_duration(options_.summary_interval)}}});
    summary_base_ = t;
    summary_delivered_base_ = delivered;
}

void feed_monitor::coroutine_finished(std::exception_ptr error) {
    if (error) {
        try {
            std::rethrow_exception(error);
        } catch (const std::exception& e) {
            logging::log(*logger_, spdlog::level::err, "feed coroutine failed",
                         {.event = "internal_error", .extra = {{"error", e.what()}}});
        } catch (...) {
        }
    }
    if (--active_ == 0 && stopping_) all_stopped();
}

void feed_monitor::all_stopped() {
    journal_.flush();
    if (on_stopped_) asio::post(executor_, std::exchange(on_stopped_, nullptr));
}

void feed_monitor::spawn_poll_loop(std::size_t index) {
    ++active_;
    polling_[index] = true;
    asio::co_spawn(executor_, poll_loop(index), [this, index](std::exception_ptr error) {
        polling_[index] = false;
        coroutine_finished(error);
    });
}

void feed_monitor::apply_resets() {
    auto resets = store_.feed_resets();
    if (!resets) {
        logging::log(*logger_, spdlog::level::err, "cannot read feed resets",
                     {.event = "state_error", .extra = {{"error", resets.err().message}}});
        return;
    }
    for (const auto& [url, count] : *resets) {
        const auto it = index_of_.find(url);
        if (it == index_of_.end() || states_[it->second].reset_count == count) continue;
        const std::size_t index = it->second;
        auto loaded = store_.load_feed(url);
        if (!loaded || !*loaded) continue;
        states_[index] = std::move(**loaded);
        logging::log(*logger_, spdlog::level::info, "feed was reset: polling it now",
                     {.event = "reset", .feed = feeds_[index].request.feed});
        if (polling_[index]) {
            timers_[index]->cancel();  // a waiting loop polls at once; a poll in flight goes on
        } else {
            states_[index].next_poll_at.reset();
            spawn_poll_loop(index);
        }
    }
}

void feed_monitor::start() {
    load_states();
    started_ = true;
    for (std::size_t i = 0; i < feeds_.size(); ++i) spawn_poll_loop(i);
    ++active_;
    asio::co_spawn(executor_, housekeeping_loop(),
                   [this](std::exception_ptr error) { coroutine_finished(error); });
}

void feed_monitor::stop(std::function<void()> on_stopped) {
    on_stopped_ = std::move(on_stopped);
    stop();
    if (active_ == 0) all_stopped();
}

void feed_monitor::prune_seen_items(core::timestamp now) {
    auto r = store_.prune_seen(now - options_.seen_retention);
    if (!r) return;  // the next prune tries again; pruning late loses nothing
    (void)store_.set_meta(seen_pruned_at_key, std::to_string(now.time_since_epoch().count()));
    if (*r > 0)
        logging::log(
            *logger_, spdlog::level::info, "pruned seen items",
            {.event = "prune",
             .extra = {{"items", *r}, {"retention", core::format_duration(options_.seen_retention)}}});
}

bool feed_monitor::seen_prune_due(core::timestamp now) {
    const auto last = store_.meta(seen_pruned_at_key);
    if (!last || !*last) return true;
    std::int64_t at = 0;
    const std::string& text = **last;
    if (std::from_chars(text.data(), text.data() + text.size(), at).ec != std::errc{}) return true;
    const core::timestamp pruned_at{core::seconds{at}};
    // A clock set back makes the last prune look in the future: prune rather than wait.
    return pruned_at > now || now - pruned_at >= seen_prune_every;
}

void feed_monitor::run_once(std::function<void(const round_totals&)> done) {
    dispatcher_.set_once_mode(true);
    auto finish = [this, done = std::move(done)]() mutable {
        journal_.flush();
        const auto now = core::now_utc();
        if (seen_prune_due(now)) prune_seen_items(now);
        processor_.prune_articles(now);
        dispatcher_.prune(now);
        // --once sends every pending storm summary before it exits, ended or not.
        queue_storm_summaries(store_, now, true);
        dispatcher_.drain(now, core::timestamp::max());
        // Async sinks may still be delivering, and failed deliveries are retried (the
        // dispatcher wakes itself after 1 s, doubling) until each is delivered or dead, or
        // once_timeout runs out; then what is in flight is cancelled (it stays pending).
        const auto deadline = std::chrono::steady_clock::now() + options_.once_timeout;
        auto cancelled = std::make_shared<bool>(false);
        auto wait = std::make_shared<std::function<void()>>();
        *wait = [this, wait, done, deadline, cancelled]() mutable {
            const bool settled = dispatcher_.idle() && dispatcher_.once_result().still_pending == 0;
            // A sink that ignores the cancellation gets 5 s more; its row stays pending.
            const bool given_up =
                *cancelled && (dispatcher_.idle() ||
                               std::chrono::steady_clock::now() >= deadline + std::chrono::seconds(5));
            if (settled || stopping_ || given_up) {
                done(totals_);
                *wait = nullptr;  // break the self-reference
                return;
            }
            if (!*cancelled && std::chrono::steady_clock::now() >= deadline) {
                *cancelled = true;
                logging::log(*logger_, spdlog::level::warn, "once_timeout reached: deliveries still pending",
                             {.event = "delivery",
                              .outcome = "timeout",
                              .extra = {{"pending", dispatcher_.once_result().still_pending},
                                        {"once_timeout", core::format_duration(options_.once_timeout)}}});
                dispatcher_.cancel_all();
                if (dispatcher_.idle()) {
                    done(totals_);
                    *wait = nullptr;
                    return;
                }
            }
            housekeeping_timer_->expires_after(std::chrono::milliseconds(20));
            housekeeping_timer_->async_wait([wait](const boost::system::error_code&) {
                if (*wait) (*wait)();
            });
        };
        (*wait)();
    };
    auto shared_finish = std::make_shared<decltype(finish)>(std::move(finish));

    load_states();
    std::vector<std::size_t> active;
    for (std::size_t i = 0; i < feeds_.size(); ++i) {
        if (states_[i].retired) {
            logging::log(*logger_, spdlog::level::info, "feed is retired (HTTP 410): skipped",
                         {.event = "retired", .feed = feeds_[i].request.feed});
            continue;
        }
        active.push_back(i);
    }
    // Alerts left pending by an earlier (crashed) run go out first, retry schedule or not.
    dispatcher_.drain(core::now_utc(), core::timestamp::max());
    if (active.empty()) {
        asio::post(executor_, [shared_finish] { (*shared_finish)(); });
        return;
    }
    auto queue = std::make_shared<once_queue>();
    queue->remaining = active.size();
    queue->feeds = std::move(active);
    queue->finish = [shared_finish] { (*shared_finish)(); };
    const std::size_t window = std::max(once_window, 4 * client_.max_connections());
    const std::size_t first = std::min(queue->feeds.size(), window);
    for (std::size_t k = 0; k < first; ++k) spawn_once_poll(queue);
}

void feed_monitor::spawn_once_poll(const std::shared_ptr<once_queue>& queue) {
    const std::size_t index = queue->feeds[queue->next++];
    ++active_;
    asio::co_spawn(executor_, poll_once(index, true),
                   [this, queue](std::exception_ptr, std::optional<core::seconds>) {
                       --active_;
                       --queue->remaining;
                       if (stopping_) {
                           // Stopped: the polls not started yet never will be.
                           queue->remaining -= queue->feeds.size() - queue->next;
                           queue->next = queue->feeds.size();
                       } else if (queue->next < queue->feeds.size()) {
                           spawn_once_poll(queue);
                       }
                       if (queue->remaining == 0) queue->finish();
                   });
}

void feed_monitor::stop() {
    stopping_ = true;
    processor_.abandon();  // a worker busy with a long document lets go at the next item
    for (auto& t : timers_) t->cancel();
    housekeeping_timer_->cancel();
    client_.cancel_all();
}

feed_health_counts feed_monitor::health_counts() const noexcept {
    feed_health_counts c;
    for (const auto& state : states_) {
        if (state.retired)
            ++c.retired;
        else if (state.consecutive_failures > 0)
            ++c.failing;
        else if (state.health_reported)
            ++c.silent;  // a reported trouble that is not a failure
        else
            ++c.ok;
    }
    return c;
}

}  // namespace newswatch::pipeline
