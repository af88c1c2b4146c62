// Fitted by `claim_eval --fit` (bench/stance/claim_eval.cpp) on the tuning split of
// tests/data/stance/nato-ukraine-claims.tsv (404 samples: each tuning pair as title only and
// as title + lede); regenerate after retraining the trees or changing the inputs.
#include "short_text_layer.hpp"

namespace newswatch::stance {

const short_text_coefficients fitted_short_text_coefficients = {
    {{-0.171463, -0.234978, 0.371835, -0.23406, 0.117582, 1.04695, 0.0480978, 0.384154, -3.0385, 0.363605, 1.6124, -1.40136},
     {0.0270003, 0.301016, -0.391058, 0.38109, -0.332556, -0.203279, -0.0826662, -0.892293, 4.81035, 0.219816, -0.689077, -0.828624},
     {0.0537279, 0.176855, -0.216283, 0.237095, -0.0388987, 0.647202, 0.767741, -0.986005, -0.37958, 2.40635, -1.56682, 3.56066},
     {0.0907353, -0.242892, 0.235506, -0.384124, 0.253874, -1.49087, -0.733173, 1.49414, -1.39227, -2.98977, 0.643494, -1.33068}},
    {-2.29467, 0.940605, 0.72321, 0.630854}};

}  // namespace newswatch::stance
