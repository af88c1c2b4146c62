// Fitted by `claim_eval --fit` (bench/stance/claim_eval.cpp) on the tuning split of
// tests/data/stance/nato-ukraine-claims.tsv (404 samples: each tuning pair as title only and
// as title + lede) and 0 FNC-1 training pairs cut to two sentences (none of the dev splits
// of docs/STANCE.md); regenerate after retraining the trees or changing the inputs.
#include "short_text_layer.hpp"

namespace newswatch::stance {

const short_text_coefficients fitted_short_text_coefficients = {
    {{-0.175458, -0.377408, 0.395359, -0.24208, 0.0920797, 1.08544, 0.88968, 0.107379, -2.82248, 0.25893,
      1.52476, -1.45092, -0.877301, 4.76543e-23, -0.464966},
     {0.0269799, 0.386814, -0.377324, 0.406848, -0.35577, -0.318062, -0.328996, -0.904353, 4.6784, 0.406079,
      -0.767098, -0.803454, -0.0617444, 1.11363e-23, 0.695504},
     {0.0630445, 0.0610787, -0.242264, 0.224984, 0.0688833, 0.92878, 1.05396, -1.2058, -0.307906, 1.96016,
      -1.50188, 3.44462, 0.603403, -3.56205e-23, -1.12987},
     {0.0854332, -0.070485, 0.22423, -0.389752, 0.194807, -1.69616, -1.61465, 2.00278, -1.54801, -2.62516,
      0.744222, -1.19024, 0.335642, -2.317e-23, 0.899334}},
    {-2.20326, 1.15278, 0.675415, 0.375063},
    0.676918};

}  // namespace newswatch::stance
