#include "xml_support.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include <algorithm>
#include <charconv>
#include <cstring>

#include "newswatch/core/sha256.hpp"
#include "newswatch/core/time.hpp"
#include "newswatch/text/html_text.hpp"

namespace newswatch::parser {

namespace {

inline char lower(char c) noexcept {
    return (c >= 'A' && c <= 'Z') ? char(c + 32) : c;
}

bool starts_with_ignoring_case(std::string_view s, std::string_view prefix) noexcept {
    if (s.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (lower(s[i]) != lower(prefix[i])) return false;
    return true;
}

// Atom 0.3 and its drafts: "http://purl.org/atom/ns#" with or without the '#', a trailing
// '/', https, any case, or a draft name as the fragment ("...ns#draft-ietf-atompub-format-03");
// Atom 0.1/0.2 used "http://example.com/newformat#".
bool is_atom03_uri(std::string_view uri) noexcept {
    while (!uri.empty() && uri.front() == ' ') uri.remove_prefix(1);
    if (starts_with_ignoring_case(uri, "https://"))
        uri.remove_prefix(8);
    else if (starts_with_ignoring_case(uri, "http://"))
        uri.remove_prefix(7);
    for (std::string_view base :
         {std::string_view("purl.org/atom/ns"), std::string_view("example.com/newformat")}) {
        if (!starts_with_ignoring_case(uri, base)) continue;
        const std::string_view rest = uri.substr(base.size());
        if (rest.empty() || rest.front() == '#' || rest == "/" || rest.front() == ' ') return true;
    }
    return false;
}

// Compares namespace URIs loosely: case, http/https and a trailing '/' or '#' do not matter.
bool uri_is(std::string_view uri, std::string_view expected) noexcept {
    auto strip = [](std::string_view& u) {
        while (!u.empty() && u.front() == ' ') u.remove_prefix(1);
        if (starts_with_ignoring_case(u, "https://"))
            u.remove_prefix(8);
        else if (starts_with_ignoring_case(u, "http://"))
            u.remove_prefix(7);
        while (!u.empty() && (u.back() == '/' || u.back() == '#' || u.back() == ' ')) u.remove_suffix(1);
    };
    strip(uri);
    strip(expected);
    if (uri.size() != expected.size()) return false;
    for (std::size_t i = 0; i < uri.size(); ++i)
        if (lower(uri[i]) != lower(expected[i])) return false;
    return true;
}

xml_ns ns_from_uri_uncached(std::string_view uri) noexcept;

// Namespace URIs repeat for every element: remember the last few (by the attribute's
// storage, which is stable while the document lives, plus its content).
xml_ns ns_from_uri(std::string_view uri) noexcept {
    struct entry {
        char text[64];
        std::size_t size = 0;  // 0 = unused
        xml_ns ns = xml_ns::none;
    };
    thread_local entry cache[4];
    thread_local unsigned next = 0;
    if (uri.empty() || uri.size() > sizeof(entry::text)) return ns_from_uri_uncached(uri);
    for (const auto& e : cache)
        if (e.size == uri.size() && std::memcmp(e.text, uri.data(), uri.size()) == 0) return e.ns;
    const xml_ns ns = ns_from_uri_uncached(uri);
    entry& slot = cache[next++ % 4];
    std::memcpy(slot.text, uri.data(), uri.size());
    slot.size = uri.size();
    slot.ns = ns;
    return ns;
}

xml_ns ns_from_uri_uncached(std::string_view uri) noexcept {
    if (uri.empty()) return xml_ns::none;
    if (uri_is(uri, "http://www.w3.org/2005/Atom")) return xml_ns::atom10;
    if (is_atom03_uri(uri)) return xml_ns::atom03;
    if (uri_is(uri, "http://purl.org/rss/1.0/")) return xml_ns::rss10;
    if (uri_is(uri, "http://my.netscape.com/rdf/simple/0.9/") ||
        uri_is(uri, "http://channel.netscape.com/rdf/simple/0.9/"))
        return xml_ns::rss090;
    if (uri_is(uri, "http://www.w3.org/1999/02/22-rdf-syntax-ns#")) return xml_ns::rdf;
    if (uri_is(uri, "http://purl.org/dc/elements/1.1/")) return xml_ns::dc;
    if (uri_is(uri, "http://purl.org/dc/terms/")) return xml_ns::dcterms;
    if (uri_is(uri, "http://purl.org/rss/1.0/modules/content/")) return xml_ns::content;
    if (uri_is(uri, "http://search.yahoo.com/mrss/") || uri_is(uri, "http://video.search.yahoo.com/mrss"))
        return xml_ns::media;
    if (uri_is(uri, "http://www.itunes.com/dtds/podcast-1.0.dtd") ||
        uri_is(uri, "http://www.itunes.com/DTDs/Podcast-1.0.dtd"))
        return xml_ns::itunes;
    if (uri_is(uri, "http://www.w3.org/1999/xhtml")) return xml_ns::xhtml;
    if (uri_is(uri, "http://backend.userland.com/rss2") || uri_is(uri, "http://backend.userland.com/rss"))
        return xml_ns::none;  // the RSS 2.0 namespace some feeds declare: plain RSS elements
    return xml_ns::other;
}

xml_ns ns_from_prefix(std::string_view prefix) noexcept {
    if (prefix == "dc") return xml_ns::dc;
    if (prefix == "dcterms") return xml_ns::dcterms;
    if (prefix == "content") return xml_ns::content;
    if (prefix == "media") return xml_ns::media;
    if (prefix == "itunes") return xml_ns::itunes;
    if (prefix == "atom" || prefix == "atom10") return xml_ns::atom10;
    if (prefix == "rdf") return xml_ns::rdf;
    if (prefix == "xhtml") return xml_ns::xhtml;
    if (prefix == "xml") return xml_ns::xml;
    return xml_ns::other;
}

struct string_writer : pugi::xml_writer {
    std::string* out;
    explicit string_writer(std::string& o) : out(&o) {}
    void write(const void* data, std::size_t size) override {
        out->append(static_cast<const char*>(data), size);
    }
};

}  // namespace

xml_ns ns_of_uri(std::string_view uri) noexcept {
    return ns_from_uri(uri);
}

std::optional<long long> to_integer(std::string_view s) noexcept {
    s = trim(s);
    long long v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || s.empty()) return std::nullopt;
    (void)end;
    return v;
}

std::string_view local_name(pugi::xml_node node) noexcept {
    const std::string_view name = node.name();
    const std::size_t colon = name.find(':');
    return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

std::string_view local_name(pugi::xml_attribute attr) noexcept {
    const std::string_view name = attr.name();
    const std::size_t colon = name.find(':');
    return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

pugi::xml_attribute attribute(pugi::xml_node node, std::string_view local) noexcept {
    for (pugi::xml_attribute a = node.first_attribute(); a; a = a.next_attribute()) {
        const std::string_view name = a.name();
        if (name == local) return a;
    }
    for (pugi::xml_attribute a = node.first_attribute(); a; a = a.next_attribute())
        if (local_name(a) == local && std::string_view(a.name()).substr(0, 6) != "xmlns:") return a;
    return {};
}

namespace {

std::string_view prefix_of(std::string_view name) noexcept {
    const std::size_t colon = name.find(':');
    return colon == std::string_view::npos ? std::string_view() : name.substr(0, colon);
}

// What `prefix` means at `node`: its own declarations, then its ancestors'.
xml_ns resolve_prefix(pugi::xml_node node, std::string_view prefix) noexcept {
    if (prefix == "xml") return xml_ns::xml;
    for (pugi::xml_node n = node; n && n.type() == pugi::node_element; n = n.parent()) {
        for (pugi::xml_attribute a = n.first_attribute(); a; a = a.next_attribute()) {
            const char* raw = a.name();
            if (raw[0] != 'x' || std::strncmp(raw, "xmlns", 5) != 0) continue;  // cheap reject first
            const std::string_view an = raw;
            if (prefix.empty() ? an.size() == 5
                               : (an.size() == 6 + prefix.size() && an[5] == ':' && an.substr(6) == prefix))
                return ns_from_uri(trim(a.value()));
        }
    }
    return prefix.empty() ? xml_ns::none : ns_from_prefix(prefix);
}

bool declares_namespaces(pugi::xml_node node) noexcept {
    for (pugi::xml_attribute a = node.first_attribute(); a; a = a.next_attribute()) {
        const char* raw = a.name();
        if (raw[0] == 'x' && std::strncmp(raw, "xmlns", 5) == 0 && (raw[5] == 0 || raw[5] == ':'))
            return true;
    }
    return false;
}

}  // namespace

xml_ns namespace_of(pugi::xml_node node) noexcept {
    return resolve_prefix(node, prefix_of(node.name()));
}

xml_ns child_namespaces::of(pugi::xml_node child) noexcept {
    const std::string_view prefix = prefix_of(child.name());
    if (declares_namespaces(child)) return resolve_prefix(child, prefix);
    for (std::size_t i = 0; i < size_; ++i)
        if (known_[i].prefix == prefix) return known_[i].ns;
    const xml_ns ns = resolve_prefix(parent_, prefix);
    if (size_ < std::size(known_)) known_[size_++] = {prefix, ns};
    return ns;
}

void xml_text_decoder::append_decoded(std::string& out, std::string_view raw) {
    std::size_t start = 0;
    while (true) {
        const std::size_t amp = raw.find('&', start);
        if (amp == std::string_view::npos) {
            out.append(raw.substr(start));
            return;
        }
        out.append(raw.substr(start, amp - start));
        bool strict = false;
        const std::size_t used = text::decode_reference_at(raw, amp, out, &strict);
        if (used == 0) {
            out.push_back('&');
            ++bare_ampersands_;
            start = amp + 1;
            continue;
        }
        if (!strict) {
            if (undefined_refs_++ == 0)
                first_undefined_ = std::string(raw.substr(amp, std::min<std::size_t>(used, 40)));
        }
        start = amp + used;
    }
}

std::string xml_text_decoder::inner(pugi::xml_node node) {
    std::string out;
    append_inner(out, node);
    return out;
}

std::string_view xml_text_decoder::inner_view(pugi::xml_node node) {
    const pugi::xml_node first = node.first_child();
    if (first && !first.next_sibling()) {
        if (first.type() == pugi::node_cdata) return first.value();
        if (first.type() == pugi::node_pcdata) {
            const std::string_view text = first.value();
            if (text.find('&') == std::string_view::npos) return text;
        }
    }
    scratch_.clear();
    append_inner(scratch_, node);
    return scratch_;
}

void xml_text_decoder::append_inner(std::string& out, pugi::xml_node node) {
    for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
        switch (c.type()) {
            case pugi::node_pcdata:
                append_decoded(out, c.value());
                break;
            case pugi::node_cdata:
                out.append(c.value());
                break;
            case pugi::node_element: {
                string_writer w(out);
                c.print(w, "", pugi::format_raw | pugi::format_no_escapes, pugi::encoding_utf8);
                break;
            }
            default:
                break;
        }
    }
}

std::string xml_text_decoder::inner_markup(pugi::xml_node node) {
    std::string out;
    string_writer w(out);
    for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
        if (c.type() == pugi::node_cdata) {
            out.append(escape_html(c.value()));
            continue;
        }
        c.print(w, "", pugi::format_raw | pugi::format_no_escapes, pugi::encoding_utf8);
    }
    return out;
}

void xml_text_decoder::collect_warnings(std::vector<std::string>& warnings) const {
    // With a DOCTYPE the DTD may define the entities (RSS 0.91's Netscape DTD does).
    if (has_doctype_) return;
    if (undefined_refs_ > 0)
        warnings.push_back("ill-formed XML: " + std::to_string(undefined_refs_) +
                           " entity references XML does not define (first: " + first_undefined_ +
                           "); decoded as HTML");
    if (bare_ampersands_ > 0)
        warnings.push_back("ill-formed XML: " + std::to_string(bare_ampersands_) +
                           " unescaped '&' read as text");
}

std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

bool looks_like_html(std::string_view text) noexcept {
    for (std::size_t p = text.find('<'); p != std::string_view::npos; p = text.find('<', p + 1)) {
        if (p + 1 >= text.size()) return false;
        const char c = text[p + 1];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '/' || c == '!') return true;
    }
    return false;
}

