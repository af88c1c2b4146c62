#include "article_text.hpp"

#include "content_hints.hpp"
#include "dom.hpp"

namespace newswatch::extract {

namespace {

enum class flow { inline_flow, line, paragraph, cell };

flow flow_of(GumboTag t) noexcept {
    if (dom::is_heading(t)) return flow::paragraph;
    switch (t) {
        case GUMBO_TAG_P:
        case GUMBO_TAG_DIV:
        case GUMBO_TAG_SECTION:
        case GUMBO_TAG_ARTICLE:
        case GUMBO_TAG_MAIN:
        case GUMBO_TAG_HEADER:
        case GUMBO_TAG_UL:
        case GUMBO_TAG_OL:
        case GUMBO_TAG_DL:
        case GUMBO_TAG_BLOCKQUOTE:
        case GUMBO_TAG_PRE:
        case GUMBO_TAG_TABLE:
        case GUMBO_TAG_FIGURE:
        case GUMBO_TAG_FIGCAPTION:
        case GUMBO_TAG_HR:
        case GUMBO_TAG_ADDRESS:
        case GUMBO_TAG_DETAILS:
        case GUMBO_TAG_SUMMARY:
        case GUMBO_TAG_CAPTION:
            return flow::paragraph;
        case GUMBO_TAG_LI:
        case GUMBO_TAG_DT:
        case GUMBO_TAG_DD:
        case GUMBO_TAG_TR:
        case GUMBO_TAG_BR:
            return flow::line;
        case GUMBO_TAG_TD:
        case GUMBO_TAG_TH:
            return flow::cell;
        default:
            return flow::inline_flow;
    }
}

// Never part of an article's text, wherever they are.
bool is_removed(GumboTag t) noexcept {
    return is_never_text(t) || t == GUMBO_TAG_FOOTER || t == GUMBO_TAG_ASIDE || t == GUMBO_TAG_NAV ||
           t == GUMBO_TAG_INPUT || t == GUMBO_TAG_LINK || t == GUMBO_TAG_META;
}

bool has_ancestor(const GumboNode* e, GumboTag t) noexcept {
    for (const GumboNode* a = e->parent; a; a = a->parent)
        if (dom::tag(a) == t) return true;
    return false;
}

// Readability's _markDataTables in short: headers, a caption or a summary mean data.
bool is_data_table(const GumboNode* table, int depth = 0) {
    if (dom::attribute_or_empty(table, "role") == "presentation") return false;
    if (dom::attribute(table, "summary")) return true;
    const GumboVector& kids = table->v.element.children;
    for (unsigned i = 0; i < kids.length; ++i) {
        const auto* k = static_cast<const GumboNode*>(kids.data[i]);
        const GumboTag t = dom::tag(k);
        if (t == GUMBO_TAG_CAPTION || t == GUMBO_TAG_TH || t == GUMBO_TAG_THEAD || t == GUMBO_TAG_TFOOT ||
            t == GUMBO_TAG_COLGROUP)
            return true;
        if (depth < 3 && (t == GUMBO_TAG_TBODY || t == GUMBO_TAG_TR) && is_data_table(k, depth + 1))
            return true;
    }
    return false;
}

}  // namespace

void article_text::brk(int level) {
    if (level > pending_) pending_ = level;
}

void article_text::text(std::string_view s, bool in_pre) {
    for (char c : s) {
        const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
        if (in_pre && c == '\n') {
            brk(1);
            continue;
        }
        if (space) {
            if (pending_ == 0 && !out_.empty() && out_.back() != ' ' && out_.back() != '\n')
                out_.push_back(' ');
            continue;
        }
        if (static_cast<unsigned char>(c) < 0x20) continue;  // other C0 controls
        if (pending_ > 0) {
            while (!out_.empty() && out_.back() == ' ') out_.pop_back();
            if (!out_.empty()) out_.append(pending_ >= 2 ? "\n\n" : "\n");
            pending_ = 0;
        }
        out_.push_back(c);
    }
}

bool article_text::conditionally_removed(const GumboNode* e) const {
    const GumboTag t = e->v.element.tag;
    if (t != GUMBO_TAG_FORM && t != GUMBO_TAG_FIELDSET && t != GUMBO_TAG_TABLE && t != GUMBO_TAG_UL &&
        t != GUMBO_TAG_DIV)
        return false;
    if (t == GUMBO_TAG_TABLE && is_data_table(e)) return false;
    if (has_ancestor(e, GUMBO_TAG_CODE)) return false;
    const node_stats& s = stats_.of(e);
    bool is_list = t == GUMBO_TAG_UL || t == GUMBO_TAG_OL;
    if (!is_list && s.text > 0) is_list = double(s.list_text) / s.text > 0.9;
    const int weight = class_weight(e);
    if (weight < 0) return true;
    if (s.commas >= 10) return false;
    const double p = s.paragraphs;
    const double img = s.images;
    const double li = double(s.list_items) - 100;
    const double density = s.link_density();
    const double heading_density = s.text ? double(s.headings_text) / s.text : 0.0;
    const bool in_figure = has_ancestor(e, GUMBO_TAG_FIGURE);
    bool remove = (img > 1 && p / img < 0.5 && !in_figure) || (!is_list && li > p) ||
                  (s.inputs > s.paragraphs / 3) ||
                  (!is_list && heading_density < 0.9 && s.text < 25 && (img == 0 || img > 2) && !in_figure) ||
                  (!is_list && weight < 25 && density > 0.2) || (weight >= 25 && density > 0.5) ||
                  (s.embeds == 1 && s.text < 75) || s.embeds > 1;
    // A list of images is a gallery worth keeping.
    if (is_list && remove && s.images > 0 && s.images == s.list_items) remove = false;
    return remove;
}

bool article_text::keep(const GumboNode* e) const {
    const GumboTag t = e->v.element.tag;
    if (is_removed(t) || e == options_.skip || dom::is_hidden(e)) return false;
    if (options_.strip_unlikely && is_unlikely_candidate(e)) return false;
    if (looks_like_share_widget(e) && stats_.of(e).text < 500) return false;
    if (dom::is_heading(t) && class_weight(e) < 0) return false;
    if (options_.clean_conditionally && conditionally_removed(e)) return false;
    return true;
}

void article_text::walk(const GumboNode* node, int depth, bool in_pre) {
    if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE ||
        node->type == GUMBO_NODE_CDATA) {
        text(node->v.text.text, in_pre);
        return;
    }
    if (!dom::is_element(node) || depth > dom::max_depth || !keep(node)) return;
    const GumboTag t = node->v.element.tag;
    const flow f = flow_of(t);
    if (f == flow::paragraph)
        brk(2);
    else if (f == flow::line)
        brk(1);
    else if (f == flow::cell)
        text(" ", false);
    const bool pre = in_pre || t == GUMBO_TAG_PRE;
    const GumboVector& kids = node->v.element.children;
    for (unsigned i = 0; i < kids.length; ++i)
        walk(static_cast<const GumboNode*>(kids.data[i]), depth + 1, pre);
    if (f == flow::paragraph)
        brk(2);
    else if (f == flow::line && t != GUMBO_TAG_BR)
        brk(1);
}

std::string article_text::render(const std::vector<const GumboNode*>& elements) {
    out_.clear();
    pending_ = 0;
    for (const GumboNode* e : elements) {
        // The chosen elements themselves are kept even if their own hints are negative.
        if (!dom::is_element(e)) continue;
        brk(2);
        const bool pre = e->v.element.tag == GUMBO_TAG_PRE;
        const GumboVector& kids = e->v.element.children;
        for (unsigned i = 0; i < kids.length; ++i) walk(static_cast<const GumboNode*>(kids.data[i]), 1, pre);
    }
    while (!out_.empty() && (out_.back() == ' ' || out_.back() == '\n')) out_.pop_back();
    return std::move(out_);
}

}  // namespace newswatch::extract
