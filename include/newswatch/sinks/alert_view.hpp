#pragma once
// The display fields of one delivery payload (an alert, an alert group, a feed health
// event, a test message ...), parsed once from its JSON for the channels that show it to
// people (e-mail, chat) or fill a template with it. Every string has been through the
// output policy (core::payload_text): no control characters, no bidi overrides, valid
// UTF-8; the target's own escaping is still to be applied. Hit offsets are not kept:
// people do not read them.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace newswatch::sinks {

// One story of a storm summary or a digest, as a line of a list.
struct alert_entry {
    std::string id;
    std::string title;
    std::string link;  // http or https only
    std::string feed;  // the feed's title, else its URL (digests only)
    std::vector<std::string> watches;
    std::string stance;  // alert_view::stance_text of the story's claim watch, or ""
};

struct alert_view {
    std::string event;  // "alert", "alert_group", "feed_health", "storm", "digest", "test", ...
    std::string id;
    std::vector<std::string> watches;
    std::string title;  // the item's title; for other events a heading made from the payload
    std::string link;   // only when http or https (a javascript: link is never shown)
    std::string summary;
    std::string feed_title;
    std::string feed_url;
    std::string stance_label;  // empty: no stance
    std::string stance_claim;
    std::optional<double> stance_confidence;
    std::string published;  // RFC 3339 or ""
    std::string detected_at;
    std::vector<std::string> matched;
    std::string state;    // feed_health: "failing", "silent", "recovered" ...
    std::string reason;   // feed_health: one line
    std::string message;  // test (and anything else with a "message")
    // The highest priority of the alerts carried ("high", "default", "low") and whether
    // any is urgent.
    std::string priority = "default";
    bool urgent = false;
    // storm: the folded alerts (title and link); digest: one entry per story. Empty for
    // a single item (alert, alert_group). `title` is then a heading ("and 37 more for
    // watch X", "newswatch digest: 12 alerts").
    std::vector<alert_entry> entries;
    std::size_t folded = 0;  // storm: alerts held back; digest: alerts listed

    // "watch" as templates and subjects show it: the names joined with ", ".
    std::string watch_names() const;
    // The feed's title, else its URL.
    std::string feed_name() const;
    // "refutes (87 %): <claim>" or "" without a stance.
    std::string stance_text() const;
    // The field a `{{name}}` template placeholder stands for; nullopt for an unknown name.
    // Names: id, event, watch, title, link, summary, feed, feed_title, feed_url, stance,
    // stance_label, stance_claim, published, detected_at, matched, state, reason, message,
    // priority.
    std::optional<std::string> field(std::string_view name) const;
    static bool is_field(std::string_view name) noexcept;
};

// An alert_group payload takes its item, feed and summary from the first alert, its watches
// from "watches", its stance from the first alert that has one. Never fails: a payload that is not the
// expected JSON gives a view with what could be read (at least event and id) and a title saying so.
alert_view make_alert_view(std::string_view event, std::string_view id, std::string_view payload);

}  // namespace newswatch::sinks