std::string one_line(std::string_view html_or_text) {
    return looks_like_html(html_or_text) ? text::html_to_line(html_or_text) : text::clean_text(html_or_text);
}

std::string escape_html(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 16);
    for (char c : text) {
        if (c == '&')
            out += "&amp;";
        else if (c == '<')
            out += "&lt;";
        else if (c == '>')
            out += "&gt;";
        else
            out += c;
    }
    return out;
}

std::string resolve_url(std::string_view base, std::string_view ref) {
    ref = trim(ref);
    if (ref.empty() || base.empty()) return std::string(ref);
    // Absolute already: the common case, no parsing needed.
    const std::size_t colon = ref.find(':');
    if (colon != std::string_view::npos && colon > 0) {
        bool scheme = true;
        for (std::size_t i = 0; i < colon; ++i) {
            const char c = ref[i];
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                  (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'))))
                scheme = false;
        }
        if (scheme) return std::string(ref);
    }
    auto b = boost::urls::parse_uri(trim(base));
    if (!b) return std::string(ref);
    auto r = boost::urls::parse_uri_reference(ref);
    if (!r) return std::string(ref);
    boost::urls::url out;
    if (!boost::urls::resolve(*b, *r, out)) return std::string(ref);
    return std::string(out.buffer());
}

core::person parse_person(std::string_view text) {
    core::person p;
    text = trim(text);
    if (text.empty()) return p;
    const std::size_t open_paren = text.find('(');
    const std::size_t lt = text.find('<');
    if (lt != std::string_view::npos && text.find('>', lt) != std::string_view::npos &&
        text.substr(lt).find('@') != std::string_view::npos) {
        const std::size_t gt = text.find('>', lt);
        p.email = std::string(trim(text.substr(lt + 1, gt - lt - 1)));
        const std::string_view name = trim(text.substr(0, lt));
        if (!name.empty()) p.name = std::string(name);
        return p;
    }
    if (open_paren != std::string_view::npos && text.back() == ')') {
        const std::string_view before = trim(text.substr(0, open_paren));
        const std::string_view inside = trim(text.substr(open_paren + 1, text.size() - open_paren - 2));
        if (before.find('@') != std::string_view::npos && before.find(' ') == std::string_view::npos) {
            p.email = std::string(before);
            if (!inside.empty()) p.name = std::string(inside);
            return p;
        }
        if (inside.find('@') != std::string_view::npos && inside.find(' ') == std::string_view::npos) {
            p.email = std::string(inside);  // "Name (email)"
            if (!before.empty()) p.name = std::string(before);
            return p;
        }
    }
    if (text.find('@') != std::string_view::npos && text.find(' ') == std::string_view::npos) {
        p.email = std::string(text);
        return p;
    }
    p.name = std::string(text);
    return p;
}

void finish_item(core::item& item, std::string_view raw_date) {
    if (!item.id.empty()) return;
    if (item.link && !item.link->empty()) {
        item.id = *item.link;
        return;
    }
    // No guid and no link: a hash of what identifies the item, stable across fetches.
    std::string key = item.title.value_or("");
    key += '\n';
    if (item.published)
        key += core::format_rfc3339(*item.published);
    else if (item.updated)
        key += core::format_rfc3339(*item.updated);
    else
        key += trim(raw_date);
    if (!item.title && !item.published && !item.updated && trim(raw_date).empty()) {
        key += '\n';
        key += item.summary_html.value_or("");
        key += '\n';
        key += item.content_html.value_or("");
    }
    item.id = "sha256:" + core::sha256_hex(key).substr(0, 32);
}

void add_enclosure(core::item& item, core::enclosure e) {
    if (e.url.empty()) return;
    for (auto& existing : item.enclosures)
        if (existing.url == e.url) {
            if (!existing.type && e.type) existing.type = e.type;
            if (!existing.length && e.length) existing.length = e.length;
            return;
        }
    item.enclosures.push_back(std::move(e));
}

void add_category(core::item& item, std::string term) {
    if (term.empty()) return;
    for (const auto& existing : item.categories)
        if (existing == term) return;
    item.categories.push_back(std::move(term));
}

std::string lowercase(std::string_view name) {
    std::string out(name);
    for (char& c : out) c = lower(c);
    return out;
}

bool has_href(pugi::xml_node node) noexcept {
    return !trim(attribute(node, "href").value()).empty();
}

void take_websub_link(std::string_view rel, const std::string& href, core::feed_meta& feed) {
    if (href.empty()) return;
    constexpr std::size_t max_hubs = 8;  // a hostile feed must not make us subscribe a thousand times
    constexpr std::string_view spaces = " \t\r\n";
    while (!rel.empty()) {
        const auto start = rel.find_first_not_of(spaces);
        if (start == std::string_view::npos) break;
        rel.remove_prefix(start);
        const std::string_view token = rel.substr(0, rel.find_first_of(spaces));
        rel.remove_prefix(token.size());
        if (lowercase(token) == "hub") {
            if (feed.hubs.size() < max_hubs &&
                std::find(feed.hubs.begin(), feed.hubs.end(), href) == feed.hubs.end())
                feed.hubs.push_back(href);
        } else if (lowercase(token) == "self" && !feed.self_url) {
            feed.self_url = href;
        }
    }
}

}  // namespace newswatch::parser
