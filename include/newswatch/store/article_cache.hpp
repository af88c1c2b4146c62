#pragma once
// The text the article extractor read from items' linked pages (fetch_article, issue #15),
// kept for [daemon] article_retention so that another item linking the same page does not
// fetch it again. Rows are keyed by URL: one for the page's canonical URL holding the text,
// and one for each other URL that led there (the item link before redirects and
// rel=canonical) pointing at it. Synchronous, on a state_store's connection (its thread);
// failures are values.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "newswatch/core/result.hpp"
#include "newswatch/core/time.hpp"
#include "newswatch/store/state_store.hpp"

namespace newswatch::store {

struct cached_article {
    std::string canonical_url;
    std::string text;
    core::timestamp fetched_at{};
};

class article_cache {
public:
    // `store` must outlive this.
    explicit article_cache(state_store& store) : store_(store) {}

    // The article stored for `url` (a link or a canonical URL) at or after `not_before`.
    core::result<std::optional<cached_article>> find(std::string_view url, core::timestamp not_before);
    // Stores `text` under `canonical_url`, and `link` as a way to it when it differs.
    // Replaces what was stored for either.
    core::result<void> put(std::string_view link, std::string_view canonical_url, std::string_view text,
                           core::timestamp fetched_at);
    // Forgets articles fetched before `cutoff`; returns how many rows went.
    core::result<std::int64_t> prune(core::timestamp cutoff);
    // Pages whose text is cached (the canonical rows; the metrics gauge). Reads no text.
    core::result<std::int64_t> count();

private:
    state_store& store_;
};

}  // namespace newswatch::store
