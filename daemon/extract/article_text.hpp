#pragma once
// The chosen elements -> plain text: paragraphs separated by a blank line, list items and
// <br> by a line break, whitespace collapsed (kept inside <pre>), and boilerplate inside the
// article left out (Readability's _prepArticle: share bars, forms, link lists, hidden parts).
#include <gumbo.h>

#include <string>
#include <vector>

#include "node_stats.hpp"

namespace newswatch::extract {

struct render_options {
    bool strip_unlikely = true;       // skip nav/sidebar/comment-like blocks
    bool clean_conditionally = true;  // skip link lists, image galleries, forms
    const GumboNode* skip = nullptr;  // e.g. the byline element, already reported apart
};

class article_text {
public:
    article_text(const node_stats_table& stats, render_options options) : stats_(stats), options_(options) {}

    std::string render(const std::vector<const GumboNode*>& elements);

private:
    void walk(const GumboNode* node, int depth, bool in_pre);
    bool keep(const GumboNode* element) const;
    bool conditionally_removed(const GumboNode* element) const;
    void text(std::string_view s, bool in_pre);
    void brk(int level);  // 1 = line, 2 = paragraph

    const node_stats_table& stats_;
    render_options options_;
    std::string out_;
    int pending_ = 0;
};

}  // namespace newswatch::extract
