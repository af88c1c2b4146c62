#pragma once
// The form of an item title under which two outlets' headlines of one story compare equal:
// an outlet suffix (" - BBC News", " | Reuters") removed, case-folded and accent-folded
// words joined by single spaces, punctuation gone. Pure; no I/O.
#include <cstddef>
#include <string>
#include <string_view>

namespace newswatch::dedup {

// Fewer words than this and a title is too generic to identify a story ("Live updates").
inline constexpr std::size_t min_title_words = 5;

// The normalised title; "" when fewer than min_title_words words remain.
std::string normalized_title(std::string_view title);

}  // namespace newswatch::dedup
