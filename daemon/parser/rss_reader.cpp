#include "rss_reader.hpp"

#include <algorithm>
#include <charconv>

#include "item_limit.hpp"
#include "newswatch/parser/feed_date.hpp"
#include "newswatch/text/html_text.hpp"

namespace newswatch::parser {

namespace {

bool is_rss_ns(xml_ns ns) noexcept {
    return ns == xml_ns::none || ns == xml_ns::rss10 || ns == xml_ns::rss090;
}

int day_number(std::string_view day) noexcept {
    static constexpr std::string_view names[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
    if (day.size() < 3) return -1;
    char buf[3] = {char(day[0] | 0x20), char(day[1] | 0x20), char(day[2] | 0x20)};
    for (int i = 0; i < 7; ++i)
        if (names[i] == std::string_view(buf, 3)) return i;
    return -1;
}

void add_author(core::item& item, core::person p) {
    if (!p.name && !p.email && !p.uri) return;
    for (const auto& a : item.authors)
        if (a.name == p.name && a.email == p.email) return;
    item.authors.push_back(std::move(p));
}

}  // namespace

void rss_reader::read(pugi::xml_node root, parse_result& out) {
    item_limit limit(options_.max_items);
    base_ = std::string(options_.base_url);
    if (const auto b = root.attribute("xml:base")) base_ = resolve_url(base_, dec_.decoded(b.value()));
    if (local_name(root) == "channel") {
        read_channel(root, out.feed);
        if (base_.empty() && out.feed.link) base_ = *out.feed.link;
        for (pugi::xml_node c = root.first_child(); c; c = c.next_sibling())
            if (c.type() == pugi::node_element && local_name(c) == "item" && limit.admit(out))
                out.items.push_back(read_item(c));
        limit.report(out);
        return;
    }
    // The channel first (its link is the base for relative item links), then items in
    // document order: inside the channel (RSS 0.9x/2.0) or beside it (RSS 1.0 / 0.90).
    for (pugi::xml_node c = root.first_child(); c; c = c.next_sibling())
        if (c.type() == pugi::node_element && local_name(c) == "channel") {
            read_channel(c, out.feed);
            break;
        }
    if (base_.empty() && out.feed.link) base_ = *out.feed.link;
    for (pugi::xml_node c = root.first_child(); c; c = c.next_sibling()) {
        if (c.type() != pugi::node_element) continue;
        const std::string_view name = local_name(c);
        if (name == "item") {
            if (limit.admit(out)) out.items.push_back(read_item(c));
        } else if (name == "channel") {
            for (pugi::xml_node i = c.first_child(); i; i = i.next_sibling())
                if (i.type() == pugi::node_element && local_name(i) == "item" && limit.admit(out))
                    out.items.push_back(read_item(i));
        }
    }
    limit.report(out);
}

void rss_reader::read_channel(pugi::xml_node channel, core::feed_meta& feed) {
    bool have_build_date = false;
    std::optional<std::string> atom_link;
    child_namespaces namespaces(channel);
    for (pugi::xml_node c = channel.first_child(); c; c = c.next_sibling()) {
        if (c.type() != pugi::node_element) continue;
        const std::string_view name = local_name(c);
        const xml_ns ns = namespaces.of(c);
        if (is_rss_ns(ns)) {
            if (name == "title") {
                feed.title = one_line(dec_.inner(c));
            } else if (name == "link") {
                if (!feed.link || feed.link->empty())
                    feed.link = resolve_url(options_.base_url, trim(dec_.inner(c)));
            } else if (name == "description") {
                feed.subtitle = text::html_to_line(dec_.inner(c));
            } else if (name == "language") {
                feed.language = std::string(trim(dec_.inner(c)));
            } else if (name == "lastBuildDate") {
                if (auto t = parse_feed_date(dec_.inner(c))) {
                    feed.updated = t;
                    have_build_date = true;
                }
            } else if (name == "pubDate") {
                if (!have_build_date)
                    if (auto t = parse_feed_date(dec_.inner(c))) feed.updated = t;
            } else if (name == "ttl") {
                if (auto v = to_integer(dec_.inner(c)); v && *v >= 0 && *v < 1000000)
                    feed.ttl_minutes = static_cast<int>(*v);
            } else if (name == "skipHours") {
                for (pugi::xml_node h = c.first_child(); h; h = h.next_sibling())
                    if (h.type() == pugi::node_element && local_name(h) == "hour")
                        if (auto v = to_integer(dec_.inner(h)); v && *v >= 0 && *v <= 24) {
                            const int hour = static_cast<int>(*v % 24);
                            if (std::find(feed.skip_hours.begin(), feed.skip_hours.end(), hour) ==
                                feed.skip_hours.end())
                                feed.skip_hours.push_back(hour);
                        }
            } else if (name == "skipDays") {
                for (pugi::xml_node d = c.first_child(); d; d = d.next_sibling())
                    if (d.type() == pugi::node_element && local_name(d) == "day") {
                        const int day = day_number(trim(dec_.inner(d)));
                        if (day >= 0 && std::find(feed.skip_days.begin(), feed.skip_days.end(), day) ==
                                            feed.skip_days.end())
                            feed.skip_days.push_back(day);
                    }
            }
        } else if (ns == xml_ns::dc) {
            if (name == "language" && !feed.language)
                feed.language = std::string(trim(dec_.inner(c)));
            else if (name == "date" && !feed.updated)
                feed.updated = parse_feed_date(dec_.inner(c));
            else if (name == "title" && !feed.title)
                feed.title = one_line(dec_.inner(c));
            else if (name == "description" && !feed.subtitle)
                feed.subtitle = text::html_to_line(dec_.inner(c));
        } else if (ns == xml_ns::dcterms) {
            if ((name == "modified" || name == "created" || name == "issued") && !feed.updated)
                feed.updated = parse_feed_date(dec_.inner(c));
        } else if (ns == xml_ns::atom10) {
            if (name == "link") {
                const std::string rel(trim(dec_.attr(c, "rel")));
                if ((rel.empty() || rel == "alternate") && !atom_link && has_href(c))
                    atom_link = resolve_url(options_.base_url, dec_.attr(c, "href"));
                if (has_href(c))
                    take_websub_link(rel, resolve_url(options_.base_url, dec_.attr(c, "href")), feed);
            } else if (name == "updated" && !feed.updated) {
                feed.updated = parse_feed_date(dec_.inner(c));
            }
        } else if (ns == xml_ns::itunes) {
            if (lowercase(name) == "summary" && !feed.subtitle)
                feed.subtitle = text::html_to_line(dec_.inner(c));
        }
    }
    if ((!feed.link || feed.link->empty()) && atom_link) feed.link = atom_link;
}

void rss_reader::read_media(pugi::xml_node node, core::item& item) {
    for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
        if (c.type() != pugi::node_element || namespace_of(c) != xml_ns::media) continue;
        const std::string_view name = local_name(c);
        if (name == "content") {
            core::enclosure e;
            e.url = resolve_url(base_, dec_.attr(c, "url"));
            if (std::string t(trim(dec_.attr(c, "type"))); !t.empty()) e.type = std::move(t);
            if (auto l = to_integer(dec_.attr(c, "fileSize")); l && *l >= 0) e.length = *l;
            add_enclosure(item, std::move(e));
        } else if (name == "group") {
            read_media(c, item);
        } else if (name == "category") {
            add_category(item, one_line(dec_.inner(c)));
        }
    }
}

// itunes:category nests sub-categories ("News" > "Politics"); each level's `text` is a
// category of its own.
void rss_reader::read_itunes_categories(pugi::xml_node node, core::item& item) {
    add_category(item, text::clean_text(dec_.attr(node, "text")));
    for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling())
        if (c.type() == pugi::node_element && namespace_of(c) == xml_ns::itunes &&
            lowercase(local_name(c)) == "category")
            read_itunes_categories(c, item);
}

