#include "content_scorer.hpp"

#include <algorithm>
#include <string_view>

#include "content_hints.hpp"
#include "dom.hpp"

namespace newswatch::extract {

namespace {

constexpr std::uint32_t min_paragraph_length = 25;
constexpr std::size_t top_candidates = 5;

int tag_bonus(GumboTag t) noexcept {
    if (dom::is_heading(t)) return -5;
    switch (t) {
        case GUMBO_TAG_DIV:
            return 5;
        case GUMBO_TAG_PRE:
        case GUMBO_TAG_TD:
        case GUMBO_TAG_BLOCKQUOTE:
            return 3;
        case GUMBO_TAG_ARTICLE:
            return 10;  // HTML5 says this is the article
        case GUMBO_TAG_ADDRESS:
        case GUMBO_TAG_OL:
        case GUMBO_TAG_UL:
        case GUMBO_TAG_DL:
        case GUMBO_TAG_DD:
        case GUMBO_TAG_DT:
        case GUMBO_TAG_LI:
        case GUMBO_TAG_FORM:
            return -3;
        case GUMBO_TAG_TH:
            return -5;
        default:
            return 0;
    }
}

bool is_scored_paragraph(GumboTag t) noexcept {
    return t == GUMBO_TAG_P || t == GUMBO_TAG_TD || t == GUMBO_TAG_PRE || t == GUMBO_TAG_SECTION ||
           (dom::is_heading(t) && t != GUMBO_TAG_H1);
}

// Text ending like a sentence: "... end." or "... end. More".
bool ends_like_sentence(const GumboNode* e) {
    const std::string text = dom::collapsed_text(e);
    return !text.empty() && (text.back() == '.' || text.find(". ") != std::string::npos);
}

}  // namespace

double* content_scorer::find_score(const GumboNode* element) {
    const auto it = index_.find(element);
    return it == index_.end() ? nullptr : &candidates_[it->second].score;
}

double& content_scorer::score_of(const GumboNode* element) {
    if (double* s = find_score(element)) return *s;
    double initial = tag_bonus(dom::tag(element));
    if (flags_.weight_classes) initial += class_weight(element);
    index_.emplace(element, candidates_.size());
    candidates_.push_back({element, initial});
    return candidates_.back().score;
}

void content_scorer::score_paragraph(const GumboNode* paragraph, std::uint32_t length, std::uint32_t commas) {
    const double content_score = 1.0 + commas + std::min<std::uint32_t>(length / 100, 3);
    const GumboNode* ancestor = paragraph->parent;
    for (int level = 0; level < 5 && ancestor && dom::is_element(ancestor);
         ++level, ancestor = ancestor->parent) {
        if (!ancestor->parent || !dom::is_element(ancestor->parent)) break;  // <html> is no candidate
        const double divider = level == 0 ? 1.0 : level == 1 ? 2.0 : level * 3.0;
        score_of(ancestor) += content_score / divider;
    }
}

void content_scorer::score_paragraphs(const GumboNode* node, int depth) {
    if (depth > dom::max_depth || !dom::is_element(node)) return;
    const GumboTag t = node->v.element.tag;
    if (is_never_text(t) || dom::is_hidden(node)) return;
    if (flags_.strip_unlikely && is_unlikely_candidate(node)) return;
    const node_stats& s = stats_.of(node);
    const bool div_as_paragraph = t == GUMBO_TAG_DIV && !s.block_child;
    if (is_scored_paragraph(t) || div_as_paragraph) {
        if (s.text >= min_paragraph_length) score_paragraph(node, s.text, s.commas);
        if (t != GUMBO_TAG_SECTION && t != GUMBO_TAG_TD) return;
    } else if (t == GUMBO_TAG_DIV) {
        // Inline text directly in a div with block children reads as its own paragraph,
        // scored to the div (Readability wraps it in a <p>).
        std::uint32_t inline_length = 0, inline_commas = 0;
        const GumboVector& kids = node->v.element.children;
        for (unsigned i = 0; i < kids.length; ++i) {
            const auto* kid = static_cast<const GumboNode*>(kids.data[i]);
            if (dom::is_element(kid) && is_div_to_p_block(kid->v.element.tag)) continue;
            if (kid->type == GUMBO_NODE_TEXT) {
                inline_length += visible_length(kid->v.text.text);
                inline_commas += count_commas(kid->v.text.text);
            } else if (dom::is_element(kid)) {
                inline_length += stats_.of(kid).text;
                inline_commas += stats_.of(kid).commas;
            }
        }
        if (inline_length >= min_paragraph_length) {
            const double content_score =
                1.0 + inline_commas + std::min<std::uint32_t>(inline_length / 100, 3);
            score_of(node) += content_score;
            if (node->parent && dom::is_element(node->parent) && node->parent->parent)
                score_of(node->parent) += content_score / 2;
        }
    }
    const GumboVector& kids = node->v.element.children;
    for (unsigned i = 0; i < kids.length; ++i)
        score_paragraphs(static_cast<const GumboNode*>(kids.data[i]), depth + 1);
}

const GumboNode* content_scorer::refine(const GumboNode* top, const std::vector<candidate>& ranked,
                                        const GumboNode* body) {
    const double top_score = ranked.front().score;
    // Several strong candidates under one ancestor: the ancestor is the article.
    std::vector<const GumboNode*> alternatives;
    for (std::size_t i = 1; i < ranked.size(); ++i)
        if (top_score > 0 && ranked[i].score / top_score >= 0.75) alternatives.push_back(ranked[i].node);
    if (alternatives.size() >= 3) {
        for (const GumboNode* parent = top->parent; parent && parent != body && dom::is_element(parent);
             parent = parent->parent) {
            int containing = 0;
            for (const GumboNode* alt : alternatives)
                for (const GumboNode* a = alt->parent; a; a = a->parent)
                    if (a == parent) {
                        ++containing;
                        break;
                    }
            if (containing >= 3) {
                top = parent;
                break;
            }
        }
    }
    // Walk up while the parent scores higher (the article is split across its children).
    double last = find_score(top) ? *find_score(top) : 0.0;
    const double threshold = last / 3;
    for (const GumboNode* parent = top->parent; parent && parent != body && dom::is_element(parent);
         parent = parent->parent) {
        const double* s = find_score(parent);
        if (!s) continue;
        if (*s < threshold) break;
        if (*s > last) {
            top = parent;
            break;
        }
        last = *s;
    }
    // An only child stands for its parent.
    while (top->parent && top->parent != body && dom::is_element(top->parent)) {
        const GumboVector& kids = top->parent->v.element.children;
        unsigned elements = 0;
        for (unsigned i = 0; i < kids.length; ++i)
            if (dom::is_element(static_cast<const GumboNode*>(kids.data[i]))) ++elements;
        if (elements != 1) break;
        top = top->parent;
    }
    return top;
}

std::vector<const GumboNode*> content_scorer::with_siblings(const GumboNode* top, double top_score) {
    const GumboNode* parent = top->parent;
    if (!parent || !dom::is_element(parent)) return {top};
    const double threshold = std::max(10.0, top_score * 0.2);
    const std::string_view top_class = dom::attribute_or_empty(top, "class");
    std::vector<const GumboNode*> out;
    const GumboVector& kids = parent->v.element.children;
    for (unsigned i = 0; i < kids.length; ++i) {
        const auto* sibling = static_cast<const GumboNode*>(kids.data[i]);
        if (!dom::is_element(sibling)) continue;
        if (sibling == top) {
            out.push_back(sibling);
            continue;
        }
        if (dom::is_hidden(sibling) || is_never_text(sibling->v.element.tag)) continue;
        double bonus = 0;
        if (!top_class.empty() && dom::attribute_or_empty(sibling, "class") == top_class)
            bonus = top_score * 0.2;
        const double* s = find_score(sibling);
        if (s && *s + bonus >= threshold) {
            out.push_back(sibling);
            continue;
        }
        if (sibling->v.element.tag == GUMBO_TAG_P) {
            const node_stats& st = stats_.of(sibling);
            const double density = st.link_density();
            if ((st.text > 80 && density < 0.25) ||
                (st.text > 0 && st.text <= 80 && density == 0 && ends_like_sentence(sibling)))
                out.push_back(sibling);
        }
    }
    return out;
}

std::vector<const GumboNode*> content_scorer::choose(const GumboNode* body) {
    candidates_.clear();
    index_.clear();
    score_paragraphs(body, 0);
    // No paragraph worth scoring (a short page): the whole body, cleaned, as Readability does.
    if (candidates_.empty()) return {body};
    for (auto& c : candidates_) c.score *= 1.0 - stats_.of(c.node).link_density();
    std::vector<candidate> ranked = candidates_;
    const std::size_t n = std::min(top_candidates, ranked.size());
    std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(n), ranked.end(),
                      [](const candidate& a, const candidate& b) { return a.score > b.score; });
    ranked.resize(n);
    const GumboNode* top = ranked.front().node;
    if (top == body) return {body};
    top = refine(top, ranked, body);
    const double* score = find_score(top);
    return with_siblings(top, score ? *score : ranked.front().score);
}

}  // namespace newswatch::extract
