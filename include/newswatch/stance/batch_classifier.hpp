#pragma once
// Classifies a whole FNC-1 style dataset: pairs grouped by body so every body is analysed
// once, predictions returned in the pairs' input order.
#include <vector>

#include "newswatch/stance/fnc_data.hpp"
#include "newswatch/stance/stance_model.hpp"

namespace newswatch::stance {

// `short_bodies`: cut every body to its first two sentences first (the feed-item case).
std::vector<stance_prediction> classify_dataset(const stance_model& model, const fnc_dataset& data,
                                                bool short_bodies = false);

// The first `n` sentences of `text` (the same sentence rules as the model uses).
std::string first_sentences_of(std::string_view text, std::size_t n);

// The yardstick: a plain word-overlap baseline. Jaccard overlap of the content-word stems of
// headline and body; above the threshold the pair is `discuss` (the commonest related
// label), else `unrelated`. fit() picks the threshold with the best FNC-1 score on `data`.
class overlap_baseline {
public:
    void fit(const fnc_dataset& data);
    stance_label predict(std::string_view headline, std::string_view body) const;
    double threshold() const noexcept { return threshold_; }

    static double overlap(std::string_view headline, std::string_view body);

private:
    double threshold_ = 0.05;
};

}  // namespace newswatch::stance
