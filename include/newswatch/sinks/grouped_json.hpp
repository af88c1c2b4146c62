#pragma once
// The payloads of messages that carry several alerts (issue #13). Each embeds the alert
// JSON of sinks/alert_json.hpp unchanged, so a receiver reads one alert the same way
// wherever it sits.
//
//   alert_group  {"type":"alert_group","id","watches":[...],"alerts":[<alert>, ...]}
//                one item that matched several watches sharing a sink; id = first 32 hex
//                digits of SHA-256 of the sorted alert ids joined by "\n".
//   storm        {"type":"storm","id","watch" (or "feed"),"folded":N,"from","until",
//                 "alerts":[{"id","title","link"}, ...]}
//                the alerts a storm guard held back from one watch (or feed) in its window.
//   digest       {"type":"digest","id","sink","from","until","count":N,
//                 "groups":[<alert_group>, ...]}
//                a sink's digest period (or the end of its quiet hours): every story once,
//                each as an alert_group of the watches it matched.
#include <string>
#include <string_view>
#include <vector>

#include "newswatch/core/time.hpp"

namespace newswatch::sinks {

// First 32 hex digits of SHA-256 of the sorted ids joined by "\n". One id gives its own
// group id, not the alert id: a group is a different message.
std::string alert_group_id(std::vector<std::string> alert_ids);

// `alert_payloads` are alert JSON documents (one item, several watches). A payload that
// is not JSON is carried as a string rather than dropped. Never throws.
std::string alert_group_to_json(const std::vector<std::string>& alert_payloads);

struct folded_alert {
    std::string id;
    std::string title;
    std::string link;
};

struct storm_summary {
    std::string watch;     // a watch's storm; empty for a feed's
    std::string feed_url;  // a feed's storm (feed_storm_threshold); empty for a watch's
    core::timestamp from{};
    core::timestamp until{};
    std::vector<folded_alert> alerts;
};
std::string storm_id(const storm_summary& storm);
std::string storm_to_json(const storm_summary& storm);

struct digest_period {
    std::string sink;
    core::timestamp from{};
    core::timestamp until{};
};
// `groups`: one entry per story, each the alert payloads of that story (as for
// alert_group_to_json).
std::string digest_id(const digest_period& period);
std::string digest_to_json(const digest_period& period, const std::vector<std::vector<std::string>>& groups);

}  // namespace newswatch::sinks
