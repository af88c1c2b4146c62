#include "newswatch/sinks/log_sink.hpp"

#include <boost/json.hpp>

#include "newswatch/logging/module_logger.hpp"
#include "newswatch/logging/structured_log.hpp"

namespace newswatch::sinks {
namespace json = boost::json;

namespace {

std::string str(const json::object& o, std::string_view key) {
    if (auto* v = o.if_contains(key); v && v->is_string()) return std::string(v->as_string());
    return {};
}

const json::object& object_at(const json::object& o, std::string_view key) {
    static const json::object empty;
    const auto* v = o.if_contains(key);
    return v && v->is_object() ? v->as_object() : empty;
}

const json::array& array_at(const json::object& o, std::string_view key) {
    static const json::array empty;
    const auto* v = o.if_contains(key);
    return v && v->is_array() ? v->as_array() : empty;
}

std::string joined_strings(const json::array& a) {
    std::string out;
    for (const auto& s : a)
        if (s.is_string()) out += (out.empty() ? "" : ",") + std::string(s.as_string());
    return out;
}

// The fields of one alert: its watch, feed, item title and link, patterns and stance.
void read_alert_fields(const json::object& root, alert_log_entry& e) {
    const auto& feed = object_at(root, "feed");
    e.feed = str(feed, "url");
    e.watch = str(root, "watch");
    const auto& item = object_at(root, "item");
    if (auto title = str(feed, "title"); !title.empty()) e.extra.emplace_back("feed_title", std::move(title));
    e.extra.emplace_back("title", str(item, "title"));
    e.extra.emplace_back("link", str(item, "link"));
    e.extra.emplace_back("matched", joined_strings(array_at(root, "matched")));
    if (auto* s = root.if_contains("stance"); s && s->is_object()) {
        std::string stance = str(s->as_object(), "label");
        if (auto* c = s->as_object().if_contains("confidence"); c && c->is_number())
            stance += "(" + std::to_string(c->to_number<double>()).substr(0, 4) + ")";
        e.extra.emplace_back("stance", std::move(stance));
    }
}

}  // namespace

log_sink::log_sink(std::string name, std::string level)
    : alert_sink(std::move(name)),
      logger_(logging::module_logger("alerts")),
      level_(logging::parse_level(level).value_or(spdlog::level::info)) {}

logging::log_fields alert_log_entry::fields() const {
    logging::log_fields f{
        .event = event, .feed = feed, .watch = watch, .sink = sink, .alert_id = alert_id, .outcome = outcome};
    for (const auto& [key, value] : extra) f.extra.push_back({key, value});
    return f;
}

alert_log_entry alert_log_entry_of(std::string_view payload, std::string_view sink) {
    alert_log_entry e;
    e.sink = sink;
    boost::system::error_code ec;
    json::value v = json::parse(payload, ec);
    if (ec || !v.is_object()) {
        e.message = "alert payload that is not JSON";
        e.event = "alert";
        e.extra.emplace_back("payload", std::string(payload));
        return e;
    }
    const auto& root = v.as_object();
    const auto& feed = object_at(root, "feed");
    e.feed = str(feed, "url");
    e.alert_id = str(root, "id");
    if (str(root, "type") == "feed_health") {
        e.message = "feed health";
        e.event = "feed_health";
        e.outcome = str(root, "state");
        e.extra.emplace_back("reason", str(root, "reason"));
        return e;
    }
    const std::string type = str(root, "type");
    if (type == "alert_group") {
        // One line per item: the first alert's fields, every watch it matched.
        e.message = "alert";
        e.event = "alert";
        const auto& alerts = array_at(root, "alerts");
        if (!alerts.empty() && alerts.front().is_object()) read_alert_fields(alerts.front().as_object(), e);
        e.watch = joined_strings(array_at(root, "watches"));
        e.extra.emplace_back("alerts", std::to_string(alerts.size()));
        return e;
    }
    if (type == "storm") {
        e.message = "alert storm: more alerts folded into one summary";
        e.event = "storm";
        e.watch = str(root, "watch");
        e.feed = str(root, "feed");
        if (auto* n = root.if_contains("folded"); n && n->is_number())
            e.extra.emplace_back("folded", std::to_string(n->to_number<std::int64_t>()));
        return e;
    }
    if (type == "digest") {
        e.message = "digest";
        e.event = "digest";
        if (auto* n = root.if_contains("count"); n && n->is_number())
            e.extra.emplace_back("alerts", std::to_string(n->to_number<std::int64_t>()));
        e.extra.emplace_back("stories", std::to_string(array_at(root, "groups").size()));
        std::string titles;
        for (const auto& g : array_at(root, "groups")) {
            if (!g.is_object()) continue;
            const auto& alerts = array_at(g.as_object(), "alerts");
            if (alerts.empty() || !alerts.front().is_object()) continue;
            titles +=
                (titles.empty() ? "" : " | ") + str(object_at(alerts.front().as_object(), "item"), "title");
        }
        e.extra.emplace_back("titles", std::move(titles));
        return e;
    }
    e.message = "alert";
    e.event = "alert";
    read_alert_fields(root, e);
    return e;
}

std::string format_alert_line(std::string_view payload, std::string_view sink) {
    const alert_log_entry e = alert_log_entry_of(payload, sink);
    return logging::render_human(e.message, e.fields());
}

void log_sink::deliver_(const delivery_message& message, completion done) {
    const alert_log_entry e = alert_log_entry_of(message.payload, name());
    logging::log(*logger_, level_, e.message, e.fields());
    done(delivery_result::ok());
}

}  // namespace newswatch::sinks
