#include "newswatch/parser/feed_links.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include "xml_support.hpp"

namespace newswatch::parser {

namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

bool starts_with_ci(std::string_view text, std::size_t at, std::string_view word) {
    if (text.size() - at < word.size()) return false;
    for (std::size_t i = 0; i < word.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(text[at + i])) != word[i]) return false;
    return true;
}

// The few character references that appear in URLs and titles of <link> tags.
std::string decode_references(std::string_view s) {
    static const std::pair<std::string_view, char> named[] = {
        {"&amp;", '&'}, {"&quot;", '"'}, {"&#39;", '\''}, {"&apos;", '\''},
        {"&lt;", '<'},  {"&gt;", '>'},   {"&#38;", '&'}};
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
        bool replaced = false;
        if (s[i] == '&') {
            for (const auto& [entity, c] : named) {
                if (s.substr(i, entity.size()) == entity) {
                    out += c;
                    i += entity.size();
                    replaced = true;
                    break;
                }
            }
        }
        if (!replaced) out += s[i++];
    }
    return out;
}

// Attributes of the tag starting after its name at `at`, up to its '>'; `at` ends past it.
std::map<std::string, std::string> read_attributes(std::string_view text, std::size_t& at) {
    std::map<std::string, std::string> attributes;
    while (at < text.size()) {
        while (at < text.size() && (is_space(text[at]) || text[at] == '/')) ++at;
        if (at >= text.size()) break;
        if (text[at] == '>') {
            ++at;
            break;
        }
        const std::size_t name_start = at;
        while (at < text.size() && !is_space(text[at]) && text[at] != '=' && text[at] != '>' &&
               text[at] != '/')
            ++at;
        std::string name = lowercase(text.substr(name_start, at - name_start));
        while (at < text.size() && is_space(text[at])) ++at;
        std::string value;
        if (at < text.size() && text[at] == '=') {
            ++at;
            while (at < text.size() && is_space(text[at])) ++at;
            if (at < text.size() && (text[at] == '"' || text[at] == '\'')) {
                const char quote = text[at++];
                const std::size_t end = text.find(quote, at);
                const std::size_t stop = end == std::string_view::npos ? text.size() : end;
                value = text.substr(at, stop - at);
                at = stop == text.size() ? stop : stop + 1;
            } else {
                const std::size_t value_start = at;
                while (at < text.size() && !is_space(text[at]) && text[at] != '>') ++at;
                value = text.substr(value_start, at - value_start);
            }
        }
        if (!name.empty() && !attributes.contains(name))
            attributes.emplace(std::move(name), decode_references(value));
    }
    return attributes;
}

bool has_token(std::string_view list, std::string_view token) {
    std::size_t i = 0;
    while (i < list.size()) {
        while (i < list.size() && is_space(list[i])) ++i;
        const std::size_t start = i;
        while (i < list.size() && !is_space(list[i])) ++i;
        if (list.substr(start, i - start) == token) return true;
    }
    return false;
}

bool is_feed_type(std::string_view type) {
    static constexpr std::string_view types[] = {"application/rss+xml", "application/atom+xml",
                                                 "application/rdf+xml", "application/feed+json",
                                                 "application/json"};
    const std::string_view bare = type.substr(0, type.find(';'));
    return std::find(std::begin(types), std::end(types), bare) != std::end(types);
}

std::string trimmed_copy(std::string_view s) {
    std::size_t b = 0, e = s.size();
    while (b < e && is_space(s[b])) ++b;
    while (e > b && is_space(s[e - 1])) --e;
    return std::string(s.substr(b, e - b));
}

}  // namespace

std::vector<feed_link> find_feed_links(std::string_view html, std::string_view page_url,
                                       std::size_t max_links) {
    std::vector<feed_link> links;
    std::string base(page_url);
    bool base_seen = false;
    std::size_t at = 0;
    while (links.size() < max_links) {
        at = html.find('<', at);
        if (at == std::string_view::npos) break;
        ++at;
        if (starts_with_ci(html, at, "!--")) {  // a comment hides its links
            const std::size_t end = html.find("-->", at + 3);
            if (end == std::string_view::npos) break;
            at = end + 3;
            continue;
        }
        const bool is_link = starts_with_ci(html, at, "link") && at + 4 < html.size() &&
                             (is_space(html[at + 4]) || html[at + 4] == '/' || html[at + 4] == '>');
        const bool is_base = starts_with_ci(html, at, "base") && at + 4 < html.size() &&
                             (is_space(html[at + 4]) || html[at + 4] == '/' || html[at + 4] == '>');
        if (!is_link && !is_base) continue;
        at += 4;
        auto attributes = read_attributes(html, at);
        const auto href = attributes.find("href");
        if (href == attributes.end() || trimmed_copy(href->second).empty()) continue;
        if (is_base) {
            // Only the first <base> counts (HTML); it resolves the links after it.
            if (!base_seen) base = resolve_url(page_url, trimmed_copy(href->second));
            base_seen = true;
            continue;
        }
        if (!has_token(lowercase(attributes["rel"]), "alternate")) continue;
        const std::string type = trimmed_copy(lowercase(attributes["type"]));
        if (!is_feed_type(type)) continue;
        feed_link link;
        link.url = resolve_url(base, trimmed_copy(href->second));
        link.type = type;
        if (auto title = trimmed_copy(attributes["title"]); !title.empty()) link.title = std::move(title);
        if (std::none_of(links.begin(), links.end(), [&](const feed_link& l) { return l.url == link.url; }))
            links.push_back(std::move(link));
    }
    return links;
}

const std::vector<std::string_view>& common_feed_paths() {
    static const std::vector<std::string_view> paths = {"/feed",      "/rss.xml",  "/atom.xml", "/index.xml",
                                                        "/feed.json", "/feed.xml", "/rss",      "/atom"};
    return paths;
}

}  // namespace newswatch::parser
