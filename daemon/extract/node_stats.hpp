#pragma once
// Per-element text measures for scoring and cleaning, computed once per document in one
// walk (Readability recomputes them for every question; a table makes extraction linear).
#include <gumbo.h>

#include <cstdint>
#include <string_view>
#include <unordered_map>

namespace newswatch::extract {

struct node_stats {
    std::uint32_t text = 0;       // characters of visible text, whitespace runs counted once
    std::uint32_t link_text = 0;  // of which inside <a href> (in-page "#" links weigh 0.3)
    std::uint32_t list_text = 0;  // of which inside <ul>/<ol>
    std::uint32_t commas = 0;
    std::uint32_t paragraphs = 0;  // descendant <p>
    std::uint32_t images = 0;
    std::uint32_t list_items = 0;
    std::uint32_t inputs = 0;
    std::uint32_t embeds = 0;  // <object>, <embed>, <iframe>
    std::uint32_t headings_text = 0;
    bool block_child = false;  // a direct child is a block (Readability's DIV_TO_P_ELEMS)

    double link_density() const noexcept { return text ? double(link_text) / text : 0.0; }
};

class node_stats_table {
public:
    explicit node_stats_table(const GumboNode* root);

    // Zeroes for elements outside the walked tree (script, style, too deep).
    const node_stats& of(const GumboNode* element) const noexcept;

private:
    node_stats add(const GumboNode* node, int depth, bool in_link, bool in_list);

    std::unordered_map<const GumboNode*, node_stats> stats_;
};

// Characters of `text` with runs of ASCII whitespace counted once (UTF-8 aware).
std::uint32_t visible_length(std::string_view text) noexcept;

// ',' and the Arabic, full-width and small commas.
std::uint32_t count_commas(std::string_view text) noexcept;

// Readability's block-level children: a <div> without them reads as a paragraph.
bool is_div_to_p_block(GumboTag tag) noexcept;

// Elements whose content is never article text.
bool is_never_text(GumboTag tag) noexcept;

}  // namespace newswatch::extract
