#pragma once
// Small read-only helpers over gumbo's tree, shared by the selector, scorer and renderer.
#include <gumbo.h>

#include <string>
#include <string_view>

namespace newswatch::extract::dom {

// Deeper subtrees are not walked: recursion stays bounded on hostile pages (real articles
// nest a few dozen levels).
inline constexpr int max_depth = 256;

inline bool is_element(const GumboNode* node) noexcept {
    return node->type == GUMBO_NODE_ELEMENT || node->type == GUMBO_NODE_TEMPLATE;
}

inline GumboTag tag(const GumboNode* node) noexcept {
    return is_element(node) ? node->v.element.tag : GUMBO_TAG_UNKNOWN;
}

inline bool is_heading(GumboTag t) noexcept { return t >= GUMBO_TAG_H1 && t <= GUMBO_TAG_H6; }

inline const GumboVector& children(const GumboNode* node) noexcept {
    return node->type == GUMBO_NODE_DOCUMENT ? node->v.document.children : node->v.element.children;
}

inline const GumboNode* child(const GumboNode* node, unsigned i) noexcept {
    return static_cast<const GumboNode*>(children(node).data[i]);
}

// The attribute's value, or nullptr.
inline const char* attribute(const GumboNode* element, const char* name) noexcept {
    if (!is_element(element)) return nullptr;
    const GumboAttribute* a = gumbo_get_attribute(&element->v.element.attributes, name);
    return a ? a->value : nullptr;
}

inline std::string_view attribute_or_empty(const GumboNode* element, const char* name) noexcept {
    const char* v = attribute(element, name);
    return v ? std::string_view(v) : std::string_view();
}

// The lowercase tag name, also for elements gumbo does not know ("my-widget").
std::string tag_name(const GumboNode* element);

// "class id" lowercased, for the class/id hints.
std::string class_and_id(const GumboNode* element);

// hidden, aria-hidden="true", style display:none / visibility:hidden.
bool is_hidden(const GumboNode* element) noexcept;

// The text of a subtree with whitespace runs collapsed to one space (for metadata).
std::string collapsed_text(const GumboNode* node);

std::string lowercase(std::string_view s);
std::string_view trim(std::string_view s) noexcept;

}  // namespace newswatch::extract::dom
