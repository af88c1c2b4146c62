#pragma once
// Turns one fetched document into state changes and queued alerts: parse -> new items
// (store) -> age / first-fetch rules -> matcher (+ stance) -> outbox. Parsing and matching
// run on the compute pool; the store is read on the daemon's executor, and the changes go
// to the state journal, which writes them (seen items, alerts, feed state) in one
// transaction before any alert is delivered.
#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "newswatch/core/item.hpp"
#include "newswatch/core/result.hpp"
#include "newswatch/dedup/story_index.hpp"
#include "newswatch/http/fetch_types.hpp"
#include "newswatch/pipeline/article_fetcher.hpp"
#include "newswatch/matcher/watch_set.hpp"
#include "newswatch/pipeline/compute_pool.hpp"
#include "newswatch/pipeline/pipeline_options.hpp"
#include "newswatch/pipeline/state_journal.hpp"
#include "newswatch/pipeline/storm_guard.hpp"
#include "newswatch/stance/stance_model.hpp"
#include "newswatch/store/state_store.hpp"

namespace newswatch::parser {
struct parse_result;
}

namespace newswatch::pipeline {

struct process_summary {
    bool parsed = false;
    std::string parse_error;  // when !parsed
    std::vector<std::string> warnings;
    std::size_t items = 0;
    std::size_t new_items = 0;
    std::size_t too_old = 0;
    std::size_t alerts = 0;  // alerts (watch x item), before fan-out to sinks
    // Alerts not queued because they repeat a story already alerted for the watch within
    // the dedup window (recorded as duplicate sources of the original instead).
    std::size_t duplicates = 0;
    // Alerts recorded but folded into a storm by the storm guard (included in `alerts`).
    std::size_t folded = 0;
    // Items whose text was cut to max_item_text before matching (the caller logs them).
    struct cut_item {
        std::string id;
        std::size_t bytes = 0;  // the text's size before the cut
    };
    std::vector<cut_item> cut_items;
    // Full-article fetching: items whose article was tried, and of those the ones matched
    // on the page's text (the rest on their feed text).
    std::size_t articles_tried = 0;
    std::size_t articles_used = 0;
    core::feed_meta meta;    // the feed's own hints (ttl, skip hours/days)
};

class item_processor {
public:
    // All references must outlive the processor. `stance` may be null (no claim watches).
    // watches, bindings and stance are read from compute-pool threads: they must not change.
    // `stories` (the dedup memory, used on the executor only; outlives configuration
    // generations) may be null: no deduplication, whatever options.dedup_window says.
    // `storms` (the storm guard, shared by generations) may be null: no folding.
    // `articles` may be null: no article is fetched, whatever feeds and watches say.
    item_processor(const pipeline_options& options, const matcher::watch_set& watches,
                   const std::vector<watch_binding>& bindings, const stance::stance_model* stance,
                   store::state_store& store, state_journal& journal, compute_pool& compute,
                   dedup::story_index* stories = nullptr, article_fetcher* articles = nullptr, storm_guard* storms = nullptr);

    // Call on the daemon's executor; `feed`, `state` and `response` must stay put until it
    // completes. `state` is the feed's state before this fetch; when the document could be
    // read it is updated and recorded in the journal together with seen items and alerts.
    // Never throws: a store failure is an error value, an unreadable document a summary
    // with parsed == false, abandoned work (see abandon()) errc::cancelled with nothing
    // recorded.
    boost::asio::awaitable<core::result<process_summary>> process(const feed_definition& feed,
                                                                  store::feed_state& state,
                                                                  const http::fetch_response& response,
                                                                  core::timestamp now);

    // Any thread. Work in progress stops at the next item (matching) or step boundary
    // (after parsing) and completes with errc::cancelled, so that a stopping daemon never
    // waits for a long document. Permanent: a processor is not restarted.
    void abandon() noexcept { abandoned_.store(true, std::memory_order_relaxed); }
    bool abandoned() const noexcept { return abandoned_.load(std::memory_order_relaxed); }

    // Executor: forgets cached articles older than article_retention (housekeeping).
    void prune_articles(core::timestamp now) {
        if (articles_) articles_->prune(now);
    }

private:
    struct evaluation;
    struct candidate;
    struct selection;
    // Any thread: the new items that age and first-fetch rules let through to matching.
    selection select(const store::feed_state& state, const parser::parse_result& parsed,
                     const std::vector<bool>& fresh, core::timestamp now) const;
    // Executor: fetches the articles of the selected items that their feed or a watch's
    // prefilter asks for; one entry per item of the document (nullopt: none tried).
    boost::asio::awaitable<std::vector<std::optional<item_article>>> fetch_articles(
        const feed_definition& feed, const parser::parse_result& parsed, const selection& selected,
        core::timestamp now);
    // Any thread: matching and stance for the selected items.
    evaluation evaluate(const feed_definition& feed, const store::feed_state& state,
                        const parser::parse_result& parsed, const selection& selected,
                        const std::vector<std::optional<item_article>>& articles, core::timestamp now) const;
    // Executor: queues the candidate's outbox rows, or records it as a duplicate source.
    void admit(candidate& c, store::fetch_commit& commit, process_summary& summary, core::timestamp now);
    // Executor: counts an admitted alert in the storm guard; folds its rows into a storm
    // and records the storms it opens (a feed's with a feed_health event).
    void guard_storm(candidate& c, store::fetch_commit& commit, process_summary& summary,
                     core::timestamp now);

    const pipeline_options& options_;
    const matcher::watch_set& watches_;
    const std::vector<watch_binding>& bindings_;
    const stance::stance_model* stance_;
    store::state_store& store_;
    state_journal& journal_;
    compute_pool& compute_;
    dedup::story_index* stories_;
    article_fetcher* articles_;
    storm_guard* storms_;
    std::atomic<bool> abandoned_{false};
};

}  // namespace newswatch::pipeline
