// Fitted by `claim_eval --fit` (bench/stance/claim_eval.cpp) on the tuning split of
// tests/data/stance/nato-ukraine-claims.tsv (404 samples: each tuning pair as title only and
// as title + lede); regenerate after retraining the trees or changing the inputs.
#include "short_text_layer.hpp"

namespace newswatch::stance {

const short_text_coefficients fitted_short_text_coefficients = {
    {{-0.171066, -0.215138, 0.384645, -0.250376, 0.102656, 0.879743, -0.727956, 0.624548, -2.90368, 0.505837, 1.58136, -1.38602, 0.526863},
     {0.0309109, 0.341693, -0.376366, 0.370116, -0.36431, -0.330111, -0.885516, -0.789107, 4.99122, 0.376766, -0.658267, -0.83176, 0.668872},
     {0.049728, 0.169063, -0.245925, 0.206329, -0.0446922, 0.731102, 0.831024, -0.851113, -0.356787, 2.36285, -1.51041, 3.55361, -0.0264207},
     {0.0904268, -0.295618, 0.237646, -0.326069, 0.306346, -1.28073, 0.782448, 1.01567, -1.73075, -3.24546, 0.587318, -1.33582, -1.16931}},
    {-2.38786, 0.858006, 0.435627, 1.09423}};

}  // namespace newswatch::stance
