#include "content_hints.hpp"

#include <initializer_list>
#include <string>
#include <string_view>

#include "dom.hpp"

namespace newswatch::extract {

namespace {

bool contains_any(std::string_view haystack, std::initializer_list<std::string_view> needles) noexcept {
    for (std::string_view n : needles)
        if (haystack.find(n) != std::string_view::npos) return true;
    return false;
}

// "hid" only as a whole word (Readability: /^hid$| hid$| hid |^hid /).
bool has_word_hid(std::string_view s) noexcept {
    std::size_t p = 0;
    while ((p = s.find("hid", p)) != std::string_view::npos) {
        const bool start = p == 0 || s[p - 1] == ' ';
        const bool end = p + 3 == s.size() || s[p + 3] == ' ';
        if (start && end) return true;
        p += 3;
    }
    return false;
}

bool is_negative(std::string_view s) noexcept {
    return has_word_hid(s) ||
           contains_any(s, {"-ad-",     "hidden",     "banner",  "combx",    "comment", "com-",
                            "contact",  "footer",     "gdpr",    "masthead", "media",   "meta",
                            "outbrain", "promo",      "related", "scroll",   "share",   "shoutbox",
                            "sidebar",  "skyscraper", "sponsor", "shopping", "tags",    "widget"});
}

bool is_positive(std::string_view s) noexcept {
    return contains_any(s, {"article", "body", "content", "entry", "hentry", "h-entry", "main", "page",
                            "pagination", "post", "text", "blog", "story"});
}

}  // namespace

bool is_unlikely_candidate(const GumboNode* element) {
    const GumboTag t = dom::tag(element);
    if (t == GUMBO_TAG_BODY || t == GUMBO_TAG_A || t == GUMBO_TAG_ARTICLE || t == GUMBO_TAG_HTML)
        return false;
    const std::string_view role = dom::attribute_or_empty(element, "role");
    if (role == "menu" || role == "menubar" || role == "complementary" || role == "navigation" ||
        role == "alert" || role == "alertdialog" || role == "dialog")
        return true;
    const std::string hints = dom::class_and_id(element);
    if (hints.size() <= 1) return false;
    if (!contains_any(hints, {"-ad-",         "ai2html",    "banner",  "breadcrumbs", "combx",  "comment",
                              "community",    "cover-wrap", "disqus",  "extra",       "footer", "gdpr",
                              "header",       "legends",    "menu",    "related",     "remark", "replies",
                              "rss",          "shoutbox",   "sidebar", "skyscraper",  "social", "sponsor",
                              "supplemental", "ad-break",   "agegate", "pagination",  "pager",  "popup",
                              "yom-remote"}))
        return false;
    // A table or code block inside an unlikely-sounding wrapper is still content.
    if (t == GUMBO_TAG_TABLE || t == GUMBO_TAG_CODE) return false;
    return !contains_any(hints, {"and", "article", "body", "column", "content", "main", "mathjax", "shadow"});
}

int class_weight(const GumboNode* element) {
    int weight = 0;
    for (const char* name : {"class", "id"}) {
        const std::string value = dom::lowercase(dom::attribute_or_empty(element, name));
        if (value.empty()) continue;
        if (is_negative(value)) weight -= 25;
        if (is_positive(value)) weight += 25;
    }
    return weight;
}

bool looks_like_byline(const GumboNode* element) {
    if (dom::attribute_or_empty(element, "rel") == "author") return true;
    if (dom::attribute_or_empty(element, "itemprop").find("author") != std::string_view::npos) return true;
    const std::string hints = dom::class_and_id(element);
    return contains_any(hints, {"byline", "author", "dateline", "writtenby", "p-author"});
}

bool looks_like_share_widget(const GumboNode* element) {
    return dom::class_and_id(element).find("share") != std::string::npos;
}

}  // namespace newswatch::extract
