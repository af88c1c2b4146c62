#pragma once
// (claim, article) -> a fixed-length feature vector for the trees (private to the module).
//
// Two families, after the FNC-1 winners: relatedness (TF-IDF cosines, IDF-weighted coverage
// of the claim's words over the whole body, the lead and the best sentences, bigrams,
// names and numbers — Athene/Talos/UCL) and stance cues (refuting, hedging, supporting,
// negation and reporting words over the whole body, the lead, the sentences that talk
// about the claim and near the claim's words, plus the same cues in the claim itself).
#include <array>
#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "text_analysis.hpp"

namespace newswatch::stance {

// Inverse document frequencies by stem hash; unknown stems get `unknown_idf`.
struct idf_table {
    std::unordered_map<std::uint64_t, float> idf;
    float unknown_idf = 8.0f;
    float get(std::uint64_t stem) const {
        auto it = idf.find(stem);
        return it == idf.end() ? unknown_idf : it->second;
    }
};

// An article analysed once, reusable against many claims (batch classification).
struct prepared_article {
    analysed_text text;
    std::unordered_map<std::uint64_t, std::uint32_t> tf;  // content stems
    double norm = 0.0;                                    // of the log-tf * idf vector
    std::vector<std::uint32_t> lead_sentences;            // how many sentences make the lead
};

struct prepared_claim {
    analysed_text text;
    std::vector<std::uint64_t> terms;  // unique content stems, in order of appearance
    std::vector<float> weights;        // their idf
    std::vector<std::uint8_t> capital; // 1 when the term was capitalised (a name)
    std::vector<std::uint8_t> number;
    std::vector<std::pair<std::uint64_t, std::uint64_t>> bigrams;  // adjacent content stems
    double weight_sum = 0.0;
    double norm = 0.0;
};

// Cue words learned from the training data (naive-Bayes log-odds of agree, disagree and
// discuss vs. the other two), kept only for stems that occur across many different claims
// so they carry stance, not topic. `body` is learned on the sentences that talk about the
// claim, `head` on the claims themselves.
struct cue_weights {
    std::unordered_map<std::uint64_t, std::array<float, 3>> body;
    std::unordered_map<std::uint64_t, std::array<float, 3>> head;
    // A multinomial logistic regression over the same vocabulary, one weight table per
    // region (0: sentences about the claim, 1: the lead, 2: the claim), stacked into the
    // trees as three probabilities.
    std::array<std::unordered_map<std::uint64_t, std::array<float, 3>>, 3> lr;
    std::array<float, 3> lr_bias{};
};

inline constexpr std::size_t feature_count = 78;

using feature_vector = std::array<float, feature_count>;

// A sentence of the article that talks about the claim, with its cue words.
struct sentence_score {
    std::uint32_t sentence = 0;
    double coverage = 0.0;          // idf-weighted share of the claim's words in it
    std::uint32_t cue_tokens = 0;
};

prepared_article prepare_article(std::string_view article, const idf_table& idf);
prepared_claim prepare_claim(std::string_view claim, const idf_table& idf);

// Fills `out`; returns the sentences ranked by relevance to the claim (best first, at most
// `keep`), which classify() turns into evidence.
std::vector<sentence_score> extract_features(const prepared_claim& claim,
                                             const prepared_article& article,
                                             const idf_table& idf, const cue_weights* cues,
                                             feature_vector& out, std::size_t keep = 3);

// Stems of the sentences that talk about the claim (the top-3 ranked sentences), the unit
// on which cue_weights::body is learned.
std::vector<std::uint64_t> relevant_stems(const prepared_article& article,
                                          const std::vector<sentence_score>& ranked);
// Content and cue stems of a claim, the unit of cue_weights::head.
std::vector<std::uint64_t> claim_stems(const prepared_claim& claim);

// The stems of the three logistic-regression regions for one pair, each sorted and unique.
using region_stems = std::array<std::vector<std::uint64_t>, 3>;
region_stems stance_regions(const prepared_claim& claim, const prepared_article& article,
                            const std::vector<sentence_score>& ranked);
// Class probabilities (agree, disagree, discuss) of the regression for those regions.
std::array<double, 3> regression_probabilities(const cue_weights& cues, const region_stems& regions);

// Names for diagnostics, in feature order.
const char* feature_name(std::size_t index) noexcept;

}  // namespace newswatch::stance
