#include "short_text_fit.hpp"

#include <cmath>
#include <cstdio>
#include <set>
#include <string>

#include "newswatch/stance/batch_classifier.hpp"
#include "newswatch/stance/stance_trainer.hpp"

namespace newswatch::bench {

namespace {

struct sample {
    std::vector<double> x;
    int y = 0;
    double weight = 1.0;
    bool fnc = false;
};

// FNC-1 training pairs not in either measured dev split, every `step`-th one, body cut to its
// first two sentences (the feed-item case the layer sees).
std::vector<std::pair<std::string, std::string>> fnc_pairs(const stance::fnc_dataset& data, std::size_t step,
                                                           std::vector<int>& gold) {
    const std::uint64_t seed = stance::train_options{}.seed;
    std::set<std::string> dev_headlines, dev_bodies;
    for (const auto& split :
         {stance::split_by_text(data, 0.3, seed), stance::split_by_claim(data, 0.2, seed)})
        for (const auto& p : split.dev.pairs) dev_headlines.insert(p.headline), dev_bodies.insert(p.body_id);
    std::vector<std::pair<std::string, std::string>> out;
    std::size_t k = 0;
    for (const auto& p : data.pairs) {
        if (!p.gold || dev_headlines.count(p.headline) || dev_bodies.count(p.body_id)) continue;
        if (k++ % step != 0) continue;
        const auto body = data.bodies.find(p.body_id);
        if (body == data.bodies.end()) continue;
        out.emplace_back(p.headline, stance::first_sentences_of(body->second, 2));
        gold.push_back(static_cast<int>(*p.gold));
    }
    return out;
}

}  // namespace

// Multinomial logistic regression, full-batch gradient descent on standardised inputs with
// an L2 penalty, class weights (max freq / freq)^0.5 as in the trees' stage 2. Both text
// lengths of every tuning pair are used (title only, title + lede); the held-out split is
// never read.
int fit_short_text_layer(const stance::stance_model& model, const std::vector<stance::claim_pair>& set,
                         const stance::fnc_dataset* fnc, double fnc_weight, double l2) {
    std::vector<sample> data;
    int counts[4] = {0, 0, 0, 0}, fnc_counts[4] = {0, 0, 0, 0};
    for (const auto& p : set) {
        if (p.held_out) continue;
        for (const bool with_lede : {false, true}) {
            sample s;
            s.x = model.short_text_inputs(p.claim, with_lede ? p.title + "\n" + p.lede : p.title);
            s.y = static_cast<int>(p.gold);
            if (s.x[14] > 0.5 && s.y != 3 && with_lede)
                std::fprintf(stderr, "hard rule closes on a related tuning pair: %s | %s\n", p.claim.c_str(),
                             p.title.c_str());
            ++counts[s.y];
            data.push_back(std::move(s));
        }
    }
    if (data.empty()) return std::fputs("claim_eval --fit: no tuning pairs\n", stderr), 1;
    const std::size_t claim_samples = data.size();
    if (fnc) {
        std::vector<int> gold;
        const auto pairs = fnc_pairs(*fnc, 8, gold);
        for (std::size_t i = 0; i < pairs.size(); ++i) {
            sample s;
            s.x = model.short_text_inputs(pairs[i].first, pairs[i].second);
            s.y = gold[i];
            s.fnc = true;
            ++fnc_counts[s.y];
            data.push_back(std::move(s));
        }
    }
    const std::size_t d = data[0].x.size();
    // Class weights (max freq / freq)^0.5 within each source; the FNC-1 pairs together weigh
    // fnc_weight times as much as the claim set, so the many FNC-1 pairs do not drown the
    // feed-style claims.
    int max_count = 0, fnc_max = 0;
    for (int c : counts) max_count = std::max(max_count, c);
    for (int c : fnc_counts) fnc_max = std::max(fnc_max, c);
    const double fnc_share = data.size() > claim_samples
                                 ? fnc_weight * static_cast<double>(claim_samples) /
                                       static_cast<double>(data.size() - claim_samples)
                                 : 0.0;
    for (auto& s : data)
        s.weight = s.fnc ? fnc_share * std::sqrt(static_cast<double>(fnc_max) / fnc_counts[s.y])
                         : std::sqrt(static_cast<double>(max_count) / counts[s.y]);
    // The hard rule (no predicate word in the item => unrelated) is kept when the fitting data
    // support it: p(unrelated) among the items where it holds, weighted as above.
    double closed = 0, closed_unrelated = 0;
    for (const bool source : {false, true}) {
        std::size_t n = 0, u = 0;
        for (const auto& s : data)
            if (s.fnc == source && s.x[14] > 0.5) ++n, u += s.y == 3;
        std::fprintf(stderr, "hard rule on %s: closes on %zu samples, %zu of them unrelated\n",
                     source ? "FNC-1 (2 sentences)" : "claim set", n, u);
    }
    for (const auto& s : data)
        if (s.x[14] > 0.5) closed += s.weight, closed_unrelated += s.y == 3 ? s.weight : 0.0;
    double gate_unrelated = closed > 0 ? closed_unrelated / closed : 0.0;
    if (gate_unrelated < 0.6) gate_unrelated = 0.0;
    std::fprintf(stderr, "hard rule p(unrelated) = %.4f\n", gate_unrelated);
    std::vector<double> mean(d, 0), sd(d, 0);
    for (const auto& s : data)
        for (std::size_t j = 0; j < d; ++j) mean[j] += s.x[j] / static_cast<double>(data.size());
    for (const auto& s : data)
        for (std::size_t j = 0; j < d; ++j) sd[j] += (s.x[j] - mean[j]) * (s.x[j] - mean[j]) / data.size();
    for (auto& v : sd) v = v > 1e-12 ? std::sqrt(v) : 1.0;
    std::vector<std::vector<double>> w(4, std::vector<double>(d, 0.0));
    std::vector<double> b(4, 0.0);
    constexpr double rate = 0.5;
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
        "// as title + lede) and %zu FNC-1 training pairs cut to two sentences (none of the dev splits\n"
        "// of docs/STANCE.md); regenerate after retraining the trees or changing the inputs.\n"
        "#include \"short_text_layer.hpp\"\n\nnamespace newswatch::stance {\n\n"
        "const short_text_coefficients fitted_short_text_coefficients = {\n    {",
        claim_samples, data.size() - claim_samples);
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
    std::printf("},\n    {%.6g, %.6g, %.6g, %.6g},\n    %.6g};\n\n}  // namespace newswatch::stance\n", b[0],
                b[1], b[2], b[3], gate_unrelated);
    return 0;
}

}  // namespace newswatch::bench
