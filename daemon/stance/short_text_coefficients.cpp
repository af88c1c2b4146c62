// Fitted by `claim_eval --fit` (bench/stance/claim_eval.cpp) on the tuning split of
// tests/data/stance/nato-ukraine-claims.tsv (404 samples: each tuning pair as title only and
// as title + lede) and 1942 FNC-1 training pairs cut to two sentences (none of the dev splits
// of docs/STANCE.md); regenerate after retraining the trees or changing the inputs.
#include "short_text_layer.hpp"

namespace newswatch::stance {

const short_text_coefficients fitted_short_text_coefficients = {
    {{-0.090611, 0.032897, 0.578962, -0.188553, -0.272272, 1.31327, 1.27106, 0.0106769, -0.657322, 0.975372,
      1.31217, -0.138302, -0.864075, -0.185203, -0.0219103},
     {0.0478792, 0.427371, -0.657209, 0.736794, -0.279355, 1.24976, 0.766713, -0.848122, 1.75492, -0.617821,
      -0.646333, -1.2019, 0.101683, -0.0650947, 0.319644},
     {0.0475207, 0.328739, -0.339716, -0.110835, 0.404812, 0.833396, 0.428613, -0.560291, -0.389851, 0.756936,
      0.170496, 2.05149, 0.81689, -0.427835, -1.13083},
     {-0.00478896, -0.789007, 0.417963, -0.437406, 0.146815, -3.39643, -2.46639, 1.39774, -0.707743, -1.11449,
      -0.836332, -0.711283, -0.054499, 0.678133, 0.833095}},
    {-1.89678, 0.661538, 0.375541, 0.859705},
    0.760384};

}  // namespace newswatch::stance
