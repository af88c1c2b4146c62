#pragma once
// All watches compiled into one shared matcher. Synchronous, no I/O; safe to call
// match() from several threads at once on one watch_set (it is immutable after compile).
// match() is linear in the item's text for a given watch set, hit-dense items included.
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "newswatch/core/alert.hpp"
#include "newswatch/core/result.hpp"

namespace newswatch::matcher {

enum class negated_policy { keep, ignore };

// Where a watch's topic must be central (issue #15 item 2, docs/CONFIG.md `scope`):
//   any:  the query anywhere in the item (no centrality condition);
//   body: the query anywhere, and either it also holds on the title + lede (first two
//         sentences of the summary, else of the content) or the watch's hits are dense
//         enough in the whole item (`min_density` hits per 100 words);
//   lede: the query must hold on the title + lede alone.
enum class watch_scope { any, body, lede };

// The default `min_density`, chosen on the tuning split of the pack's labelled examples
// (tests/data/matcher/nato-ukraine-labelled.tsv, as full articles): see docs/CONFIG.md.
inline constexpr double default_min_density = 1.5;

// One watch as configured. Defaults are what a watch without options gets.
struct watch_spec {
    std::string name;
    std::string query;
    // Fields searched by unscoped terms; empty = {"title", "summary", "content", "article"}.
    std::vector<std::string> fields;
    int min_hits = 1;  // distinct hits needed on top of the query being true
    negated_policy negated = negated_policy::keep;
    std::string language;  // Snowball language for stemming ("english", "russian", ...); "" = none
    bool stemming = false;
    bool accent_insensitive = false;
    watch_scope scope = watch_scope::any;
    double min_density = default_min_density;  // hits per 100 words; used with scope = body
    // A query in the same language; when it holds on the item's title + lede the watch does
    // not fire (features, retrospectives, testimony: see feeds/nato-ukraine.toml). "" = none.
    std::string hold_back;
};

// What the matcher sees of an item: plain-text fields (the parser's output).
struct document {
    std::string_view title;
    std::string_view summary;
    std::string_view content;
    std::string_view link;
    std::string_view feed;  // the feed's title
    std::vector<std::string_view> authors;
    std::vector<std::string_view> categories;
    // The main text of the item's linked page, when it was fetched (fetch_article).
    std::string_view article;
};

// Hits described per field in watch_result::hits. A hostile item can hold millions of hits;
// hits_total counts them all, and alerts show fewer still (core::max_alert_hits).
inline constexpr std::size_t max_hits_per_field = 20;

struct watch_result {
    std::size_t watch_index = 0;  // index into the specs given to compile()
    bool matched = false;
    std::vector<std::string> matched_patterns;  // distinct patterns that hit, in query order
    // Distinct places that hit, in field order then position; at most max_hits_per_field
    // of each field. hits_total counts every one (when matched, or with explain).
    std::vector<core::hit> hits;
    std::size_t hits_total = 0;
    std::string reason;  // with explain: why it did not match (or what decided it)
};

// A query error: which watch, where in its query, what was expected.
struct query_error {
    std::string watch;
    std::size_t position = 0;       // Unicode character index into the query, 0-based
    std::string message;            // e.g. "expected a term or '(' after AND"
    std::string hint;               // e.g. "operators are uppercase: write AND, not and"
    std::string to_string() const;  // "watch 'x': query position 12: <message> (<hint>)"
};

class watch_set {
public:
    // Compiles every spec; returns the first error found (watch name, position, message).
    static core::result<watch_set> compile(std::vector<watch_spec> specs, query_error* error_out = nullptr);

    // Matches one item. Without `explain` only matching watches are returned; with it,
    // every watch appears, non-matching ones with matched = false and a reason.
    std::vector<watch_result> match(const document& doc, bool explain = false) const;

    const std::vector<watch_spec>& specs() const noexcept;

    watch_set(watch_set&&) noexcept;
    watch_set& operator=(watch_set&&) noexcept;
    ~watch_set();

private:
    struct impl;
    explicit watch_set(std::unique_ptr<impl> p);
    std::unique_ptr<impl> impl_;
};

}  // namespace newswatch::matcher
