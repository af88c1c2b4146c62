#pragma once
// Cutting text for display at a word boundary: alert summaries (500 characters) and the
// length limits of chat and push services.
#include <cstddef>
#include <string>
#include <string_view>

namespace newswatch::text {

// `text` with every run of white space (spaces, tabs, line breaks) made one space and the
// ends trimmed; then, when it has more than `max_chars` code points, cut at the last word
// boundary that leaves room for `ellipsis` (counted in the limit) and ended with it. A
// single word longer than the limit is cut inside the word. Never splits a UTF-8 sequence.
std::string cut_at_word(std::string_view text, std::size_t max_chars, std::string_view ellipsis = "\u2026");

// The number of UTF-8 code points (a byte that does not start one counts as one).
std::size_t count_code_points(std::string_view text) noexcept;

}  // namespace newswatch::text
