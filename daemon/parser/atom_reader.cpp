#include "atom_reader.hpp"

#include <charconv>

#include "item_limit.hpp"
#include "newswatch/parser/feed_date.hpp"
#include "newswatch/text/html_text.hpp"

namespace newswatch::parser {

namespace {

bool is_atom_ns(xml_ns ns) noexcept {
    return ns == xml_ns::atom10 || ns == xml_ns::atom03 || ns == xml_ns::none;
}

// The score of a link for the "alternate" role: html alternates first, then any
// alternate, then links with no rel (0.3 style); others do not qualify.
int alternate_score(std::string_view rel, std::string_view type) noexcept {
    if (rel.empty() || rel == "alternate" || rel == "http://www.iana.org/assignments/relation/alternate") {
        if (type.empty() || type == "text/html" || type == "application/xhtml+xml") return 3;
        return 2;
    }
    return 0;
}

std::string base64_decode(std::string_view in) {
    std::string out;
    unsigned buffer = 0;
    int bits = 0;
    for (char c : in) {
        int v;
        if (c >= 'A' && c <= 'Z')
            v = c - 'A';
        else if (c >= 'a' && c <= 'z')
            v = c - 'a' + 26;
        else if (c >= '0' && c <= '9')
            v = c - '0' + 52;
        else if (c == '+' || c == '-')
            v = 62;
        else if (c == '/' || c == '_')
            v = 63;
        else
            continue;  // padding, whitespace
        buffer = (buffer << 6) | static_cast<unsigned>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
        }
    }
    return out;
}

}  // namespace

std::string atom_reader::base_of(pugi::xml_node node, const std::string& inherited) {
    const pugi::xml_attribute b = node.attribute("xml:base");
    if (!b) return inherited;
    return resolve_url(inherited, dec_.decoded(b.value()));
}

atom_reader::text_value atom_reader::text_construct(pugi::xml_node node) {
    text_value v;
    std::string type(trim(dec_.attr(node, "type")));
    for (char& c : type) c = (c >= 'A' && c <= 'Z') ? char(c + 32) : c;
    const std::string mode(trim(dec_.attr(node, "mode")));  // Atom 0.3
    bool xhtml = type == "xhtml" || type == "application/xhtml+xml" || mode == "xml";
    bool html = type == "html" || type == "text/html" ||
                (mode == "escaped" && type != "text" && type != "text/plain");
    // Binary media types (and Atom 0.3 mode="base64") carry base64.
    const bool base64 =
        mode == "base64" ||
        (type.find('/') != std::string::npos && type.rfind("text/", 0) != 0 &&
         type.find("xml") == std::string::npos && type.find("json") == std::string::npos &&
         type.find("html") == std::string::npos && type.find("javascript") == std::string::npos);
    if (base64) {
        // Unknown non-binary types carry plain text: decode only what is clean base64 of
        // valid UTF-8; the decoded text is read as HTML.
        const std::string raw = dec_.inner(node);
        bool alphabet = true;
        for (char c : raw)
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
                  c == '/' || c == '=' || c == ' ' || c == '\n' || c == '\r' || c == '\t'))
                alphabet = false;
        std::string decoded = alphabet ? base64_decode(raw) : std::string();
        if (mode == "base64" || (alphabet && !decoded.empty() && text::is_valid_utf8(decoded))) {
            v.html = text::sanitize_utf8(decoded);
            v.plain = text::html_to_text(v.html);
            v.is_markup = true;
            return v;
        }
    }
    if (mode == "xml" && type == "text/html") {
        xhtml = true;
        html = false;
    }
    if (xhtml) {
        pugi::xml_node div;
        for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling())
            if (c.type() == pugi::node_element) {
                if (local_name(c) == "div" && !div)
                    div = c;
                else {
                    div = pugi::xml_node();
                    break;
                }
            }
        bool only_div = static_cast<bool>(div);
        if (only_div) {
            for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling())
                if (c.type() == pugi::node_pcdata && !trim(c.value()).empty()) only_div = false;
        }
        v.html = dec_.inner_markup(only_div ? div : node);
        v.plain = text::html_to_text(v.html);
        v.is_markup = true;
    } else if (html) {
        v.html = dec_.inner(node);
        v.plain = text::html_to_text(v.html);
        v.is_markup = true;
    } else if (node.find_child([](pugi::xml_node c) { return c.type() == pugi::node_element; })) {
        // Markup put in without a type (Atom 0.3's default mode is "xml"): read as markup.
        v.html = dec_.inner_markup(node);
        v.plain = text::html_to_text(v.html);
        v.is_markup = true;
    } else {
        const std::string t = dec_.inner(node);
        v.html = escape_html(t);
        v.plain = text::html_to_text(v.html);
    }
    return v;
}

