#include "newswatch/sinks/log_sink.hpp"

#include <boost/json.hpp>

#include "sink_logger.hpp"

namespace newswatch::sinks {
namespace json = boost::json;

namespace {

std::shared_ptr<spdlog::logger> alerts_logger() {
    if (auto l = spdlog::get("alerts")) return l;
    auto l = spdlog::default_logger()->clone("alerts");
    spdlog::register_logger(l);
    return l;
}

std::string str(const json::object& o, std::string_view key) {
    if (auto* v = o.if_contains(key); v && v->is_string()) return std::string(v->as_string());
    return {};
}

}  // namespace

log_sink::log_sink(std::string name, std::string level)
    : alert_sink(std::move(name)), logger_(alerts_logger()), level_(spdlog::level::from_str(level)) {}

std::string format_alert_line(std::string_view payload) {
    boost::system::error_code ec;
    json::value v = json::parse(payload, ec);
    if (ec || !v.is_object()) return std::string(payload);
    const auto& root = v.as_object();
    const std::string type = str(root, "type");
    json::object empty;
    const auto* feed = root.if_contains("feed");
    const auto& feed_obj = feed && feed->is_object() ? feed->as_object() : empty;
    std::string feed_name = str(feed_obj, "title");
    if (feed_name.empty()) feed_name = str(feed_obj, "url");
    if (type == "feed_health") {
        return "feed_health feed=" + str(feed_obj, "url") + " state=" + str(root, "state") + " reason=\"" +
               str(root, "reason") + "\"";
    }
    const auto* item = root.if_contains("item");
    const auto& item_obj = item && item->is_object() ? item->as_object() : empty;
    std::string matched;
    if (auto* m = root.if_contains("matched"); m && m->is_array())
        for (const auto& p : m->as_array())
            if (p.is_string()) matched += (matched.empty() ? "" : ",") + std::string(p.as_string());
    std::string line = "alert watch=" + str(root, "watch") + " feed=\"" + feed_name + "\" title=\"" +
                       str(item_obj, "title") + "\" link=" + str(item_obj, "link") + " matched=" + matched;
    if (auto* s = root.if_contains("stance"); s && s->is_object()) {
        line += " stance=" + str(s->as_object(), "label");
        if (auto* c = s->as_object().if_contains("confidence"); c && c->is_number())
            line += "(" + std::to_string(c->to_number<double>()).substr(0, 4) + ")";
    }
    line += " id=" + str(root, "id");
    return line;
}

void log_sink::deliver_(std::string_view payload, completion done) {
    logger_->log(level_, "{}", format_alert_line(payload));
    done({});
}

}  // namespace newswatch::sinks
