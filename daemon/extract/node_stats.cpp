#include "node_stats.hpp"

#include <string_view>

#include "dom.hpp"

namespace newswatch::extract {

namespace {

const node_stats empty_stats{};

bool is_link(const GumboNode* e) noexcept {
    return dom::tag(e) == GUMBO_TAG_A && dom::attribute(e, "href");
}

}  // namespace

std::uint32_t visible_length(std::string_view text) noexcept {
    std::uint32_t n = 0;
    bool in_space = true;  // leading whitespace does not count
    for (char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
            if (!in_space) ++n;
            in_space = true;
        } else {
            if ((c & 0xC0) != 0x80) ++n;  // not a UTF-8 continuation byte
            in_space = false;
        }
    }
    return n;
}

std::uint32_t count_commas(std::string_view text) noexcept {
    std::uint32_t n = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == ',')
            ++n;
        else if (text.compare(i, 2, "\xD8\x8C") == 0 || text.compare(i, 3, "\xEF\xBC\x8C") == 0 ||
                 text.compare(i, 3, "\xEF\xB9\x90") == 0)
            ++n;  // U+060C, U+FF0C, U+FE50
    }
    return n;
}

bool is_div_to_p_block(GumboTag t) noexcept {
    return t == GUMBO_TAG_BLOCKQUOTE || t == GUMBO_TAG_DL || t == GUMBO_TAG_DIV || t == GUMBO_TAG_IMG ||
           t == GUMBO_TAG_OL || t == GUMBO_TAG_P || t == GUMBO_TAG_PRE || t == GUMBO_TAG_TABLE ||
           t == GUMBO_TAG_UL || t == GUMBO_TAG_SECTION || t == GUMBO_TAG_ARTICLE || t == GUMBO_TAG_FIGURE;
}

bool is_never_text(GumboTag t) noexcept {
    return t == GUMBO_TAG_SCRIPT || t == GUMBO_TAG_STYLE || t == GUMBO_TAG_NOSCRIPT ||
           t == GUMBO_TAG_TEMPLATE || t == GUMBO_TAG_HEAD || t == GUMBO_TAG_SVG || t == GUMBO_TAG_MATH ||
           t == GUMBO_TAG_CANVAS || t == GUMBO_TAG_SELECT || t == GUMBO_TAG_TEXTAREA ||
           t == GUMBO_TAG_BUTTON || t == GUMBO_TAG_OBJECT || t == GUMBO_TAG_IFRAME || t == GUMBO_TAG_EMBED;
}

node_stats_table::node_stats_table(const GumboNode* root) {
    stats_.reserve(4096);
    add(root, 0, false, false);
}

const node_stats& node_stats_table::of(const GumboNode* element) const noexcept {
    const auto it = stats_.find(element);
    return it == stats_.end() ? empty_stats : it->second;
}

node_stats node_stats_table::add(const GumboNode* node, int depth, bool in_link, bool in_list) {
    node_stats s;
    if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_CDATA ||
        node->type == GUMBO_NODE_WHITESPACE) {
        const std::string_view text = node->v.text.text;
        s.text = visible_length(text);
        // A whitespace-only node between inline elements still separates words.
        if (s.text == 0 && !text.empty()) s.text = 1;
        s.commas = count_commas(text);
        if (in_link) s.link_text = s.text;
        if (in_list) s.list_text = s.text;
        return s;
    }
    if (!dom::is_element(node) || depth > dom::max_depth) return s;
    const GumboTag t = node->v.element.tag;
    switch (t) {
        case GUMBO_TAG_IMG:
            s.images = 1;
            return s;
        case GUMBO_TAG_INPUT:
            s.inputs = 1;
            return s;
        case GUMBO_TAG_OBJECT:
        case GUMBO_TAG_EMBED:
        case GUMBO_TAG_IFRAME:
            s.embeds = 1;
            return s;
        default:
            break;
    }
    if (is_never_text(t)) return s;
    const bool link = in_link || is_link(node);
    const bool list = in_list || t == GUMBO_TAG_UL || t == GUMBO_TAG_OL;
    const GumboVector& kids = node->v.element.children;
    for (unsigned i = 0; i < kids.length; ++i) {
        const auto* kid = static_cast<const GumboNode*>(kids.data[i]);
        if (dom::is_element(kid) && is_div_to_p_block(kid->v.element.tag)) s.block_child = true;
        const node_stats k = add(kid, depth + 1, link, list);
        s.text += k.text;
        s.link_text += k.link_text;
        s.list_text += k.list_text;
        s.commas += k.commas;
        s.paragraphs += k.paragraphs;
        s.images += k.images;
        s.list_items += k.list_items;
        s.inputs += k.inputs;
        s.embeds += k.embeds;
        s.headings_text += k.headings_text;
    }
    if (t == GUMBO_TAG_P) ++s.paragraphs;
    if (t == GUMBO_TAG_LI) ++s.list_items;
    if (dom::is_heading(t)) s.headings_text = s.text;
    // In-page links ("#section") are navigation inside the article: they count 0.3.
    if (is_link(node) && !in_link && dom::attribute_or_empty(node, "href").substr(0, 1) == "#")
        s.link_text = static_cast<std::uint32_t>(s.link_text * 0.3);
    stats_.emplace(node, s);
    // The parent sees the block-child flag of its own children only.
    node_stats up = s;
    up.block_child = false;
    return up;
}

}  // namespace newswatch::extract
