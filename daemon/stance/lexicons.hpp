#pragma once
// Cue-word lexicons (refuting, hedging, supporting, negation, reporting, stop words),
// after the FNC-1 baseline's refuting list, Athene's and Talos's hedging lists, extended.
// Private to the module; a change here changes the features, so it must come with a new
// model format version.
#include <cstdint>
#include <string_view>

namespace newswatch::stance {

// token_flag bits (text_analysis.hpp) for a case-folded word and its stem.
std::uint16_t lexicon_flags(std::string_view folded_word, std::string_view stem);

}  // namespace newswatch::stance
