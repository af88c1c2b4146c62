#include "newswatch/sinks/grouped_json.hpp"

#include <algorithm>
#include <set>

#include <boost/json.hpp>

#include "newswatch/core/output_text.hpp"
#include "newswatch/core/sha256.hpp"

namespace newswatch::sinks {

namespace json = boost::json;

namespace {

json::value parsed_or_string(std::string_view payload) {
    boost::system::error_code ec;
    json::value v = json::parse(payload, ec);
    if (ec) return json::string(core::payload_text(payload));
    return v;
}

std::string string_of(const json::value& v, std::string_view key) {
    if (!v.is_object()) return {};
    const auto* s = v.as_object().if_contains(key);
    return s != nullptr && s->is_string() ? std::string(s->as_string()) : std::string();
}

json::object group_object(const std::vector<std::string>& alert_payloads) {
    json::array alerts;
    std::vector<std::string> ids;
    std::vector<std::string> watches;  // in alert order, each once
    for (const auto& payload : alert_payloads) {
        json::value alert = parsed_or_string(payload);
        ids.push_back(string_of(alert, "id"));
        if (auto w = string_of(alert, "watch");
            !w.empty() && std::find(watches.begin(), watches.end(), w) == watches.end())
            watches.push_back(std::move(w));
        alerts.push_back(std::move(alert));
    }
    json::array watch_array;
    for (auto& w : watches) watch_array.emplace_back(w);
    return json::object{{"type", "alert_group"},
                        {"id", alert_group_id(std::move(ids))},
                        {"watches", std::move(watch_array)},
                        {"alerts", std::move(alerts)}};
}

std::string short_hash(const std::string& text) {
    return core::sha256_hex(text).substr(0, 32);
}

}  // namespace

std::string alert_group_id(std::vector<std::string> alert_ids) {
    std::sort(alert_ids.begin(), alert_ids.end());
    std::string joined;
    for (std::size_t i = 0; i < alert_ids.size(); ++i) {
        if (i > 0) joined += '\n';
        joined += alert_ids[i];
    }
    return short_hash(joined);
}

std::string alert_group_to_json(const std::vector<std::string>& alert_payloads) {
    return json::serialize(group_object(alert_payloads));
}

std::string storm_id(const storm_summary& storm) {
    return short_hash("storm\n" + storm.watch + "\n" + storm.feed_url + "\n" +
                      core::format_rfc3339(storm.from));
}

std::string storm_to_json(const storm_summary& storm) {
    json::object root{{"type", "storm"}, {"id", storm_id(storm)}};
    if (!storm.watch.empty()) root["watch"] = core::payload_text(storm.watch);
    if (!storm.feed_url.empty()) root["feed"] = core::payload_text(storm.feed_url);
    root["folded"] = storm.alerts.size();
    root["from"] = core::format_rfc3339(storm.from);
    root["until"] = core::format_rfc3339(storm.until);
    json::array alerts;
    for (const auto& a : storm.alerts)
        alerts.emplace_back(json::object{{"id", core::payload_text(a.id)},
                                         {"title", core::payload_text(a.title)},
                                         {"link", core::payload_text(a.link)}});
    root["alerts"] = std::move(alerts);
    return json::serialize(root);
}

std::string digest_id(const digest_period& period) {
    return short_hash("digest\n" + period.sink + "\n" + core::format_rfc3339(period.from) + "\n" +
                      core::format_rfc3339(period.until));
}

std::string digest_to_json(const digest_period& period, const std::vector<std::vector<std::string>>& groups) {
    json::array group_array;
    std::size_t count = 0;
    for (const auto& g : groups) {
        count += g.size();
        group_array.emplace_back(group_object(g));
    }
    return json::serialize(json::object{{"type", "digest"},
                                        {"id", digest_id(period)},
                                        {"sink", core::payload_text(period.sink)},
                                        {"from", core::format_rfc3339(period.from)},
                                        {"until", core::format_rfc3339(period.until)},
                                        {"count", count},
                                        {"groups", std::move(group_array)}});
}

}  // namespace newswatch::sinks
