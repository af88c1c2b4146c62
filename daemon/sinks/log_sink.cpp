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
    e.message = "alert";
    e.event = "alert";
    e.watch = str(root, "watch");
    const auto& item = object_at(root, "item");
    if (auto title = str(feed, "title"); !title.empty()) e.extra.emplace_back("feed_title", std::move(title));
    e.extra.emplace_back("title", str(item, "title"));
    e.extra.emplace_back("link", str(item, "link"));
    std::string matched;
    if (auto* m = root.if_contains("matched"); m && m->is_array())
        for (const auto& p : m->as_array())
            if (p.is_string()) matched += (matched.empty() ? "" : ",") + std::string(p.as_string());
    e.extra.emplace_back("matched", std::move(matched));
    if (auto* s = root.if_contains("stance"); s && s->is_object()) {
        std::string stance = str(s->as_object(), "label");
        if (auto* c = s->as_object().if_contains("confidence"); c && c->is_number())
            stance += "(" + std::to_string(c->to_number<double>()).substr(0, 4) + ")";
        e.extra.emplace_back("stance", std::move(stance));
    }
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
