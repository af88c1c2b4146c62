#pragma once
// The CSS selector subset of `content_selector` (docs/CONFIG.md):
//   tag            div, article (case-insensitive)
//   .class         a whitespace-separated class of the element
//   #id            the element's id
//   [attr]         the attribute is present
//   [attr=value]   the attribute equals value (quoted "..." or '...', or bare)
//   compound       tag, classes, id and attributes together: div.story#main[role=main]
//   A B            descendant combinator: B anywhere inside an A
//   S1, S2         either selector
// Anything else (child/sibling combinators, pseudo-classes, *= and friends) is an error
// with its position, so a typo never silently selects nothing.
#include <string>
#include <string_view>
#include <vector>

#include "newswatch/core/result.hpp"

struct GumboInternalNode;

namespace newswatch::extract {

class css_selector {
public:
    // Errors name the position (1-based column) and what was expected there.
    static core::result<css_selector> parse(std::string_view text);

    // Matching elements under (and including) `root`, in document order; an element
    // inside another match is not listed again.
    std::vector<const GumboInternalNode*> select(const GumboInternalNode* root) const;

    bool matches(const GumboInternalNode* element) const;

    const std::string& text() const noexcept { return text_; }

    struct attribute_test {
        std::string name;  // lowercase
        std::string value;
        bool has_value = false;
    };
    struct compound {
        std::string tag;  // lowercase; empty = any
        std::string id;
        std::vector<std::string> classes;
        std::vector<attribute_test> attributes;
    };
    using complex = std::vector<compound>;  // ancestors first, the subject last

private:
    std::string text_;
    std::vector<complex> alternatives_;
};

}  // namespace newswatch::extract
