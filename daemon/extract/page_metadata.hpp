#pragma once
// Title, byline, published time, canonical URL and language of a page, from (best first)
// JSON-LD, <meta> (Open Graph, Twitter, Dublin Core, article:*, itemprop), <link
// rel=canonical>, <html lang> and <title>.
#include <gumbo.h>

#include <optional>
#include <string>
#include <string_view>

#include "json_ld.hpp"
#include "newswatch/extract/article.hpp"

namespace newswatch::extract {

// Fills title, byline, published, canonical_url and lang of `out` (text is not touched).
void read_page_metadata(const GumboNode* root, const std::optional<json_ld_article>& json_ld,
                        std::string_view base_url, article& out);

// "Headline | Site" -> "Headline" when the rest is long enough to be a headline
// (Readability's _getArticleTitle, separators only).
std::string headline_of_title(std::string_view title);

}  // namespace newswatch::extract
