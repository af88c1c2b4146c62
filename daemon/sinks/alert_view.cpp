#include "newswatch/sinks/alert_view.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include <boost/json.hpp>

#include "newswatch/core/output_text.hpp"

namespace newswatch::sinks {

namespace json = boost::json;

namespace {

constexpr std::array<std::string_view, 19> field_names{
    "id",         "event",    "watch",  "title",        "link",         "summary",   "feed",
    "feed_title", "feed_url", "stance", "stance_label", "stance_claim", "published", "detected_at",
    "matched",    "state",    "reason", "message",      "priority"};

const json::value* find(const json::value* v, std::string_view key) {
    if (v == nullptr || !v->is_object()) return nullptr;
    return v->as_object().if_contains(key);
}

std::string str(const json::value* v) {
    if (v == nullptr || !v->is_string()) return {};
    return core::payload_text(std::string_view(v->as_string()));
}

std::string join(const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& p : parts) {
        if (!out.empty()) out += ", ";
        out += p;
    }
    return out;
}

bool is_web_link(std::string_view link) {
    auto lower_prefix = [&](std::string_view prefix) {
        if (link.size() < prefix.size()) return false;
        for (std::size_t i = 0; i < prefix.size(); ++i)
            if ((link[i] | 0x20) != prefix[i]) return false;
        return true;
    };
    return lower_prefix("http://") || lower_prefix("https://");
}

void read_alert(const json::value& root, alert_view& v) {
    if (auto w = str(find(&root, "watch")); !w.empty()) v.watches.push_back(std::move(w));
    if (const auto* ws = find(&root, "watches"); ws != nullptr && ws->is_array())
        for (const auto& w : ws->as_array())
            if (auto s = str(&w); !s.empty()) v.watches.push_back(std::move(s));
    const auto* item = find(&root, "item");
    v.title = str(find(item, "title"));
    if (auto link = str(find(item, "link")); is_web_link(link)) v.link = std::move(link);
    v.summary = str(find(item, "summary"));
    v.published = str(find(item, "published"));
    const auto* feed = find(&root, "feed");
    v.feed_title = str(find(feed, "title"));
    v.feed_url = str(find(feed, "url"));
    if (const auto* stance = find(&root, "stance"); stance != nullptr && stance->is_object()) {
        v.stance_label = str(find(stance, "label"));
        v.stance_claim = str(find(stance, "claim"));
        if (const auto* c = find(stance, "confidence"); c != nullptr && c->is_number())
            v.stance_confidence = c->to_number<double>();
    }
    if (const auto* m = find(&root, "matched"); m != nullptr && m->is_array())
        for (const auto& s : m->as_array())
            if (s.is_string()) v.matched.push_back(str(&s));
    v.detected_at = str(find(&root, "detected_at"));
    v.state = str(find(&root, "state"));
    v.reason = str(find(&root, "reason"));
    v.message = str(find(&root, "message"));
    if (auto p = str(find(&root, "priority")); !p.empty()) v.priority = std::move(p);
    if (const auto* u = find(&root, "urgent"); u != nullptr && u->is_bool()) v.urgent = u->as_bool();
    if (v.title.empty()) v.title = str(find(&root, "title"));
}

int priority_rank(std::string_view p) {
    return p == "high" ? 2 : p == "low" ? 0 : 1;
}

const json::array* array_at(const json::value& root, std::string_view key) {
    const auto* a = find(&root, key);
    return a != nullptr && a->is_array() ? &a->as_array() : nullptr;
}

// Priority, urgency and the stance of a set of alerts: the highest, any, the first.
void read_flags(const json::array& alerts, alert_view& v) {
    for (const auto& a : alerts) {
        alert_view one;
        read_alert(a, one);
        if (priority_rank(one.priority) > priority_rank(v.priority)) v.priority = one.priority;
        v.urgent = v.urgent || one.urgent;
        if (v.stance_label.empty()) {
            v.stance_label = one.stance_label;
            v.stance_claim = one.stance_claim;
            v.stance_confidence = one.stance_confidence;
        }
    }
}

void read_group(const json::value& root, alert_view& v) {
    const auto* alerts = array_at(root, "alerts");
    if (alerts == nullptr || alerts->empty()) return;
    read_alert(alerts->front(), v);
    v.watches.clear();
    if (const auto* ws = array_at(root, "watches"))
        for (const auto& w : *ws)
            if (auto s = str(&w); !s.empty()) v.watches.push_back(std::move(s));
    v.stance_label.clear();
    v.priority = "low";
    read_flags(*alerts, v);
}

void read_storm(const json::value& root, alert_view& v) {
    if (const auto* alerts = array_at(root, "alerts"))
        for (const auto& a : *alerts) {
            alert_entry e;
            e.id = str(find(&a, "id"));
            e.title = str(find(&a, "title"));
            if (auto link = str(find(&a, "link")); is_web_link(link)) e.link = std::move(link);
            v.entries.push_back(std::move(e));
        }
    if (const auto* n = find(&root, "folded"); n != nullptr && n->is_number())
        v.folded = n->to_number<std::size_t>();
    else
        v.folded = v.entries.size();
    const auto watch = str(find(&root, "watch"));
    if (!watch.empty()) v.watches.push_back(watch);
    v.feed_url = str(find(&root, "feed"));
    v.title = "and " + std::to_string(v.folded) + " more " +
              (watch.empty() ? "from feed " + v.feed_url : "for watch " + watch);
}

void read_digest(const json::value& root, alert_view& v) {
    std::size_t count = 0;
    if (const auto* groups = array_at(root, "groups"))
        for (const auto& g : *groups) {
            alert_view story;
            read_group(g, story);
            if (const auto* alerts = array_at(g, "alerts")) {
                count += alerts->size();
                read_flags(*alerts, v);
            }
            for (const auto& w : story.watches)
                if (std::find(v.watches.begin(), v.watches.end(), w) == v.watches.end())
                    v.watches.push_back(w);
            v.entries.push_back({str(find(&g, "id")), story.title, story.link, story.feed_name(),
                                 story.watches, story.stance_text()});
        }
    v.folded = count;
    v.title = "newswatch digest: " + std::to_string(count) + (count == 1 ? " alert" : " alerts");
    if (v.entries.size() != count) v.title += " in " + std::to_string(v.entries.size()) + " stories";
}

std::string heading(const alert_view& v) {
    if (v.event == "feed_health") {
        std::string h = "Feed " + v.feed_name();
        if (!v.state.empty()) h += " is " + v.state;
        return h;
    }
    if (v.event == "test") return "Test message from newswatch";
    if (!v.message.empty()) return v.message;
    return "newswatch " + v.event;
}

}  // namespace

