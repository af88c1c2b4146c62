#pragma once
// Topic centrality (issue #15 item 2, private to the matcher): what a watch with
// `scope = "lede"` or `"body"` and a `hold_back` query sees of an item besides its whole
// text. The lede is the title plus the first two sentences of the summary (or, for an item
// without a summary, of the content); the density is the watch's hits per 100 words of the
// whole item.
#include <cstddef>
#include <string_view>

#include "newswatch/matcher/watch_set.hpp"

namespace newswatch::matcher {

// How many sentences of the summary/content make the lede.
inline constexpr std::size_t lede_sentences = 2;

// The first `n` sentences of `text`: up to the n-th `.`, `!`, `?` or `…` followed by
// white space and not by a lower-case letter (so "3.5%", "a.m. in" and "U.S. officials" do
// not end a sentence), or a line break.
std::string_view first_sentences(std::string_view text, std::size_t n) noexcept;

// The item cut to its title and lede: the lede stays in the field it came from (summary,
// else content); author, category, feed and link are kept.
document lede_document(const document& doc) noexcept;

// Words (runs of non-space bytes holding a letter or digit) in title, summary and content.
std::size_t word_count(const document& doc) noexcept;

// Hits per 100 words; an empty item has density 0.
double hit_density(std::size_t hits, std::size_t words) noexcept;

}  // namespace newswatch::matcher
