#include "json_feed_reader.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "newswatch/parser/feed_date.hpp"
#include "newswatch/text/html_text.hpp"
#include "xml_support.hpp"
#include "item_limit.hpp"

namespace newswatch::parser {

namespace {

namespace json = boost::json;

std::optional<std::string> string_field(const json::object& o, std::string_view key) {
    const auto it = o.find(key);
    if (it == o.end()) return std::nullopt;
    if (it->value().is_string()) return std::string(it->value().get_string());
    if (it->value().is_int64()) return std::to_string(it->value().get_int64());
    if (it->value().is_uint64()) return std::to_string(it->value().get_uint64());
    return std::nullopt;
}

core::person read_author(const json::object& a, const std::string& base) {
    core::person p;
    if (auto n = string_field(a, "name")) p.name = text::clean_text(*n);
    if (auto u = string_field(a, "url")) {
        const std::string_view url = trim(*u);
        if (url.substr(0, 7) == "mailto:") p.email = std::string(url.substr(7));
        else p.uri = resolve_url(base, url);
    }
    return p;
}

void read_authors(const json::object& o, const std::string& base, std::vector<core::person>& out) {
    if (auto it = o.find("authors"); it != o.end() && it->value().is_array()) {
        for (const auto& a : it->value().get_array())
            if (a.is_object()) out.push_back(read_author(a.get_object(), base));
    } else if (auto it1 = o.find("author"); it1 != o.end() && it1->value().is_object()) {
        out.push_back(read_author(it1->value().get_object(), base));  // JSON Feed 1.0
    }
}

int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// The UTF-16 unit of a "\uXXXX" escape at `at`, or -1.
long escaped_unit(std::string_view s, std::size_t at) noexcept {
    if (at + 6 > s.size() || s[at] != '\\' || s[at + 1] != 'u') return -1;
    long unit = 0;
    for (std::size_t i = at + 2; i < at + 6; ++i) {
        const int h = hex_value(s[i]);
        if (h < 0) return -1;
        unit = unit * 16 + h;
    }
    return unit;
}

// Boost.JSON 1.81 rejects a whole document for one unpaired surrogate escape ("\ud83d"
// from an emoji cut in half, common in real feeds). Such escapes become "\ufffd".
// Escapes only occur inside strings, so no string tracking is needed.
std::size_t replace_lone_surrogates(std::string& text) {
    std::size_t replaced = 0;
    for (std::size_t i = 0; i + 1 < text.size(); ++i) {
        if (text[i] != '\\') continue;
        const long unit = escaped_unit(text, i);
        if (unit < 0xD800 || unit > 0xDFFF) {
            ++i;  // any other escape: skip its second character ("\\" included)
            continue;
        }
        const long next = escaped_unit(text, i + 6);
        if (unit <= 0xDBFF && next >= 0xDC00 && next <= 0xDFFF) {
            i += 11;  // a valid pair
            continue;
        }
        text.replace(i, 6, "\\ufffd");
        ++replaced;
        i += 5;
    }
    return replaced;
}

}  // namespace

void json_feed_reader::read(std::string_view utf8, parse_result& out) {
    boost::system::error_code ec;
    json::value doc = json::parse(utf8, ec);
    if (ec && utf8.find("\\u") != std::string_view::npos) {
        std::string repaired(utf8);
        if (const std::size_t replaced = replace_lone_surrogates(repaired); replaced > 0) {
            ec.clear();
            doc = json::parse(repaired, ec);
            if (!ec)
                out.warnings.push_back(std::to_string(replaced) +
                                       " unpaired UTF-16 surrogate escapes replaced by U+FFFD");
        }
    }
    if (ec || !doc.is_object()) {
        out.status = parse_status::not_a_feed;
        out.error = ec ? "invalid JSON: " + ec.message() : "JSON but not an object";
        return;
    }
    const json::object& root = doc.get_object();
    const auto version = string_field(root, "version");
    const bool has_items = root.contains("items") && root.at("items").is_array();
    if (!(version && version->find("jsonfeed.org/version/") != std::string::npos) && !has_items) {
        out.status = parse_status::not_a_feed;
        out.error = "JSON without a JSON Feed version or items";
        return;
    }
    out.format = feed_format::jsonfeed;
    out.status = parse_status::ok;
    if (!version) out.warnings.push_back("JSON Feed without \"version\"");
    std::string base(options_.base_url);
    if (auto t = string_field(root, "title")) out.feed.title = text::clean_text(*t);
    if (auto l = string_field(root, "home_page_url")) out.feed.link = resolve_url(base, *l);
    if (auto d = string_field(root, "description")) out.feed.subtitle = text::clean_text(*d);
    if (auto l = string_field(root, "language")) out.feed.language = std::string(trim(*l));
    if (base.empty() && out.feed.link) base = *out.feed.link;
    // WebSub (JSON Feed 1.1 "hubs", W3C WebSub §4): the topic is the feed's own URL.
    if (auto u = string_field(root, "feed_url")) take_websub_link("self", resolve_url(base, *u), out.feed);
    if (auto it = root.find("hubs"); it != root.end() && it->value().is_array())
        for (const auto& h : it->value().get_array())
            if (h.is_object())
                if (auto u = string_field(h.get_object(), "url"))
                    take_websub_link("hub", resolve_url(base, *u), out.feed);
    std::vector<core::person> feed_authors;
    read_authors(root, base, feed_authors);
    if (!has_items) return;
    item_limit limit(options_.max_items);
    for (const auto& v : root.at("items").get_array()) {
        if (!v.is_object() || !limit.admit(out)) continue;
        const json::object& o = v.get_object();
        core::item item;
        std::string raw_date;
        if (auto id = string_field(o, "id")) item.id = std::string(trim(*id));
        if (auto u = string_field(o, "url")) item.link = resolve_url(base, *u);
        else if (auto e = string_field(o, "external_url")) item.link = resolve_url(base, *e);
        if (auto t = string_field(o, "title")) item.title = text::clean_text(*t);
        if (auto h = string_field(o, "content_html")) {
            item.content = text::html_to_text(*h);
            item.content_html = std::move(h);
        } else if (auto tx = string_field(o, "content_text")) {
            item.content_html = escape_html(*tx);
            item.content = text::html_to_text(*item.content_html);
        }
        if (auto s = string_field(o, "summary")) {
            item.summary_html = escape_html(*s);
            item.summary = text::html_to_text(*item.summary_html);
        }
        if (auto d = string_field(o, "date_published")) {
            raw_date = *d;
            item.published = parse_feed_date(*d);
        }
        if (auto d = string_field(o, "date_modified")) item.updated = parse_feed_date(*d);
        read_authors(o, base, item.authors);
        if (item.authors.empty()) item.authors = feed_authors;
        if (auto it = o.find("tags"); it != o.end() && it->value().is_array())
            for (const auto& t : it->value().get_array())
                if (t.is_string()) {
                    std::string term = text::clean_text(t.get_string());
                    if (!term.empty()) item.categories.push_back(std::move(term));
                }
        if (auto it = o.find("attachments"); it != o.end() && it->value().is_array())
            for (const auto& a : it->value().get_array()) {
                if (!a.is_object()) continue;
                const json::object& ao = a.get_object();
                core::enclosure e;
                if (auto u = string_field(ao, "url")) e.url = resolve_url(base, *u);
                if (auto m = string_field(ao, "mime_type")) e.type = std::string(trim(*m));
                if (auto sz = ao.find("size_in_bytes"); sz != ao.end()) {
                    if (sz->value().is_int64() && sz->value().get_int64() >= 0) e.length = sz->value().get_int64();
                    else if (sz->value().is_uint64()) e.length = static_cast<std::int64_t>(sz->value().get_uint64() & 0x7FFFFFFFFFFFFFFFULL);
                    else if (sz->value().is_double() && sz->value().get_double() >= 0 && sz->value().get_double() < 9e18)
                        e.length = static_cast<std::int64_t>(sz->value().get_double());
                }
                add_enclosure(item, std::move(e));
            }
        finish_item(item, raw_date);
        out.items.push_back(std::move(item));
    }
    limit.report(out);
}

}  // namespace newswatch::parser
