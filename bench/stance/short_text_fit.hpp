#pragma once
// Fits the stance model's short-text layer (daemon/stance/short_text_layer.hpp) on the
// tuning split of a claim set and prints short_text_coefficients.cpp to stdout.
#include <vector>

#include "newswatch/stance/claim_set.hpp"
#include "newswatch/stance/stance_model.hpp"

namespace newswatch::bench {

int fit_short_text_layer(const stance::stance_model& model, const std::vector<stance::claim_pair>& set);

}  // namespace newswatch::bench
