#pragma once
// What class, id and role attributes say about a block (Readability.js's regular
// expressions, as substring lists: the same words, no regex engine on the hot path).
#include <gumbo.h>

namespace newswatch::extract {

// Navigation, comments, sidebars, ads...: skipped before scoring unless the same
// attributes also say "article", "content", "main"...; never <body>, <a>, <article>.
bool is_unlikely_candidate(const GumboNode* element);

// +25 for a positive hint ("article", "content", "post"...), -25 for a negative one
// ("comment", "sidebar", "share"...), both may apply.
int class_weight(const GumboNode* element);

// rel="author", itemprop~="author", class/id "byline", "author", "dateline"...
bool looks_like_byline(const GumboNode* element);

// class/id mentions "share" (share bars inside the article).
bool looks_like_share_widget(const GumboNode* element);

}  // namespace newswatch::extract
