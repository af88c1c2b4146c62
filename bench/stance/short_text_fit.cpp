#include "short_text_fit.hpp"

#include <cmath>
#include <cstdio>

namespace newswatch::bench {

namespace {

struct sample {
    std::vector<double> x;
    int y = 0;
    double weight = 1.0;
};

}  // namespace

// Multinomial logistic regression, full-batch gradient descent on standardised inputs with
// an L2 penalty, class weights (max freq / freq)^0.5 as in the trees' stage 2. Both text
// lengths of every tuning pair are used (title only, title + lede); the held-out split is
// never read.
int fit_short_text_layer(const stance::stance_model& model, const std::vector<stance::claim_pair>& set) {
    std::vector<sample> data;
    int counts[4] = {0, 0, 0, 0};
    for (const auto& p : set) {
        if (p.held_out) continue;
        for (const bool with_lede : {false, true}) {
            sample s;
            s.x = model.short_text_inputs(p.claim, with_lede ? p.title + "\n" + p.lede : p.title);
            s.y = static_cast<int>(p.gold);
            ++counts[s.y];
            data.push_back(std::move(s));
        }
    }
    if (data.empty()) return std::fputs("claim_eval --fit: no tuning pairs\n", stderr), 1;
    const std::size_t d = data[0].x.size();
    int max_count = 0;
    for (int c : counts) max_count = std::max(max_count, c);
    for (auto& s : data) s.weight = std::sqrt(static_cast<double>(max_count) / counts[s.y]);
    std::vector<double> mean(d, 0), sd(d, 0);
    for (const auto& s : data)
        for (std::size_t j = 0; j < d; ++j) mean[j] += s.x[j] / static_cast<double>(data.size());
    for (const auto& s : data)
        for (std::size_t j = 0; j < d; ++j) sd[j] += (s.x[j] - mean[j]) * (s.x[j] - mean[j]) / data.size();
    for (auto& v : sd) v = v > 1e-12 ? std::sqrt(v) : 1.0;
    std::vector<std::vector<double>> w(4, std::vector<double>(d, 0.0));
    std::vector<double> b(4, 0.0);
    constexpr double l2 = 0.01, rate = 0.5;
    constexpr int iterations = 3000;
    double total_weight = 0;
    for (const auto& s : data) total_weight += s.weight;
    for (int it = 0; it < iterations; ++it) {
        std::vector<std::vector<double>> gw(4, std::vector<double>(d, 0.0));
        std::vector<double> gb(4, 0.0);
        for (const auto& s : data) {
            double z[4], top = -1e300, sum = 0;
            for (int k = 0; k < 4; ++k) {
                z[k] = b[k];
                for (std::size_t j = 0; j < d; ++j) z[k] += w[k][j] * (s.x[j] - mean[j]) / sd[j];
                top = std::max(top, z[k]);
            }
            for (double& v : z) sum += (v = std::exp(v - top));
            for (int k = 0; k < 4; ++k) {
                const double g = s.weight * (z[k] / sum - (k == s.y ? 1.0 : 0.0));
                gb[k] += g;
                for (std::size_t j = 0; j < d; ++j) gw[k][j] += g * (s.x[j] - mean[j]) / sd[j];
            }
        }
        for (int k = 0; k < 4; ++k) {
            b[k] -= rate * gb[k] / total_weight;
            for (std::size_t j = 0; j < d; ++j) w[k][j] -= rate * (gw[k][j] / total_weight + l2 * w[k][j]);
        }
    }
    // Back to raw inputs: w' = w / sd, b' = b - sum w * mean / sd.
    std::printf(
        "// Fitted by `claim_eval --fit` (bench/stance/claim_eval.cpp) on the tuning split of\n"
        "// tests/data/stance/nato-ukraine-claims.tsv (%zu samples: each tuning pair as title only and\n"
        "// as title + lede); regenerate after retraining the trees or changing the inputs.\n"
        "#include \"short_text_layer.hpp\"\n\nnamespace newswatch::stance {\n\n"
        "const short_text_coefficients fitted_short_text_coefficients = {\n    {",
        data.size());
    for (int k = 0; k < 4; ++k) {
        double bias = b[k];
        std::printf("%s{", k ? ",\n     " : "");
        for (std::size_t j = 0; j < d; ++j) {
            bias -= w[k][j] * mean[j] / sd[j];
            std::printf("%s%.6g", j ? ", " : "", w[k][j] / sd[j]);
        }
        std::printf("}");
        b[k] = bias;
    }
    std::printf("},\n    {%.6g, %.6g, %.6g, %.6g}};\n\n}  // namespace newswatch::stance\n", b[0], b[1], b[2],
                b[3]);
    return 0;
}

}  // namespace newswatch::bench
