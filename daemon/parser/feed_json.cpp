#include "newswatch/parser/feed_json.hpp"

#include <boost/json/array.hpp>

namespace newswatch::parser {

namespace {

namespace json = boost::json;

json::value opt(const std::optional<std::string>& s) {
    return s ? json::value(json::string(*s)) : json::value(nullptr);
}

json::value opt_time(const std::optional<core::timestamp>& t) {
    return t ? json::value(json::string(core::format_rfc3339(*t))) : json::value(nullptr);
}

}  // namespace

boost::json::object error_json(std::string_view file, std::string_view why) {
    json::object o;
    o["file"] = file;
    o["error"] = why;
    return o;
}

boost::json::object to_json(const parse_result& r, std::string_view file) {
    if (!r.ok()) return error_json(file, r.error.empty() ? "not a feed" : r.error);
    json::object o;
    o["file"] = file;
    o["format"] = to_string(r.format);
    o["encoding"] = r.encoding;
    json::array warnings;
    for (const auto& w : r.warnings) warnings.emplace_back(w);
    o["warnings"] = std::move(warnings);
    json::object feed;
    feed["title"] = opt(r.feed.title);
    feed["link"] = opt(r.feed.link);
    feed["subtitle"] = opt(r.feed.subtitle);
    feed["language"] = opt(r.feed.language);
    feed["updated"] = opt_time(r.feed.updated);
    o["feed"] = std::move(feed);
    json::array items;
    items.reserve(r.items.size());
    for (const auto& it : r.items) {
        json::object i;
        i["id"] = it.id;
        i["title"] = opt(it.title);
        i["link"] = opt(it.link);
        i["published"] = opt_time(it.published);
        i["updated"] = opt_time(it.updated);
        json::array authors;
        for (const auto& a : it.authors) {
            json::object p;
            p["name"] = opt(a.name);
            p["email"] = opt(a.email);
            p["uri"] = opt(a.uri);
            authors.push_back(std::move(p));
        }
        i["authors"] = std::move(authors);
        json::array categories;
        for (const auto& c : it.categories) categories.emplace_back(c);
        i["categories"] = std::move(categories);
        i["summary"] = opt(it.summary);
        i["summary_html"] = opt(it.summary_html);
        i["content"] = opt(it.content);
        i["content_html"] = opt(it.content_html);
        json::array enclosures;
        for (const auto& e : it.enclosures) {
            json::object j;
            j["url"] = e.url;
            j["type"] = opt(e.type);
            j["length"] = e.length ? json::value(*e.length) : json::value(nullptr);
            enclosures.push_back(std::move(j));
        }
        i["enclosures"] = std::move(enclosures);
        items.push_back(std::move(i));
    }
    o["items"] = std::move(items);
    return o;
}

}  // namespace newswatch::parser
