// Fitted by `claim_eval --fit` (bench/stance/claim_eval.cpp) on the tuning split of
// tests/data/stance/nato-ukraine-claims.tsv (404 samples: each tuning pair as title only and
// as title + lede) and 1942 FNC-1 training pairs cut to two sentences (none of the dev splits
// of docs/STANCE.md); regenerate after retraining the trees or changing the inputs.
#include "short_text_layer.hpp"

namespace newswatch::stance {

const short_text_coefficients fitted_short_text_coefficients = {
    {{-0.0598746, 0.0812058, 0.464058, -0.182103, -0.363931, 0.31451, -0.00523041, 0.031234, -0.336654,
      0.441622, 1.01028, 0.0370914, -0.461213, -0.26019, -0.0998665},
     {0.00629048, 0.184734, -0.459041, 0.70127, -0.18973, 0.494453, -0.0677369, -0.814968, 1.01092, -0.381442,
      -0.524312, -1.00915, 0.164, -0.0669036, 0.145727},
     {-0.00442579, 0.220907, -0.241147, -0.188651, 0.584019, 0.272597, -0.221517, -0.168943, -0.268734,
      0.458798, 0.213093, 1.54151, 0.456335, -0.218746, -0.663918},
     {0.0580099, -0.486847, 0.23613, -0.330517, -0.0303589, -1.08156, 0.294485, 0.952677, -0.405528,
      -0.518978, -0.699057, -0.569445, -0.159122, 0.54584, 0.618058}},
    {-0.683578, 1.3154, 0.361624, -0.993448},
    0.781492};

}  // namespace newswatch::stance
