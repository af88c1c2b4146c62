#include "newswatch/pipeline/item_processor.hpp"

#include <algorithm>
#include <unordered_set>

#include "newswatch/core/errc.hpp"
#include "newswatch/core/feed_url.hpp"
#include "newswatch/core/metrics_registry.hpp"
#include "newswatch/core/sha256.hpp"
#include "newswatch/logging/module_logger.hpp"
#include "newswatch/logging/structured_log.hpp"
#include "newswatch/matcher/document_builder.hpp"
#include "newswatch/parser/feed_parser.hpp"
#include "newswatch/sinks/alert_json.hpp"
#include "newswatch/stance/item_text.hpp"
#include "newswatch/text/utf8_prefix.hpp"
#include "newswatch/text/word_cut.hpp"

namespace newswatch::pipeline {

// One alert as matching made it, before deduplication decides whether it is queued.
struct item_processor::candidate {
    std::vector<store::outbox_entry> outbox;  // one per sink
    dedup::story_fingerprint story;
    store::duplicate_source source;  // alert_id, watch, feed, item and stance filled in
    storm_limits storm;              // the watch's storm guard
};

// The new items that go to matching (indexes into the document's items).
struct item_processor::selection {
    std::vector<std::size_t> items;
    std::size_t new_items = 0;
    std::size_t too_old = 0;
};

struct item_processor::evaluation {
    std::string error;  // set when evaluation failed (an exception escaped)
    bool abandoned = false;
    std::vector<candidate> candidates;
    std::vector<process_summary::cut_item> cut_items;
};

namespace {

// The lede that goes into an item's dedup signature: its summary, else its content; only
// the first dedup::lede_words words count, so a long article is cut before tokenizing.
std::string_view lede_of(const core::item& item) {
    if (item.summary) return text::utf8_prefix(*item.summary, 2048);
    if (item.content) return text::utf8_prefix(*item.content, 2048);
    return {};
}

}  // namespace

item_processor::item_processor(const pipeline_options& options, const matcher::watch_set& watches,
                               const std::vector<watch_binding>& bindings, const stance::stance_model* stance,
                               store::state_store& store, state_journal& journal, compute_pool& compute,
                               dedup::story_index* stories, article_fetcher* articles, storm_guard* storms)
    : options_(options),
      watches_(watches),
      bindings_(bindings),
      stance_(stance),
      store_(store),
      journal_(journal),
      compute_(compute),
      stories_(stories),
      articles_(articles),
      storms_(storms) {}

item_processor::selection item_processor::select(const store::feed_state& state,
                                                 const parser::parse_result& parsed,
                                                 const std::vector<bool>& fresh, core::timestamp now) const {
    selection out;
    const bool first_fetch = !state.first_fetched_at.has_value();
    const bool suppress_all = first_fetch && options_.mark_seen_on_first_fetch;
    const core::timestamp oldest_alerting = now - options_.max_item_age;
    std::unordered_set<std::string_view> counted;  // the same id twice in one document counts once
    for (std::size_t i = 0; i < parsed.items.size(); ++i) {
        const core::item& item = parsed.items[i];
        if (!fresh[i] || !counted.insert(item.id).second) continue;
        ++out.new_items;
        if (suppress_all) continue;
        const auto date = item.published ? item.published : item.updated;
        if (date && *date < oldest_alerting) {  // items with no date count as new
            ++out.too_old;
            continue;
        }
        out.items.push_back(i);
    }
    return out;
}

boost::asio::awaitable<std::vector<std::optional<item_article>>> item_processor::fetch_articles(
    const feed_definition& feed, const parser::parse_result& parsed, const selection& selected,
    core::timestamp now) {
    std::vector<std::optional<item_article>> out(parsed.items.size());
    const matcher::watch_set* prefilters = options_.article_prefilters.get();
    if (!articles_ || selected.items.empty() || (!feed.fetch_article && !prefilters)) co_return out;

    // Which items want their article: all (the feed's fetch_article), or those whose title
    // and summary pass some watch's prefilter (matching: on the workers).
    std::vector<std::size_t> wanted = selected.items;
    if (!feed.fetch_article) {
        const std::string feed_title = feed.title ? *feed.title : parsed.feed.title.value_or("");
        wanted = co_await compute_.run([&]() noexcept {
            std::vector<std::size_t> passing;
            try {
                for (std::size_t i : selected.items) {
                    if (abandoned()) break;
                    const matcher::document doc = matcher::make_document(parsed.items[i], feed_title);
                    if (!prefilters->match(doc).empty()) passing.push_back(i);
                }
            } catch (const std::exception&) {  // allocation failure: fetch for none
                passing.clear();
            }
            return passing;
        });
        if (abandoned()) co_return out;
    }

    std::vector<std::string> links;
    std::vector<std::size_t> fetched_for;
    for (std::size_t i : wanted) {
        const auto& link = parsed.items[i].link;
        item_article& a = out[i].emplace();
        if (!link || link->empty()) {
            a.reason = "the item has no link";
            a.reason_class = "no_link";
        } else if (links.size() >= options_.max_articles_per_fetch) {
            a.url = *link;
            a.reason =
                "over max_articles_per_fetch (" + std::to_string(options_.max_articles_per_fetch) + ")";
            a.reason_class = "over_limit";
        } else {
            links.push_back(*link);
            fetched_for.push_back(i);
        }
    }
    if (!links.empty()) {
        std::vector<item_article> got = co_await articles_->fetch(feed, links, now);
        for (std::size_t k = 0; k < got.size(); ++k) out[fetched_for[k]] = std::move(got[k]);
    }
    auto& metrics = core::metrics_registry::process();
    for (const auto& a : out) {
        if (!a) continue;
        if (a->used)
            metrics.article_used(a->from_cache);
        else
            metrics.article_unavailable(a->reason_class);
    }
    co_return out;
}

item_processor::evaluation item_processor::evaluate(const feed_definition& feed,
                                                    const store::feed_state& state,
                                                    const parser::parse_result& parsed,
                                                    const selection& selected,
                                                    const std::vector<std::optional<item_article>>& articles,
                                                    core::timestamp now) const {
    evaluation out;
    const std::string feed_title = feed.title ? *feed.title : parsed.feed.title.value_or("");
    for (const std::size_t i : selected.items) {
        if (abandoned()) {
            out.abandoned = true;
            return out;
        }
        const core::item& item = parsed.items[i];
        const std::optional<item_article>& article = articles[i];
        const std::string_view article_text =
            article && article->used ? std::string_view(article->text) : std::string_view{};
        std::optional<dedup::story_fingerprint> story;  // computed for the first alert of the item
        std::string group_key;  // the item's outbox group, computed with its first alert
        matcher::document doc = matcher::make_document(item, feed_title);
        doc.article = article_text;
        if (const auto cut = matcher::limit_text(doc, options_.max_item_text); cut.cut())
            out.cut_items.push_back({item.id, cut.before});
        for (const matcher::watch_result& match : watches_.match(doc)) {
            if (!match.matched || match.watch_index >= bindings_.size()) continue;
            const watch_binding& binding = bindings_[match.watch_index];
            core::alert alert;
            if (binding.claim) {
                if (!stance_) continue;
                std::string text = stance::item_text(item, article_text);
                text.resize(text::utf8_prefix(text, options_.max_item_text).size());
                const auto prediction = stance_->classify(binding.claim->claim, text);
                const std::string label(stance::to_string(prediction.label));
                const auto& wanted = binding.claim->stances;
                if (std::find(wanted.begin(), wanted.end(), label) == wanted.end() ||
                    prediction.confidence < binding.claim->min_confidence)
                    continue;
                alert.stance = core::stance_verdict{binding.claim->claim, label, prediction.confidence};
            }
            core::metrics_registry::process().watch_matched(binding.name);
            alert.id = core::alert_id(binding.name, feed.url, item.id);
            alert.watch = binding.name;
            alert.feed_url = feed.url;
            alert.feed_effective_url = state.effective_url;
            if (!feed_title.empty()) alert.feed_title = feed_title;
            alert.item_id = item.id;
            alert.item_title = item.title;
            alert.item_link = item.link;
            if (const auto& body = item.summary ? item.summary : item.content; body && !body->empty())
                alert.item_summary = text::cut_at_word(*body, core::max_alert_summary);
            alert.item_published = item.published ? item.published : item.updated;
            if (article) alert.item_article = article->status();
            alert.matched = match.matched_patterns;
            const auto shown = std::min(match.hits.size(), core::max_alert_hits);
            alert.hits.assign(match.hits.begin(), match.hits.begin() + static_cast<std::ptrdiff_t>(shown));
            alert.hits_total = match.hits_total;
            alert.detected_at = now;
            alert.priority = binding.priority;
            alert.urgent = binding.urgent;
            const std::string payload = sinks::alert_to_json(alert);
            candidate c;
            if (group_key.empty()) group_key = core::sha256_hex(feed.url + "\n" + item.id).substr(0, 32);
            for (const auto& sink : binding.sinks) {
                store::outbox_entry entry{alert.id, sink, payload, "alert", alert.watch};
                entry.group_key = group_key;
                entry.urgent = alert.urgent;
                c.outbox.push_back(std::move(entry));
            }
            if (stories_ && options_.dedup_window.count() > 0) {
                if (!story) story = dedup::fingerprint_of(item.title, item.link, lede_of(item));
                c.story = *story;
            }
            c.storm = {binding.storm_threshold, binding.storm_window};
            c.source = {{},      alert.id,  binding.name, feed.url,
                        item.id, item.link, item.title,   alert.stance ? alert.stance->label : std::string(),
                        {},      1.0,       now};
            out.candidates.push_back(std::move(c));
        }
    }
    return out;
}

boost::asio::awaitable<core::result<process_summary>> item_processor::process(
    const feed_definition& feed, store::feed_state& state, const http::fetch_response& response,
    core::timestamp now) {
    // Worker side: parse. Exceptions (allocation failure) become a parse error.
    parser::parse_result parsed = co_await compute_.run([&]() noexcept {
        try {
            parser::parse_options popts;
            popts.content_type = response.content_type;
            popts.base_url = response.effective_url.empty() ? std::string_view(feed.url)
                                                            : std::string_view(response.effective_url);
            return parser::parse_feed(response.body, popts);
        } catch (const std::exception& e) {
            parser::parse_result failed;
            failed.error = std::string("parsing failed: ") + e.what();
            return failed;
        }
    });

    if (abandoned()) co_return core::error{core::errc::cancelled, "stopping"};
    process_summary summary;
    summary.warnings = std::move(parsed.warnings);
    if (!parsed.ok()) {
        summary.parse_error =
            parsed.error.empty() ? std::string(parser::to_string(parsed.format)) : parsed.error;
        co_return summary;
    }
    summary.parsed = true;
    summary.items = parsed.items.size();

    std::vector<std::string> ids;
    ids.reserve(parsed.items.size());
    for (const auto& item : parsed.items) ids.push_back(item.id);
    // A document of this feed still queued in the journal has items not yet marked seen.
    if (journal_.has_pending_document(feed.url)) journal_.flush();
    auto fresh = store_.find_new_items(feed.url, ids);
    if (!fresh) co_return fresh.err();

    const selection selected = select(state, parsed, *fresh, now);
    // The articles the items want, before matching: a failed fetch leaves the item to its
    // feed text, it never drops it.
    const std::vector<std::optional<item_article>> articles =
        co_await fetch_articles(feed, parsed, selected, now);
    if (abandoned()) co_return core::error{core::errc::cancelled, "stopping"};
    for (const auto& a : articles) {
        summary.articles_tried += a ? 1 : 0;
        summary.articles_used += a && a->used ? 1 : 0;
    }

    evaluation result = co_await compute_.run([&]() noexcept {
        try {
            return evaluate(feed, state, parsed, selected, articles, now);
        } catch (const std::exception& e) {
            evaluation failed;
            failed.error = std::string("matching failed: ") + e.what();
            return failed;
        }
    });
    if (result.abandoned) co_return core::error{core::errc::cancelled, "stopping"};
    if (!result.error.empty()) co_return core::error{core::errc::invalid_argument, result.error};
    summary.new_items = selected.new_items;
    summary.too_old = selected.too_old;
    summary.cut_items = std::move(result.cut_items);

    if (!state.first_fetched_at) state.first_fetched_at = now;
    if (parsed.feed.title) state.title = parsed.feed.title;
    state.items_seen_at = now;
    summary.meta = std::move(parsed.feed);

    store::fetch_commit commit;
    commit.feed = state;
    commit.present_item_ids = std::move(ids);
    if (stories_ && options_.dedup_window.count() > 0) stories_->forget_before(now - options_.dedup_window);
    for (candidate& c : result.candidates) admit(c, commit, summary, now);
    commit.read_at = now;
    journal_.record(std::move(commit));
    co_return summary;
}

void item_processor::admit(candidate& c, store::fetch_commit& commit, process_summary& summary,
                           core::timestamp now) {
    const store::duplicate_source& source = c.source;
    if (stories_ && options_.dedup_window.count() > 0 && !c.story.empty()) {
        const auto match = stories_->find(source.watch, source.stance, c.story, now - options_.dedup_window,
                                          options_.dedup_threshold);
        // The same alert again (its document was evaluated once more after a failed write)
        // is no duplicate of itself: it is queued again, and the outbox keeps one row.
        if (match && match->original_alert_id != source.alert_id) {
            store::duplicate_source duplicate = source;
            duplicate.original_alert_id = match->original_alert_id;
            duplicate.rule = std::string(dedup::to_string(match->rule));
            duplicate.similarity = match->similarity;
            core::metrics_registry::process().alert_deduplicated(source.watch);
            logging::log(
                *logging::module_logger("pipeline"), spdlog::level::debug, "duplicate story not alerted",
                {.event = "alert_deduplicated",
                 .feed = source.feed_url,
                 .watch = source.watch,
                 .alert_id = source.alert_id,
                 .extra = {{"original", duplicate.original_alert_id},
                           {"rule", duplicate.rule},
                           {"similarity_percent", static_cast<std::int64_t>(match->similarity * 100)}}});
            commit.duplicates.push_back(std::move(duplicate));
            ++summary.duplicates;
            return;
        }
        // Written again for the same alert too: the write that held it may have failed.
        if (!match) stories_->remember(source.watch, source.stance, c.story, source.alert_id, now);
        commit.stories.push_back({source.alert_id, source.watch, source.stance, c.story.link, c.story.title,
                                  c.story.signature ? dedup::to_bytes(*c.story.signature) : std::string(),
                                  now});
    }
    guard_storm(c, commit, summary, now);
    for (auto& entry : c.outbox) commit.alerts.push_back(std::move(entry));
    ++summary.alerts;
}

void item_processor::guard_storm(candidate& c, store::fetch_commit& commit, process_summary& summary,
                                 core::timestamp now) {
    if (!storms_) return;
    const store::duplicate_source& source = c.source;
    auto decision = storms_->count(source.watch, c.storm, source.feed_url,
                                   {options_.feed_storm_threshold, options_.storm_window}, now);
    for (auto& storm : decision.opened) {
        const bool feed_storm = storm.watch.empty();
        const std::string feed_name = core::redact_credentials(source.feed_url);
        const int threshold = feed_storm ? options_.feed_storm_threshold : c.storm.threshold;
        const std::string reason =
            (feed_storm ? "more than " + std::to_string(threshold) + " alerts from this feed"
                        : "more than " + std::to_string(threshold) + " alerts for watch " + storm.watch) +
            " within " + core::format_duration(storm.ends_at - storm.started_at) +
            ": further alerts are folded into one summary at " + core::format_rfc3339(storm.ends_at);
        logging::log(*logging::module_logger("pipeline"), spdlog::level::warn, "storm: alerts folded",
                     {.event = "storm",
                      .feed = feed_storm ? std::string_view(feed_name) : std::string_view(),
                      .watch = storm.watch,
                      .alert_id = storm.storm_id,
                      .outcome = "opened",
                      .extra = {{"reason", reason}}});
        if (feed_storm && !options_.health_sinks.empty()) {
            // The feed re-publishing its archive is a health matter: the health sinks hear it.
            sinks::feed_health_event event;
            event.feed_url = source.feed_url;
            event.effective_url = commit.feed.effective_url.value_or("");
            event.feed_title = commit.feed.title.value_or("");
            event.state = "storm";
            event.reason = reason;
            event.last_outcome = commit.feed.last_outcome;
            event.last_status = commit.feed.last_status;
            event.since = core::format_rfc3339(storm.started_at);
            event.detected_at = now;
            const std::string payload = sinks::feed_health_to_json(event);
            const std::string id = core::sha256_hex(payload).substr(0, 32);
            for (const auto& sink : options_.health_sinks)
                commit.alerts.push_back({id, sink, payload, "feed_health", ""});
        }
        commit.storms.push_back(std::move(storm));
    }
    if (!decision.storm_id) return;
    for (auto& entry : c.outbox) entry.storm_id = decision.storm_id;
    core::metrics_registry::process().alert_folded(source.watch);
    ++summary.folded;
}

}  // namespace newswatch::pipeline
