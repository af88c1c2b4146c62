#include "newswatch/pipeline/item_processor.hpp"

#include <algorithm>

#include "newswatch/core/errc.hpp"
#include "newswatch/matcher/document_builder.hpp"
#include "newswatch/parser/feed_parser.hpp"
#include "newswatch/sinks/alert_json.hpp"
#include "newswatch/stance/item_text.hpp"

namespace newswatch::pipeline {

item_processor::item_processor(const pipeline_options& options, const matcher::watch_set& watches,
                               const std::vector<watch_binding>& bindings, const stance::stance_model* stance,
                               store::state_store& store)
    : options_(options), watches_(watches), bindings_(bindings), stance_(stance), store_(store) {}

core::result<process_summary> item_processor::process(const feed_definition& feed, store::feed_state& state,
                                                      const fetcher::fetch_response& response,
                                                      core::timestamp now) noexcept {
    try {
        process_summary summary;
        const std::string base_url = response.effective_url.empty() ? feed.url : response.effective_url;
        parser::parse_options popts;
        popts.content_type = response.content_type;
        popts.base_url = base_url;
        parser::parse_result parsed = parser::parse_feed(response.body, popts);
        summary.warnings = parsed.warnings;
        if (!parsed.ok()) {
            summary.parse_error = parsed.error.empty() ? std::string(parser::to_string(parsed.format)) : parsed.error;
            return summary;
        }
        summary.parsed = true;
        summary.items = parsed.items.size();
        summary.meta = parsed.feed;

        std::vector<std::string> ids;
        ids.reserve(parsed.items.size());
        for (const auto& item : parsed.items) ids.push_back(item.id);
        auto fresh = store_.find_new_items(feed.url, ids);
        if (!fresh) return fresh.err();

        const bool first_fetch = !state.first_fetched_at.has_value();
        const bool suppress_all = first_fetch && options_.mark_seen_on_first_fetch;
        const core::timestamp oldest_alerting = now - options_.max_item_age;
        const std::string feed_title = feed.title ? *feed.title : parsed.feed.title.value_or("");

        store::fetch_commit commit;
        commit.present_item_ids = ids;
        for (std::size_t i = 0; i < parsed.items.size(); ++i) {
            if (!(*fresh)[i]) continue;
            // The same id twice in one document counts once.
            if (std::find(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(i), ids[i]) !=
                ids.begin() + static_cast<std::ptrdiff_t>(i))
                continue;
            ++summary.new_items;
            if (suppress_all) continue;
            const core::item& item = parsed.items[i];
            const auto date = item.published ? item.published : item.updated;
            if (date && *date < oldest_alerting) {  // items with no date count as new
                ++summary.too_old;
                continue;
            }
            const matcher::document doc = matcher::make_document(item, feed_title);
            for (const matcher::watch_result& match : watches_.match(doc)) {
                if (!match.matched || match.watch_index >= bindings_.size()) continue;
                const watch_binding& binding = bindings_[match.watch_index];
                core::alert alert;
                if (binding.claim) {
                    if (!stance_) continue;
                    const auto prediction = stance_->classify(binding.claim->claim, stance::item_text(item));
                    const std::string label(stance::to_string(prediction.label));
                    const auto& wanted = binding.claim->stances;
                    if (std::find(wanted.begin(), wanted.end(), label) == wanted.end() ||
                        prediction.confidence < binding.claim->min_confidence)
                        continue;
                    alert.stance = core::stance_verdict{binding.claim->claim, label, prediction.confidence};
                }
                alert.id = core::alert_id(binding.name, feed.url, item.id);
                alert.watch = binding.name;
                alert.feed_url = feed.url;
                alert.feed_effective_url = state.effective_url;
                if (!feed_title.empty()) alert.feed_title = feed_title;
                alert.item_id = item.id;
                alert.item_title = item.title;
                alert.item_link = item.link;
                alert.item_published = item.published ? item.published : item.updated;
                alert.matched = match.matched_patterns;
                alert.hits = match.hits;
                alert.detected_at = now;
                const std::string payload = sinks::alert_to_json(alert);
                for (const auto& sink : binding.sinks) commit.alerts.push_back({alert.id, sink, payload});
                ++summary.alerts;
            }
        }

        if (!state.first_fetched_at) state.first_fetched_at = now;
        if (parsed.feed.title) state.title = parsed.feed.title;
        state.items_seen_at = now;
        commit.feed = state;
        if (auto r = store_.commit_fetch(commit, now); !r) return r.err();
        return summary;
    } catch (const std::exception& e) {
        return core::error{core::errc::invalid_argument, std::string("processing failed: ") + e.what()};
    }
}

}  // namespace newswatch::pipeline
