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
// words that are not names (its predicate: "join" in "Ukraine will join NATO"), met by the same word or a
// paraphrase from the event lexicon (event_lexicon.hpp: accession, membership, admit). An item that carries
// no predicate word at all is not about the claim: the hard rule makes it unrelated however many names it
// shares ("Ukraine wins Eurovision; NATO HQ staff celebrate"). Its output probabilities are
// the reported ones, fitted on the tuning split of tests/data/stance/nato-ukraine-claims.tsv by `claim_eval
// --fit` (bench/stance), with FNC-1 training pairs cut to two sentences so that feed items on other topics
// do not lose to the NATO-Ukraine claims. Long texts (full articles) keep the trees' decision.
#include <array>
#include <cstddef>

#include "feature_extractor.hpp"

namespace newswatch::stance {

// Inputs: [0, 1] log p(unrelated), log p(related) of stage 1; [2, 4] log p(agree | disagree |
// discuss) of stage 2; [5] IDF-weighted claim coverage; [6] share of claim words missing; [7]
// rarity of the rarest missing one; [8, 10] refuting/negation, hedging, supporting cues; [11] a
// question mark; [12] IDF-weighted share of the predicate missing (paraphrases count); [13] the
// claim has predicate words; [14] none of them is in the item (the hard rule's condition).
inline constexpr std::size_t short_text_inputs = 15;
using short_text_vector = std::array<double, short_text_inputs>;

struct short_text_coefficients {
    double weight[4][short_text_inputs];  // rows indexed by stance_label
    double bias[4];
    // p(unrelated) when no predicate word is covered: the share of unrelated items among the
    // tuning items where that held; 0 turns the hard rule off.
    double gate_unrelated;
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

// True when the claim has predicate words and the item carries none of them.
bool predicate_gate_closed(const short_text_vector& x) noexcept;

// softmax(W x + b) into probabilities[4], indexed by stance_label, then the hard rule.
void short_text_probabilities(const short_text_coefficients& c, const short_text_vector& x,
                              double probabilities[4]) noexcept;

}  // namespace newswatch::stance
