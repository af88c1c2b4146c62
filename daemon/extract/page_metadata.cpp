#include "page_metadata.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include <map>
#include <vector>

#include "dom.hpp"
#include "newswatch/parser/feed_date.hpp"
#include "newswatch/text/html_text.hpp"

namespace newswatch::extract {

namespace {

struct page_tags {
    std::map<std::string, std::string, std::less<>> meta;  // lowercased key -> first value
    std::optional<std::string> title;
    std::optional<std::string> canonical;
    std::optional<std::string> html_lang;
    std::optional<std::string> time_datetime;  // the first <time datetime>
};

void add_meta(page_tags& tags, std::string_view keys, std::string_view value) {
    // property="og:title twitter:title": each key names the same value.
    std::size_t p = 0;
    const std::string lowered = dom::lowercase(keys);
    while (p < lowered.size()) {
        while (p < lowered.size() && lowered[p] == ' ') ++p;
        std::size_t end = p;
        while (end < lowered.size() && lowered[end] != ' ') ++end;
        if (end > p) tags.meta.emplace(lowered.substr(p, end - p), std::string(dom::trim(value)));
        p = end;
    }
}

void collect(const GumboNode* node, page_tags& tags, int depth) {
    if (!dom::is_element(node) || depth > dom::max_depth) return;
    const GumboTag t = node->v.element.tag;
    if (t == GUMBO_TAG_META) {
        const char* content = dom::attribute(node, "content");
        if (content && *content) {
            for (const char* key_attr : {"property", "name", "itemprop"})
                if (const char* key = dom::attribute(node, key_attr)) add_meta(tags, key, content);
            if (const char* equiv = dom::attribute(node, "http-equiv"))
                add_meta(tags, std::string("http-equiv:") + equiv, content);
        }
        return;
    }
    if (t == GUMBO_TAG_TITLE && !tags.title) {
        tags.title = dom::collapsed_text(node);
        return;
    }
    if (t == GUMBO_TAG_LINK && !tags.canonical) {
        if (dom::lowercase(dom::attribute_or_empty(node, "rel")) == "canonical")
            if (const char* href = dom::attribute(node, "href"); href && *href) tags.canonical = href;
        return;
    }
    if (t == GUMBO_TAG_HTML)
        if (const char* lang = dom::attribute(node, "lang"); lang && !dom::trim(lang).empty())
            tags.html_lang = std::string(dom::trim(lang));
    if (t == GUMBO_TAG_TIME && !tags.time_datetime)
        if (const char* dt = dom::attribute(node, "datetime"); dt && *dt) tags.time_datetime = dt;
    if (t == GUMBO_TAG_SCRIPT || t == GUMBO_TAG_STYLE) return;
    const GumboVector& kids = node->v.element.children;
    for (unsigned i = 0; i < kids.length; ++i)
        collect(static_cast<const GumboNode*>(kids.data[i]), tags, depth + 1);
}

std::optional<std::string> first_meta(const page_tags& tags, std::initializer_list<std::string_view> keys) {
    for (std::string_view k : keys)
        if (auto it = tags.meta.find(k); it != tags.meta.end() && !it->second.empty()) return it->second;
    return std::nullopt;
}

// Entities in meta values are decoded by gumbo; some sites double-encode (&amp;amp;).
std::optional<std::string> clean(std::optional<std::string> s) {
    if (!s) return s;
    std::string line = text::html_to_line(*s);
    if (line.empty()) return std::nullopt;
    return line;
}

std::string resolve(std::string_view base, std::string_view ref) {
    const auto base_url = boost::urls::parse_uri(base);
    const auto ref_url = boost::urls::parse_uri_reference(dom::trim(ref));
    if (!base_url || !ref_url) return std::string(dom::trim(ref));
    boost::urls::url out;
    if (!boost::urls::resolve(*base_url, *ref_url, out)) return std::string(dom::trim(ref));
    out.normalize_scheme();
    return std::string(out.buffer());
}

bool is_url(std::string_view s) noexcept {
    return s.rfind("http://", 0) == 0 || s.rfind("https://", 0) == 0;
}

std::size_t word_count(std::string_view s) {
    std::size_t n = 0;
    bool in_word = false;
    for (char c : s) {
        const bool space = c == ' ';
        if (!space && !in_word) ++n;
        in_word = !space;
    }
    return n;
}

}  // namespace

std::string headline_of_title(std::string_view title) {
    const std::string t(dom::trim(title));
    for (std::string_view sep :
         {" | ", " - ", " \xE2\x80\x93 ", " \xE2\x80\x94 ", " \\ ", " / ", " > ", " \xC2\xBB "}) {
        const std::size_t last = t.rfind(sep);
        if (last == std::string::npos) continue;
        std::string head = t.substr(0, last);
        if (word_count(head) >= 3) return head;
        // "Site | Headline of the story": the part after the first separator.
        const std::size_t first = t.find(sep);
        std::string tail = t.substr(first + sep.size());
        if (word_count(tail) >= 3) return tail;
        return t;
    }
    return t;
}

void read_page_metadata(const GumboNode* root, const std::optional<json_ld_article>& json_ld,
                        std::string_view base_url, article& out) {
    page_tags tags;
    collect(root, tags, 0);
    const json_ld_article none;
    const json_ld_article& ld = json_ld ? *json_ld : none;

    out.title = clean(ld.headline ? ld.headline
                                  : first_meta(tags, {"dc:title", "dcterm:title", "dcterms.title", "og:title",
                                                      "twitter:title", "parsely-title", "title"}));
    if (!out.title && tags.title) out.title = clean(headline_of_title(*tags.title));

    std::optional<std::string> byline = ld.author;
    if (!byline)
        byline = first_meta(tags, {"dc:creator", "dcterm:creator", "dcterms.creator", "author",
                                   "parsely-author", "sailthru.author"});
    if (!byline)
        if (auto a = first_meta(tags, {"article:author"}); a && !is_url(*a)) byline = a;
    out.byline = clean(byline);

    std::optional<std::string> date = ld.date_published;
    if (!date)
        date = first_meta(tags, {"article:published_time", "og:published_time", "datepublished",
                                 "parsely-pub-date", "dc.date", "dcterms.created", "dc.date.issued", "date",
                                 "pubdate", "sailthru.date", "publish-date", "publication_date"});
    if (!date) date = tags.time_datetime;
    if (date) out.published = parser::parse_feed_date(*date);

    std::optional<std::string> canonical = tags.canonical;
    if (!canonical) canonical = first_meta(tags, {"og:url"});
    if (!canonical) canonical = ld.url;
    if (canonical)
        out.canonical_url =
            base_url.empty() ? std::string(dom::trim(*canonical)) : resolve(base_url, *canonical);
    else if (!base_url.empty())
        out.canonical_url = std::string(base_url);

    std::optional<std::string> lang = tags.html_lang;
    if (!lang)
        lang = first_meta(tags, {"http-equiv:content-language", "content-language", "og:locale",
                                 "dc.language", "language"});
    if (!lang) lang = ld.language;
    if (lang) {
        std::string l(dom::trim(*lang));
        for (char& c : l)
            if (c == '_') c = '-';  // og:locale "en_US"
        if (!l.empty()) out.lang = std::move(l);
    }
}

}  // namespace newswatch::extract