core::person atom_reader::read_person(pugi::xml_node node, const std::string& base) {
    core::person p;
    for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
        if (c.type() != pugi::node_element) continue;
        const std::string_view name = local_name(c);
        if (name == "name")
            p.name = text::clean_text(dec_.inner(c));
        else if (name == "email")
            p.email = std::string(trim(dec_.inner(c)));
        else if (name == "uri" || name == "url")
            p.uri = resolve_url(base_of(c, base), dec_.inner(c));
    }
    if (!p.name && !p.email && !p.uri) {
        // Some feeds put the name as the element's text.
        const std::string text = text::clean_text(dec_.inner(node));
        if (!text.empty()) return parse_person(text);
    }
    return p;
}

void atom_reader::read(pugi::xml_node feed_node, parse_result& out) {
    const std::string base = base_of(feed_node, std::string(options_.base_url));
    core::feed_meta& feed = out.feed;
    std::vector<core::person> feed_authors;
    int link_score = 0;
    std::optional<std::string> self_link;
    if (auto lang = trim(feed_node.attribute("xml:lang").value()); !lang.empty())
        feed.language = std::string(lang);
    // Feed-level elements first: the authors entries inherit may follow the entries.
    child_namespaces namespaces(feed_node);
    for (pugi::xml_node c = feed_node.first_child(); c; c = c.next_sibling()) {
        if (c.type() != pugi::node_element) continue;
        const std::string_view name = local_name(c);
        const xml_ns ns = namespaces.of(c);
        if (is_atom_ns(ns)) {
            if (name == "title") {
                feed.title = text::html_to_line(text_construct(c).html);
            } else if (name == "subtitle" || name == "tagline") {
                feed.subtitle = text::html_to_line(text_construct(c).html);
            } else if (name == "link") {
                const std::string rel(trim(dec_.attr(c, "rel")));
                const std::string type(trim(dec_.attr(c, "type")));
                // A link without href would resolve to the base URL: it is no link.
                const int score = has_href(c) ? alternate_score(rel, type) : 0;
                const std::string href = resolve_url(base_of(c, base), dec_.attr(c, "href"));
                if (has_href(c)) take_websub_link(rel, href, feed);
                if (score > link_score) {
                    link_score = score;
                    feed.link = href;
                } else if (rel == "self" && !self_link && has_href(c)) {
                    self_link = href;
                }
            } else if (name == "updated" || name == "modified") {
                if (auto t = parse_feed_date(dec_.inner(c))) feed.updated = t;
            } else if (name == "author") {
                feed_authors.push_back(read_person(c, base));
            }
        } else if (ns == xml_ns::dc && name == "language" && !feed.language) {
            feed.language = std::string(trim(dec_.inner(c)));
        } else if (ns == xml_ns::dcterms && (name == "modified" || name == "created") && !feed.updated) {
            feed.updated = parse_feed_date(dec_.inner(c));
        }
    }
    if (!feed.link && self_link) feed.link = self_link;
    item_limit limit(options_.max_items);
    for (pugi::xml_node c = feed_node.first_child(); c; c = c.next_sibling())
        if (c.type() == pugi::node_element && local_name(c) == "entry" && is_atom_ns(namespace_of(c)) &&
            limit.admit(out))
            out.items.push_back(read_entry(c, base, feed_authors));
    limit.report(out);
}

