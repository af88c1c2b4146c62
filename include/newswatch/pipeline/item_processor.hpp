#pragma once
// Turns one fetched document into state changes and queued alerts: parse -> new items
// (store) -> age / first-fetch rules -> matcher (+ stance) -> outbox, committed in one
// SQLite transaction. Synchronous; called on the daemon's executor.
#include <string>
#include <vector>

#include "newswatch/core/item.hpp"
#include "newswatch/core/result.hpp"
#include "newswatch/fetcher/fetch_types.hpp"
#include "newswatch/matcher/watch_set.hpp"
#include "newswatch/pipeline/pipeline_options.hpp"
#include "newswatch/stance/stance_model.hpp"
#include "newswatch/store/state_store.hpp"

namespace newswatch::pipeline {

struct process_summary {
    bool parsed = false;
    std::string parse_error;  // when !parsed
    std::vector<std::string> warnings;
    std::size_t items = 0;
    std::size_t new_items = 0;
    std::size_t too_old = 0;
    std::size_t alerts = 0;  // alerts (watch x item), before fan-out to sinks
    core::feed_meta meta;    // the feed's own hints (ttl, skip hours/days)
};

class item_processor {
public:
    // All references must outlive the processor. `stance` may be null (no claim watches).
    item_processor(const pipeline_options& options, const matcher::watch_set& watches,
                   const std::vector<watch_binding>& bindings, const stance::stance_model* stance,
                   store::state_store& store);

    // `state` is the feed's state before this fetch; it is updated and saved (together with
    // seen items and alerts) when the document could be processed. Never throws.
    core::result<process_summary> process(const feed_definition& feed, store::feed_state& state,
                                          const fetcher::fetch_response& response, core::timestamp now) noexcept;

private:
    const pipeline_options& options_;
    const matcher::watch_set& watches_;
    const std::vector<watch_binding>& bindings_;
    const stance::stance_model* stance_;
    store::state_store& store_;
};

}  // namespace newswatch::pipeline
