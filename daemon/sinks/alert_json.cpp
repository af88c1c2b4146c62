#include "newswatch/sinks/alert_json.hpp"

#include <algorithm>
#include "newswatch/core/feed_url.hpp"

#include <boost/json.hpp>

#include "newswatch/core/output_text.hpp"
#include "newswatch/core/sha256.hpp"

namespace newswatch::sinks {
namespace json = boost::json;

namespace {

// Every string of a payload goes through core::payload_text (hostile characters removed,
// the output policy); Boost.JSON's escaping follows. Ids are computed from the raw values.
json::string text(std::string_view s) {
    return json::string(core::payload_text(s));
}

json::value optional_string(const std::optional<std::string>& s) {
    if (!s) return nullptr;
    return text(*s);
}

}  // namespace

std::string alert_to_json(const core::alert& alert) {
    json::object feed;
    // Credentials in a feed URL never reach a receiver; the id keeps the configured URL.
    feed["url"] = text(core::redact_credentials(alert.feed_url));
    feed["title"] = optional_string(alert.feed_title);
    if (alert.feed_effective_url)
        feed["effective_url"] = text(core::redact_credentials(*alert.feed_effective_url));

    json::object item;
    item["id"] = text(alert.item_id);
    item["title"] = optional_string(alert.item_title);
    item["link"] = optional_string(alert.item_link);
    if (alert.item_summary) item["summary"] = text(*alert.item_summary);
    item["published"] =
        alert.item_published ? json::value(core::format_rfc3339(*alert.item_published)) : nullptr;

    json::array matched;
    for (const auto& m : alert.matched) matched.emplace_back(text(m));

    json::array hits;
    const std::size_t shown = std::min(alert.hits.size(), core::max_alert_hits);
    for (std::size_t i = 0; i < shown; ++i) {
        const core::hit& h = alert.hits[i];
        hits.emplace_back(json::object{{"pattern", text(h.pattern)},
                                       {"text", text(h.text)},
                                       {"field", text(h.field)},
                                       {"offset", h.offset},
                                       {"negated", h.negated},
                                       {"hedged", h.hedged}});
    }

    json::object root;
    root["type"] = "alert";
    root["id"] = alert.id;
    root["watch"] = text(alert.watch);
    root["feed"] = std::move(feed);
    root["item"] = std::move(item);
    root["matched"] = std::move(matched);
    root["hits"] = std::move(hits);
    root["hits_total"] = std::max(alert.hits_total, alert.hits.size());
    if (alert.stance) {
        root["stance"] = json::object{{"claim", text(alert.stance->claim)},
                                      {"label", text(alert.stance->label)},
                                      {"confidence", alert.stance->confidence}};
    }
    root["detected_at"] = core::format_rfc3339(alert.detected_at);
    root["priority"] = text(alert.priority);
    if (alert.urgent) root["urgent"] = true;
    return json::serialize(root);
}

std::string feed_health_to_json(const feed_health_event& e) {
    json::object feed{{"url", text(core::redact_credentials(e.feed_url))}};
    feed["title"] = e.feed_title.empty() ? json::value(nullptr) : json::value(text(e.feed_title));
    if (!e.effective_url.empty()) feed["effective_url"] = text(core::redact_credentials(e.effective_url));
    json::object root;
    root["type"] = "feed_health";
    // Stable per feed, state and episode start, so receivers can drop duplicates.
    root["id"] =
        core::sha256_hex("feed_health\n" + e.feed_url + "\n" + e.state + "\n" + e.since).substr(0, 32);
    root["feed"] = std::move(feed);
    root["state"] = text(e.state);
    root["reason"] = text(e.reason);
    root["since"] = e.since.empty() ? json::value(nullptr) : json::value(e.since);
    root["consecutive_failures"] = e.consecutive_failures;
    root["last_outcome"] = text(e.last_outcome);
    root["last_status"] = e.last_status;
    root["detected_at"] = core::format_rfc3339(e.detected_at);
    return json::serialize(root);
}

}  // namespace newswatch::sinks
