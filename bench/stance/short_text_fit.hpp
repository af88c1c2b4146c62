#pragma once
// Fits the stance model's short-text layer (daemon/stance/short_text_layer.hpp) on the
// tuning split of a claim set (plus, optionally, FNC-1 training pairs cut to two sentences)
// and prints short_text_coefficients.cpp to stdout.
#include <vector>

#include "newswatch/stance/fnc_data.hpp"

#include "newswatch/stance/claim_set.hpp"
#include "newswatch/stance/stance_model.hpp"

namespace newswatch::bench {

// `fnc` may be null (claim set only). Its pairs whose headline or body is in a dev split
// measured in docs/STANCE.md (--holdout 0.3 --split text and --holdout 0.2 by claim, default
// seed) are never used; together they weigh fnc_weight times as much as the claim set. l2 is
// the penalty on the standardised weights.
int fit_short_text_layer(const stance::stance_model& model, const std::vector<stance::claim_pair>& set,
                         const stance::fnc_dataset* fnc, double fnc_weight, double l2);

}  // namespace newswatch::bench
