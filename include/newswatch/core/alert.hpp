#pragma once
// An alert: one item that matched one watch. Serialised by sinks/alert_json.hpp.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "newswatch/core/time.hpp"

namespace newswatch::core {

// One place in an item where a query pattern matched.
struct hit {
    std::string pattern;  // the term or phrase as written in the query
    std::string text;     // the words that matched, as they appear in the field
    std::string field;    // "title", "summary", "content", "author", "category", "feed", "link"
    std::size_t offset = 0;  // Unicode character (code point) index into the field's plain text
    bool negated = false;
    bool hedged = false;
};

struct stance_verdict {
    std::string claim;
    std::string label;  // agree | disagree | discuss | unrelated
    double confidence = 0.0;
};

// The length of an alert's item.summary in code points (issue #11: short enough for a chat
// message or a push notification, long enough to tell what the item says).
inline constexpr std::size_t max_alert_summary = 500;

// The hits an alert carries at most (the first ones, in field order); hits_total counts all.
// A hostile 1 MB item once made a 5.3 MB alert line of 52,430 hits.
inline constexpr std::size_t max_alert_hits = 20;

struct alert {
    std::string id;  // alert_id(watch, feed_url, item_id)
    std::string watch;
    std::string feed_url;                      // as configured
    std::optional<std::string> feed_effective_url;  // after a permanent redirect
    std::optional<std::string> feed_title;
    std::string item_id;
    std::optional<std::string> item_title;
    std::optional<std::string> item_link;
    // The item's plain text (summary, else content), at most max_alert_summary code points,
    // cut at a word boundary.
    std::optional<std::string> item_summary;
    std::optional<timestamp> item_published;
    std::vector<std::string> matched;  // distinct patterns, in query order
    std::vector<hit> hits;       // the first max_alert_hits (the JSON never carries more)
    std::size_t hits_total = 0;  // every distinct hit in the item
    std::optional<stance_verdict> stance;
    timestamp detected_at{};
    // The watch's `priority` ("high", "default", "low"): chat and push channels map it to
    // the service's own priority (ntfy, Pushover, Gotify).
    std::string priority = "default";
    // The watch's `urgent`: breaks through a sink's digest and quiet hours.
    bool urgent = false;
};

// First 32 hex digits of SHA-256(watch + "\n" + feed_url + "\n" + item_id).
std::string alert_id(std::string_view watch, std::string_view feed_url, std::string_view item_id);

}  // namespace newswatch::core