std::string alert_view::watch_names() const {
    return join(watches);
}

std::string alert_view::feed_name() const {
    return feed_title.empty() ? feed_url : feed_title;
}

std::string alert_view::stance_text() const {
    if (stance_label.empty()) return {};
    std::string out = stance_label;
    if (stance_confidence)
        out += " (" + std::to_string(static_cast<int>(std::lround(*stance_confidence * 100.0))) + " %)";
    if (!stance_claim.empty()) out += ": " + stance_claim;
    return out;
}

bool alert_view::is_field(std::string_view name) noexcept {
    for (auto f : field_names)
        if (f == name) return true;
    return false;
}

std::optional<std::string> alert_view::field(std::string_view name) const {
    if (name == "id") return id;
    if (name == "event") return event;
    if (name == "watch") return watch_names();
    if (name == "title") return title;
    if (name == "link") return link;
    if (name == "summary") return summary;
    if (name == "feed") return feed_name();
    if (name == "feed_title") return feed_title;
    if (name == "feed_url") return feed_url;
    if (name == "stance") return stance_text();
    if (name == "stance_label") return stance_label;
    if (name == "stance_claim") return stance_claim;
    if (name == "published") return published;
    if (name == "detected_at") return detected_at;
    if (name == "matched") return join(matched);
    if (name == "state") return state;
    if (name == "reason") return reason;
    if (name == "message") return message;
    if (name == "priority") return priority;
    return std::nullopt;
}

alert_view make_alert_view(std::string_view event, std::string_view id, std::string_view payload) {
    alert_view v;
    v.event = core::payload_text(event);
    v.id = core::payload_text(id);
    boost::system::error_code ec;
    const json::value root = json::parse(payload, ec);
    if (ec || !root.is_object()) {
        v.title = "newswatch " + v.event + " (the payload could not be read)";
        return v;
    }
    const std::string type = str(find(&root, "type"));
    if (v.event.empty()) v.event = type;
    if (type == "alert_group") {
        read_group(root, v);
    } else if (type == "storm") {
        read_storm(root, v);
    } else if (type == "digest") {
        read_digest(root, v);
    } else {
        read_alert(root, v);
    }
    if (v.title.empty()) v.title = heading(v);
    return v;
}

}  // namespace newswatch::sinks
