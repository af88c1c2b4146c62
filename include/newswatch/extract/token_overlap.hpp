#pragma once
// Token-overlap F1 of an extracted text against a reference: the measure of extraction
// quality in tests and bench/extract (the same words, counted as multisets, folded as the
// matcher folds them).
#include <string_view>

namespace newswatch::extract {

struct token_overlap {
    double precision = 0;  // shared tokens / tokens of the candidate
    double recall = 0;     // shared tokens / tokens of the reference
    double f1 = 0;         // 1 when both texts have no tokens
};

token_overlap measure_token_overlap(std::string_view candidate, std::string_view reference);

}  // namespace newswatch::extract
