#include "dom.hpp"

#include <cstring>

namespace newswatch::extract::dom {

namespace {

inline bool is_ascii_space(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

void append_collapsed(std::string& out, std::string_view text) {
    for (char c : text) {
        if (is_ascii_space(c)) {
            if (!out.empty() && out.back() != ' ') out.push_back(' ');
        } else {
            out.push_back(c);
        }
    }
}

void collect_text(const GumboNode* node, std::string& out, int depth) {
    if (depth > max_depth) return;
    if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_CDATA ||
        node->type == GUMBO_NODE_WHITESPACE) {
        append_collapsed(out, node->v.text.text);
        return;
    }
    if (!is_element(node)) return;
    const GumboTag t = node->v.element.tag;
    if (t == GUMBO_TAG_SCRIPT || t == GUMBO_TAG_STYLE || t == GUMBO_TAG_NOSCRIPT || t == GUMBO_TAG_TEMPLATE)
        return;
    if (t == GUMBO_TAG_BR && !out.empty() && out.back() != ' ') out.push_back(' ');
    const GumboVector& kids = node->v.element.children;
    for (unsigned i = 0; i < kids.length; ++i)
        collect_text(static_cast<const GumboNode*>(kids.data[i]), out, depth + 1);
}

}  // namespace

std::string lowercase(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    return out;
}

std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && is_ascii_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_ascii_space(s.back())) s.remove_suffix(1);
    return s;
}

std::string tag_name(const GumboNode* element) {
    if (!is_element(element)) return {};
    if (element->v.element.tag != GUMBO_TAG_UNKNOWN) return gumbo_normalized_tagname(element->v.element.tag);
    GumboStringPiece piece = element->v.element.original_tag;
    if (!piece.data || piece.length < 2 || piece.data[0] != '<') return {};
    gumbo_tag_from_original_text(&piece);
    return lowercase(std::string_view(piece.data ? piece.data : "", piece.data ? piece.length : 0));
}

std::string class_and_id(const GumboNode* element) {
    std::string out = lowercase(attribute_or_empty(element, "class"));
    out.push_back(' ');
    out += lowercase(attribute_or_empty(element, "id"));
    return out;
}

bool is_hidden(const GumboNode* element) noexcept {
    if (attribute(element, "hidden")) return true;
    const std::string_view aria = attribute_or_empty(element, "aria-hidden");
    if (aria == "true") return true;
    const std::string_view style = attribute_or_empty(element, "style");
    if (style.empty()) return false;
    // Compare without spaces and case: "display: none", "DISPLAY:none".
    std::string compact;
    for (char c : style)
        if (!is_ascii_space(c)) compact.push_back((c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c);
    return compact.find("display:none") != std::string::npos ||
           compact.find("visibility:hidden") != std::string::npos;
}

std::string collapsed_text(const GumboNode* node) {
    std::string out;
    collect_text(node, out, 0);
    return std::string(trim(out));
}

}  // namespace newswatch::extract::dom
