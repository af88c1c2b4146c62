#include "newswatch/extract/article_extractor.hpp"

#include <gumbo.h>

#include "article_text.hpp"
#include "content_hints.hpp"
#include "content_scorer.hpp"
#include "dom.hpp"
#include "json_ld.hpp"
#include "newswatch/text/html_text.hpp"
#include "node_stats.hpp"
#include "page_metadata.hpp"

namespace newswatch::extract {

namespace {

// Readability retries with relaxed rules below this many characters of text.
constexpr std::size_t enough_text = 500;
// An articleBody element or JSON-LD body shorter than this is a teaser, not the article.
constexpr std::uint32_t min_body_text = 140;

const GumboNode* find_body(const GumboNode* html) {
    const GumboVector& kids = dom::children(html);
    for (unsigned i = 0; i < kids.length; ++i)
        if (dom::tag(dom::child(html, i)) == GUMBO_TAG_BODY) return dom::child(html, i);
    return html;
}

// First element (pre-order) satisfying `pred`, not looking inside never-text elements.
template <class Pred>
const GumboNode* find_first(const GumboNode* node, const Pred& pred, int depth = 0) {
    if (!dom::is_element(node) || depth > dom::max_depth || is_never_text(node->v.element.tag))
        return nullptr;
    if (pred(node)) return node;
    const GumboVector& kids = node->v.element.children;
    for (unsigned i = 0; i < kids.length; ++i)
        if (const GumboNode* found = find_first(static_cast<const GumboNode*>(kids.data[i]), pred, depth + 1))
            return found;
    return nullptr;
}

bool has_itemprop(const GumboNode* e, std::string_view wanted) {
    const std::string_view props = dom::attribute_or_empty(e, "itemprop");
    std::size_t p = 0;
    while (p < props.size()) {
        std::size_t end = props.find(' ', p);
        if (end == std::string_view::npos) end = props.size();
        if (props.substr(p, end - p) == wanted) return true;
        p = end + 1;
    }
    return false;
}

}  // namespace

std::string_view to_string(content_source source) noexcept {
    switch (source) {
        case content_source::none:
            return "none";
        case content_source::selector:
            return "selector";
        case content_source::article_body:
            return "article_body";
        case content_source::scoring:
            return "scoring";
        case content_source::json_ld:
            return "json_ld";
    }
    return "none";
}

article extract_article(std::string_view html, const extract_options& options) {
    return extract_article(html_document::parse(html, options.content_type), options);
}

article extract_article(const html_document& document, const extract_options& options) {
    article out;
    const GumboNode* root = document.root();
    const auto json_ld = find_json_ld_article(root);
    read_page_metadata(root, json_ld, options.base_url, out);
    const GumboNode* body = find_body(root);
    const node_stats_table stats(root);

    // A page's own byline element: reported as the byline, left out of the text.
    const GumboNode* byline_node = nullptr;
    if (!out.byline) {
        byline_node = find_first(body, [&](const GumboNode* e) {
            if (!looks_like_byline(e)) return false;
            const std::uint32_t length = stats.of(e).text;
            return length > 0 && length < 100;
        });
        if (byline_node) {
            std::string byline = dom::collapsed_text(byline_node);
            if (!byline.empty()) out.byline = std::move(byline);
        }
    }

    if (options.content_selector) {
        const auto nodes = options.content_selector->select(root);
        if (!nodes.empty()) {
            article_text renderer(stats,
                                  {.strip_unlikely = false, .clean_conditionally = false, .skip = nullptr});
            out.text = renderer.render(nodes);
            out.source = content_source::selector;
            return out;
        }
        out.warnings.push_back("content_selector \"" + options.content_selector->text() +
                               "\" matched nothing; scored the page instead");
    }

    const GumboNode* article_body = find_first(body, [&](const GumboNode* e) {
        return has_itemprop(e, "articleBody") && stats.of(e).text >= min_body_text;
    });
    if (article_body) {
        article_text renderer(stats,
                              {.strip_unlikely = true, .clean_conditionally = true, .skip = byline_node});
        out.text = renderer.render({article_body});
        out.source = content_source::article_body;
        if (out.text.size() >= min_body_text) return out;
    }

    // Readability's attempts: all rules, then without dropping unlikely blocks, without
    // class weights, without conditional cleaning; the longest text wins.
    static constexpr scoring_flags attempts[] = {
        {true, true, true}, {false, true, true}, {false, false, true}, {false, false, false}};
    std::string best;
    for (const scoring_flags& flags : attempts) {
        content_scorer scorer(stats, flags);
        const auto nodes = scorer.choose(body);
        if (nodes.empty()) continue;
        article_text renderer(stats, {.strip_unlikely = flags.strip_unlikely,
                                      .clean_conditionally = flags.clean_conditionally,
                                      .skip = byline_node});
        std::string text = renderer.render(nodes);
        if (text.size() > best.size()) best = std::move(text);
        if (best.size() >= enough_text) break;
    }
    if (!best.empty()) {
        out.text = std::move(best);
        out.source = content_source::scoring;
    }

    if (json_ld && json_ld->article_body && out.text.size() < enough_text) {
        std::string ld_text = text::html_to_text(*json_ld->article_body);
        if (ld_text.size() >= min_body_text && ld_text.size() > out.text.size()) {
            out.text = std::move(ld_text);
            out.source = content_source::json_ld;
        }
    }
    return out;
}

}  // namespace newswatch::extract