core::item atom_reader::read_entry(pugi::xml_node entry, const std::string& feed_base,
                                   const std::vector<core::person>& feed_authors) {
    core::item item;
    const std::string base = base_of(entry, feed_base);
    std::string raw_date;
    int link_score = 0;
    std::vector<core::person> source_authors;
    child_namespaces namespaces(entry);
    for (pugi::xml_node c = entry.first_child(); c; c = c.next_sibling()) {
        if (c.type() != pugi::node_element) continue;
        const std::string_view name = local_name(c);
        const xml_ns ns = namespaces.of(c);
        if (is_atom_ns(ns)) {
            if (name == "id") {
                item.id = std::string(trim(dec_.inner_view(c)));
            } else if (name == "title") {
                item.title = text::html_to_line(text_construct(c).html);
            } else if (name == "link") {
                std::string rel(trim(dec_.attr(c, "rel")));
                const std::string type(trim(dec_.attr(c, "type")));
                const std::string href = resolve_url(base_of(c, base), dec_.attr(c, "href"));
                if (rel == "enclosure") {
                    core::enclosure e;
                    e.url = href;
                    if (!type.empty()) e.type = type;
                    if (auto l = to_integer(dec_.attr(c, "length")); l && *l >= 0) e.length = *l;
                    add_enclosure(item, std::move(e));
                    continue;
                }
                const int score = has_href(c) ? alternate_score(rel, type) : 0;
                if (score > link_score) {
                    link_score = score;
                    item.link = href;
                }
            } else if (name == "published" || name == "issued" || name == "created") {
                if (name == "published" || !item.published) {
                    const std::string_view d = dec_.inner_view(c);
                    if (auto t = parse_feed_date(d)) {
                        item.published = t;
                        raw_date = d;
                    }
                }
            } else if (name == "updated" || name == "modified") {
                const std::string_view d = dec_.inner_view(c);
                if (auto t = parse_feed_date(d)) item.updated = t;
                if (raw_date.empty()) raw_date = d;
            } else if (name == "author") {
                item.authors.push_back(read_person(c, base));
            } else if (name == "category") {
                std::string term = text::clean_text(dec_.attr(c, "term"));
                if (term.empty()) term = text::clean_text(dec_.inner(c));
                if (!term.empty()) item.categories.push_back(std::move(term));
            } else if (name == "summary") {
                text_value v = text_construct(c);
                item.summary_html = std::move(v.html);
                item.summary = std::move(v.plain);
            } else if (name == "content") {
                text_value v = text_construct(c);
                item.content_html = std::move(v.html);
                item.content = std::move(v.plain);
            } else if (name == "source") {
                for (pugi::xml_node s = c.first_child(); s; s = s.next_sibling())
                    if (s.type() == pugi::node_element && local_name(s) == "author")
                        source_authors.push_back(read_person(s, base));
            }
        } else if (ns == xml_ns::dc) {
            if (name == "subject") {
                std::string term = text::clean_text(dec_.inner(c));
                if (!term.empty()) item.categories.push_back(std::move(term));
            } else if (name == "creator" && item.authors.empty()) {
                item.authors.push_back(parse_person(text::clean_text(dec_.inner(c))));
            } else if (name == "date" && !item.published) {
                item.published = parse_feed_date(dec_.inner(c));
            }
        } else if (ns == xml_ns::dcterms) {
            const std::string d = dec_.inner(c);
            if ((name == "created" || name == "issued") && !item.published) {
                if (auto t = parse_feed_date(d)) {
                    item.published = t;
                    raw_date = d;
                }
            } else if (name == "modified" && !item.updated) {
                if (auto t = parse_feed_date(d)) item.updated = t;
                if (raw_date.empty()) raw_date = d;
            }
        } else if (ns == xml_ns::media && name == "category") {
            add_category(item, text::clean_text(dec_.inner(c)));
        } else if (ns == xml_ns::media && (name == "content" || name == "group")) {
            auto add = [&](pugi::xml_node m) {
                core::enclosure e;
                e.url = resolve_url(base, dec_.attr(m, "url"));
                if (std::string t(trim(dec_.attr(m, "type"))); !t.empty()) e.type = std::move(t);
                if (auto l = to_integer(dec_.attr(m, "fileSize")); l && *l >= 0) e.length = *l;
                add_enclosure(item, std::move(e));
            };
            if (name == "content")
                add(c);
            else
                for (pugi::xml_node m = c.first_child(); m; m = m.next_sibling()) {
                    if (m.type() != pugi::node_element) continue;
                    if (local_name(m) == "content")
                        add(m);
                    else if (local_name(m) == "category")
                        add_category(item, text::clean_text(dec_.inner(m)));
                }
        }
    }
    // Atom: an entry without authors has its source's, else the feed's.
    if (item.authors.empty()) item.authors = source_authors.empty() ? feed_authors : source_authors;
    finish_item(item, raw_date);
    return item;
}

}  // namespace newswatch::parser
