#pragma once
// A small general-English lexicon of event paraphrases (private to the module), for the
// short-text layer's predicate gate (issue #15 item 3): "join" in a claim is met by
// "accession", "membership" or "admit" in an item, "send" by "deploy" or "dispatch",
// "ceasefire" by "truce" or "armistice". Generic event vocabulary, not tied to any topic,
// with cheap Ukrainian and Russian stems. Words are compared by their case-folded,
// accent-stripped first five code points (fold_prefix), as the layer compares all words.
#include <cstdint>
#include <string>
#include <string_view>

namespace newswatch::stance {

// Code points kept by fold_prefix: long enough to keep topics apart, short enough that
// inflections and derived forms of one word meet (invite/invitation, Покровск/Покровска).
inline constexpr std::size_t prefix_code_points = 5;

// The case-folded, accent-stripped first prefix_code_points code points of `word`.
std::string fold_prefix(std::string_view word);

// Bit i set when the folded prefix belongs to event group i (0 when it is in none).
std::uint32_t event_groups(std::string_view folded_prefix) noexcept;

}  // namespace newswatch::stance
