#pragma once
// schema.org Article data from <script type="application/ld+json"> blocks.
#include <gumbo.h>

#include <optional>
#include <string>

namespace newswatch::extract {

struct json_ld_article {
    std::optional<std::string> headline;
    std::optional<std::string> author;  // names joined with ", "
    std::optional<std::string> date_published;
    std::optional<std::string> article_body;  // as given (may hold HTML)
    std::optional<std::string> language;
    std::optional<std::string> url;
};

// The first Article-like object (Article, NewsArticle, ReportageNewsArticle, BlogPosting, ...;
// inside arrays and @graph too) of the document's JSON-LD; nullopt when there is none or
// no block parses. Malformed JSON is skipped, never an error.
std::optional<json_ld_article> find_json_ld_article(const GumboNode* root);

}  // namespace newswatch::extract
