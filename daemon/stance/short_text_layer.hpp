#pragma once
// The short-text layer (private to the module): a topical relevance gate and calibration for
// feed items (a title and one or two sentences), issue #15 item 3.
//
// The trees were learned on FNC-1's long bodies; on a headline they call anything that shares
// a few names with the claim "related" ("Ukraine wins Eurovision; NATO HQ staff celebrate" vs.
// "Ukraine will join NATO"). On short texts a multinomial logistic regression (title + up to two sentences,
// at most 80 tokens) re-decides the four labels from the trees' probabilities plus gate inputs: how much of
// the claim the item covers, matched by word prefix so inflections count (invite/invitation,
// Покровск/Покровска), and which claim words are missing, weighted by their rarity, in particular the claim's
// words that are not names (its predicate: "join" in "Ukraine will join NATO"). Its output probabilities are
// the reported ones, fitted on the tuning split of tests/data/stance/nato-ukraine-claims.tsv by `claim_eval
// --fit` (bench/stance). Long texts (FNC-1 bodies, full articles) keep the trees' decision, so the FNC-1
// figures are untouched.
#include <array>
#include <cstddef>

#include "feature_extractor.hpp"

namespace newswatch::stance {

inline constexpr std::size_t short_text_inputs = 13;
using short_text_vector = std::array<double, short_text_inputs>;

struct short_text_coefficients {
    double weight[4][short_text_inputs];  // rows indexed by stance_label
    double bias[4];
};

// The coefficients fitted by `claim_eval --fit` (short_text_coefficients.cpp).
extern const short_text_coefficients fitted_short_text_coefficients;

// A feed item's text: at most 3 sentences and 80 tokens (title + lede, as the daemon builds it).
bool is_short_text(const prepared_article& article) noexcept;

// `text` is the article as given (for the prefix match on surface forms); related/stance are
// the trees' stage 1 and stage 2 probabilities.
short_text_vector short_text_features(const prepared_claim& claim, std::string_view claim_text,
                                      const prepared_article& article, std::string_view text,
                                      const double related[2], const double stance[3]);

// softmax(W x + b) into probabilities[4], indexed by stance_label.
void short_text_probabilities(const short_text_coefficients& c, const short_text_vector& x,
                              double probabilities[4]) noexcept;

}  // namespace newswatch::stance