core::item rss_reader::read_item(pugi::xml_node node) {
    core::item item;
    // Only an item with its own xml:base changes base_ (and puts it back at the end): a
    // copy of the base per item was one of the parser's allocations (issue 16).
    std::optional<std::string> saved_base;
    if (const auto b = node.attribute("xml:base")) {
        saved_base = base_;
        base_ = resolve_url(base_, dec_.decoded(b.value()));
    }
    struct restore {
        std::string& target;
        std::optional<std::string>& value;
        ~restore() {
            if (value) target = std::move(*value);
        }
    } restore_base{base_, saved_base};
    std::string& raw_date = raw_date_;  // reused across items: no allocation per item
    raw_date.clear();
    std::optional<std::string> guid, guid_permalink, dc_identifier, atom_id, atom_link;
    std::optional<std::string> dc_title, dc_description, itunes_summary;
    std::vector<core::person> itunes_authors;
    child_namespaces namespaces(node);
    for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
        if (c.type() != pugi::node_element) continue;
        const std::string_view name = local_name(c);
        const xml_ns ns = namespaces.of(c);
        if (is_rss_ns(ns)) {
            if (name == "title") {
                item.title = one_line(dec_.inner_view(c));
            } else if (name == "link") {
                if (!item.link || item.link->empty())
                    item.link = resolve_url(base_, trim(dec_.inner_view(c)));
            } else if (name == "description") {
                const std::string_view html = dec_.inner_view(c);
                item.summary_html.emplace(html);
                item.summary = text::html_to_text(html);
            } else if (name == "guid") {
                guid = std::string(trim(dec_.inner_view(c)));
                const std::string_view permalink = trim(attribute(c, "isPermaLink").value());
                if (permalink != "false" && permalink != "False" && permalink != "FALSE" && permalink != "0")
                    guid_permalink = guid;
            } else if (name == "pubDate") {
                raw_date = dec_.inner_view(c);
                if (auto t = parse_feed_date(raw_date)) item.published = t;
            } else if (name == "author") {
                add_author(item, parse_person(text::clean_text(dec_.inner_view(c))));
            } else if (name == "category") {
                std::string term = one_line(dec_.inner_view(c));
                if (!term.empty()) item.categories.push_back(std::move(term));
            } else if (name == "enclosure") {
                core::enclosure e;
                e.url = resolve_url(base_, dec_.attr(c, "url"));
                if (std::string t(trim(dec_.attr(c, "type"))); !t.empty()) e.type = std::move(t);
                if (auto l = to_integer(dec_.attr(c, "length")); l && *l >= 0) e.length = *l;
                add_enclosure(item, std::move(e));
            }
        } else if (ns == xml_ns::dc) {
            if (name == "creator" || name == "author" || name == "contributor") {
                if (name != "contributor") add_author(item, parse_person(text::clean_text(dec_.inner(c))));
            } else if (name == "date") {
                if (!item.published) {
                    if (raw_date.empty()) raw_date = dec_.inner(c);
                    item.published = parse_feed_date(dec_.inner(c));
                }
            } else if (name == "subject") {
                std::string term = one_line(dec_.inner(c));
                if (!term.empty()) item.categories.push_back(std::move(term));
            } else if (name == "identifier") {
                dc_identifier = std::string(trim(dec_.inner(c)));
            } else if (name == "title") {
                dc_title = dec_.inner(c);
            } else if (name == "description") {
                dc_description = dec_.inner(c);
            }
        } else if (ns == xml_ns::dcterms) {
            if (name == "modified")
                item.updated = parse_feed_date(dec_.inner(c));
            else if ((name == "created" || name == "issued") && !item.published)
                item.published = parse_feed_date(dec_.inner(c));
        } else if (ns == xml_ns::content) {
            if (name == "encoded") {
                const std::string_view html = dec_.inner_view(c);
                item.content_html.emplace(html);
                item.content = text::html_to_text(html);
            }
        } else if (ns == xml_ns::media) {
            if (name == "content") {
                core::enclosure e;
                e.url = resolve_url(base_, dec_.attr(c, "url"));
                if (std::string t(trim(dec_.attr(c, "type"))); !t.empty()) e.type = std::move(t);
                if (auto l = to_integer(dec_.attr(c, "fileSize")); l && *l >= 0) e.length = *l;
                add_enclosure(item, std::move(e));
            } else if (name == "group") {
                read_media(c, item);
            } else if (name == "category") {
                add_category(item, one_line(dec_.inner(c)));
            }
        } else if (ns == xml_ns::itunes) {
            // Element names are case-sensitive in XML, but podcast tools write
            // <itunes:Summary> or <itunes:AUTHOR>; Apple's own reader accepts them.
            const std::string lower_name = lowercase(name);
            if (lower_name == "author")
                itunes_authors.push_back(parse_person(text::clean_text(dec_.inner(c))));
            else if (lower_name == "summary")
                itunes_summary = dec_.inner(c);
            else if (lower_name == "category")
                read_itunes_categories(c, item);
        } else if (ns == xml_ns::atom10) {
            if (name == "link") {
                const std::string rel(trim(dec_.attr(c, "rel")));
                if (rel == "enclosure") {
                    core::enclosure e;
                    e.url = resolve_url(base_, dec_.attr(c, "href"));
                    if (std::string t(trim(dec_.attr(c, "type"))); !t.empty()) e.type = std::move(t);
                    if (auto l = to_integer(dec_.attr(c, "length")); l && *l >= 0) e.length = *l;
                    add_enclosure(item, std::move(e));
                } else if ((rel.empty() || rel == "alternate") && !atom_link && has_href(c)) {
                    atom_link = resolve_url(base_, dec_.attr(c, "href"));
                }
            } else if (name == "id") {
                atom_id = std::string(trim(dec_.inner(c)));
            } else if (name == "updated") {
                item.updated = parse_feed_date(dec_.inner(c));
            } else if (name == "published" && !item.published) {
                item.published = parse_feed_date(dec_.inner(c));
            } else if (name == "author") {
                core::person p;
                for (pugi::xml_node a = c.first_child(); a; a = a.next_sibling()) {
                    if (a.type() != pugi::node_element) continue;
                    const std::string_view an = local_name(a);
                    if (an == "name")
                        p.name = text::clean_text(dec_.inner(a));
                    else if (an == "email")
                        p.email = std::string(trim(dec_.inner(a)));
                    else if (an == "uri")
                        p.uri = resolve_url(base_, dec_.inner(a));
                }
                add_author(item, std::move(p));
            } else if (name == "category") {
                std::string term = text::clean_text(dec_.attr(c, "term"));
                if (!term.empty()) item.categories.push_back(std::move(term));
            } else if (name == "content" && !item.content_html) {
                const std::string type(trim(dec_.attr(c, "type")));
                const std::string body = dec_.inner(c);
                item.content_html =
                    (type == "html" || type == "xhtml" || type == "text/html") ? body : escape_html(body);
                item.content = text::html_to_text(*item.content_html);
            } else if (name == "summary" && !item.summary_html) {
                const std::string type(trim(dec_.attr(c, "type")));
                const std::string body = dec_.inner(c);
                item.summary_html =
                    (type == "html" || type == "xhtml" || type == "text/html") ? body : escape_html(body);
                item.summary = text::html_to_text(*item.summary_html);
            }
        }
    }
    if (!item.title && dc_title) item.title = one_line(*dc_title);
    if (!item.summary_html && dc_description) {
        item.summary_html = *dc_description;
        item.summary = text::html_to_text(*dc_description);
    }
    if (!item.summary_html && itunes_summary) {
        item.summary_html = *itunes_summary;
        item.summary = text::html_to_text(*itunes_summary);
    }
    if (item.authors.empty())
        for (auto& a : itunes_authors) add_author(item, std::move(a));
    if ((!item.link || item.link->empty()) && atom_link) item.link = atom_link;
    if ((!item.link || item.link->empty()) && guid_permalink && !guid_permalink->empty() &&
        (guid_permalink->rfind("http://", 0) == 0 || guid_permalink->rfind("https://", 0) == 0))
        item.link = guid_permalink;
    if (guid && !guid->empty())
        item.id = *guid;
    else if (dc_identifier && !dc_identifier->empty())
        item.id = *dc_identifier;
    else if (atom_id && !atom_id->empty())
        item.id = *atom_id;
    else if (auto about = trim(attribute(node, "about").value()); !about.empty())
        item.id = dec_.decoded(about);
    finish_item(item, raw_date);
    return item;
}

}  // namespace newswatch::parser
