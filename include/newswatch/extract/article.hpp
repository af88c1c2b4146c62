#pragma once
// What the main-content extractor reads from one HTML page.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "newswatch/core/time.hpp"

namespace newswatch::extract {

// Where the article text came from, most specific first.
enum class content_source {
    none,          // nothing readable was found
    selector,      // the configured content_selector matched
    article_body,  // the element marked itemprop="articleBody" (schema.org microdata)
    scoring,       // readability-style scoring of the page's blocks
    json_ld,       // articleBody of a JSON-LD Article/NewsArticle (scoring found too little)
};

// "none", "selector", "article_body", "scoring", "json_ld".
std::string_view to_string(content_source source) noexcept;

// Fields are as the page has them: text from outside, not yet made safe for any output
// (apply core::payload_text or the log escaper at the output, see CONTRIBUTING.md).
struct article {
    std::optional<std::string> title;
    std::optional<std::string> byline;
    std::optional<core::timestamp> published;
    std::optional<std::string> canonical_url;  // absolute; the page URL when none is declared
    std::optional<std::string> lang;           // as declared, e.g. "en", "uk-UA"
    std::string text;                          // paragraphs separated by a blank line
    content_source source = content_source::none;
    std::vector<std::string> warnings;  // e.g. a content_selector that matched nothing
};

}  // namespace newswatch::extract
