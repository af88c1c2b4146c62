#pragma once
// The alert JSON contract (one line per alert; these fields exactly, more allowed):
// {"type":"alert","id","watch","feed":{"url","title"},"item":{"id","title","link","published"},
//  item.summary (the item's plain text, at most 500 code points cut at a word boundary,
//  absent when the item has no text),
//  "matched":[...],"hits":[{"pattern","text","field","offset","negated","hedged"}],"hits_total",
//  "detected_at"}; "hits" holds at most core::max_alert_hits entries, "hits_total" counts all.
// plus "feed.effective_url" after a permanent redirect, "stance" for claim watches,
// "priority" ("high", "default", "low": the watch's) and "urgent": true for an urgent watch.
#include <string>

#include "newswatch/core/alert.hpp"

namespace newswatch::sinks {

std::string alert_to_json(const core::alert& alert);

// A feed health event: {"type":"feed_health","id","feed":{"url",...},"state","reason",
// "failing_since","consecutive_failures","last_outcome","last_status","detected_at"}.
struct feed_health_event {
    std::string feed_url;
    std::string effective_url;
    std::string feed_title;
    std::string state;   // "failing", "silent", "retired", "recovered"
    std::string reason;  // one human line
    std::string last_outcome;
    long last_status = 0;
    int consecutive_failures = 0;
    std::string since;  // RFC 3339 or ""
    core::timestamp detected_at{};
};
std::string feed_health_to_json(const feed_health_event& event);

}  // namespace newswatch::sinks
