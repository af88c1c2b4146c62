#pragma once
// Main-content extraction: HTML page -> article (title, byline, date, canonical URL,
// language, text). A pure function: no I/O, no logging; never throws for any input (fuzzed).
#include <string_view>

#include "newswatch/extract/article.hpp"
#include "newswatch/extract/css_selector.hpp"
#include "newswatch/extract/html_document.hpp"

namespace newswatch::extract {

struct extract_options {
    std::string_view base_url{};      // the page URL: relative canonical links resolve against it
    std::string_view content_type{};  // HTTP Content-Type (its charset), may be empty
    // A site's content_selector: when it matches, its elements are the article text and
    // scoring is skipped. nullptr: score.
    const css_selector* content_selector = nullptr;
};

article extract_article(std::string_view html, const extract_options& options = {});

// The same on a document parsed already (the benchmark times parse and scoring apart).
article extract_article(const html_document& document, const extract_options& options = {});

}  // namespace newswatch::extract
