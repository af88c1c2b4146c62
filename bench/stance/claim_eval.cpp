// claim_eval: the stance model on a claim/item evaluation set (tests/data/stance/*.tsv),
// by split (tuning / held-out) and text length (title only / title + lede).
//
//   claim_eval [--model PATH] [--claims FILE] [--dump FILE.tsv] [--fit [--fnc DIR [--fnc-weight W]] [--l2 L]]
//
// Prints macro-F1, per-class F1, accuracy, Brier, ECE and the confusion matrix of each
// split and length. --dump writes one row per pair and length (split, length, gold,
// predicted, confidence) for bench/stance/reliability.sh. --fit fits the short-text layer
// (relevance gate + calibration, daemon/stance/short_text_layer.cpp) on the tuning split
// only (with --fnc DIR, also on FNC-1 training pairs cut to two sentences, outside the dev splits
// measured in docs/STANCE.md) and prints the coefficient table to paste into
// short_text_coefficients.cpp. --trees
// scores the trees' own decision, without the short-text layer (the model before #15).
// --fnc-dev DIR [--short-bodies] scores an FNC-1 dev split (written by stance-train
// --write-split) through the real batch path, as `newswatch stance` does.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "newswatch/stance/batch_classifier.hpp"
#include "newswatch/stance/claim_set.hpp"
#include "newswatch/stance/fnc_data.hpp"
#include "newswatch/stance/model_path.hpp"
#include "newswatch/stance/stance_evaluation.hpp"
#include "newswatch/stance/stance_model.hpp"
#include "short_text_fit.hpp"

namespace {

using namespace newswatch::stance;

std::string article_text(const claim_pair& p, bool with_lede) {
    return with_lede ? p.title + "\n" + p.lede : p.title;
}

// The trees' own decision (the model before the short-text layer, issue #15's "before"),
// rebuilt from the layer's inputs: x[0], x[1] = log p(unrelated), log p(related) (stage 1),
// x[2..4] = log p(agree | disagree | discuss given related) (stage 2). Two-stage rule as in
// stance_model.cpp: related when stage 1 says so, then stage 2's best label.
stance_prediction trees_only(const std::vector<double>& x) {
    stance_prediction out;
    const double related = std::exp(x[1]);
    out.probabilities[3] = std::exp(x[0]);
    for (int k = 0; k < 3; ++k) out.probabilities[k] = related * std::exp(x[2 + k]);
    int best = 3;
    if (x[1] > x[0]) {
        best = 0;
        for (int k = 1; k < 3; ++k)
            if (x[2 + k] > x[2 + best]) best = k;
    }
    out.label = static_cast<stance_label>(best);
    out.confidence = out.probabilities[best];
    return out;
}

// For a claim watch: alerts are the pairs whose predicted label is one of `alerting` with at
// least min_confidence; they should be the pairs whose gold label is one of `alerting`.
// Precision/recall/F1 of those alerts per claim, alerting set and min_confidence, on the
// tuning split (where min_confidence is chosen) and the held-out split, title + lede.
int print_thresholds(const stance_model& model, const std::vector<claim_pair>& set) {
    std::vector<std::string> claims;
    for (const auto& p : set)
        if (std::find(claims.begin(), claims.end(), p.claim) == claims.end()) claims.push_back(p.claim);
    const std::vector<std::vector<stance_label>> alerting = {{stance_label::agree},
                                                             {stance_label::agree, stance_label::disagree}};
    for (const auto& claim : claims) {
        std::vector<std::pair<const claim_pair*, stance_prediction>> rows;
        for (const auto& p : set)
            if (p.claim == claim) rows.emplace_back(&p, model.classify(p.claim, article_text(p, true)));
        for (const auto& labels : alerting) {
            std::printf("%s [%s]\n", claim.c_str(), labels.size() == 1 ? "agree" : "agree, disagree");
            for (double t = 0.3; t < 0.91; t += 0.1) {
                std::printf("  min_confidence %.1f:", t);
                for (const bool held : {false, true}) {
                    int tp = 0, fp = 0, fn = 0;
                    for (const auto& [p, pred] : rows) {
                        if (p->held_out != held) continue;
                        const auto in = [&](stance_label l) {
                            return std::find(labels.begin(), labels.end(), l) != labels.end();
                        };
                        const bool alert = in(pred.label) && pred.confidence >= t;
                        const bool want = in(p->gold);
                        tp += alert && want && pred.label == p->gold;
                        fp += alert && !(want && pred.label == p->gold);
                        fn += want && !(alert && pred.label == p->gold);
                    }
                    const double pr = tp + fp ? double(tp) / (tp + fp) : 1.0,
                                 rc = tp + fn ? double(tp) / (tp + fn) : 1.0;
                    std::printf("  %s P %.2f R %.2f F1 %.2f", held ? "held-out" : "tuning", pr, rc,
                                pr + rc > 0 ? 2 * pr * rc / (pr + rc) : 0.0);
                }
                std::printf("\n");
            }
        }
    }
    return 0;
}

// The real classify path on an FNC-1 dev split written by `newswatch stance-train --holdout
// ... --write-split DIR`: the same batch call as `newswatch stance` (classify_dataset, the
// short-text layer on), for builds without the app.
int evaluate_fnc_dev(const stance_model& model, const std::string& dir, bool short_bodies) {
    auto data = load_fnc(std::filesystem::path(dir) / "dev_bodies.csv",
                         std::filesystem::path(dir) / "dev_stances.csv");
    if (!data || !data->has_gold) {
        std::fprintf(stderr, "claim_eval: %s\n",
                     data ? "dev_stances.csv has no Stance column" : data.err().message.c_str());
        return 1;
    }
    const auto predictions = classify_dataset(model, *data, short_bodies);
    stance_evaluation eval;
    for (std::size_t i = 0; i < predictions.size(); ++i) eval.add(*data->pairs[i].gold, predictions[i]);
    std::printf("== %s, %s (%zu pairs)\n%s| %s |\n", dir.c_str(),
                short_bodies ? "bodies cut to two sentences" : "full bodies", eval.count(),
                eval.report().c_str(), eval.markdown_row().c_str());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    std::string model_arg,
        claims = std::string(NEWSWATCH_SOURCE_DIR) + "/tests/data/stance/nato-ukraine-claims.tsv", dump,
        fnc_dir;
    bool fit = false, trees = false, thresholds = false;
    double fnc_weight = 0.5, l2 = 0.001;
    std::string fnc_dev;
    bool short_bodies = false;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--model" && i + 1 < argc)
            model_arg = argv[++i];
        else if (a == "--claims" && i + 1 < argc)
            claims = argv[++i];
        else if (a == "--dump" && i + 1 < argc)
            dump = argv[++i];
        else if (a == "--fnc" && i + 1 < argc)
            fnc_dir = argv[++i];
        else if (a == "--fnc-weight" && i + 1 < argc)
            fnc_weight = std::stod(argv[++i]);
        else if (a == "--l2" && i + 1 < argc)
            l2 = std::stod(argv[++i]);
        else if (a == "--fnc-dev" && i + 1 < argc)
            fnc_dev = argv[++i];
        else if (a == "--short-bodies")
            short_bodies = true;
        else if (a == "--fit")
            fit = true;
        else if (a == "--trees")
            trees = true;
        else if (a == "--thresholds")
            thresholds = true;
        else {
            std::fprintf(stderr,
                         "usage: claim_eval [--model PATH] [--claims FILE] [--dump FILE] [--trees] "
                         "[--thresholds] [--fit [--fnc DIR [--fnc-weight W]] [--l2 L]] [--fnc-dev DIR "
                         "[--short-bodies]]\n");
            return 2;
        }
    }
    auto path =
        find_model_path(model_arg.empty() ? std::nullopt : std::optional<std::filesystem::path>(model_arg),
                        std::nullopt, argv[0]);
    if (!path) {
        std::fprintf(stderr, "claim_eval: %s\n", path.err().message.c_str());
        return 1;
    }
    auto model = stance_model::load(path.value());
    auto set = load_claim_set(claims);
    if (!model || !set) {
        std::fprintf(stderr, "claim_eval: %s\n", (!model ? model.err() : set.err()).message.c_str());
        return 1;
    }
    if (fit) {
        std::optional<fnc_dataset> fnc;
        if (!fnc_dir.empty()) {
            auto loaded = load_fnc(std::filesystem::path(fnc_dir) / "train_bodies.csv",
                                   std::filesystem::path(fnc_dir) / "train_stances.csv");
            if (!loaded) {
                std::fprintf(stderr, "claim_eval: %s\n", loaded.err().message.c_str());
                return 1;
            }
            fnc = std::move(loaded.value());
        }
        return newswatch::bench::fit_short_text_layer(model.value(), set.value(), fnc ? &*fnc : nullptr,
                                                      fnc_weight, l2);
    }
    if (thresholds) return print_thresholds(model.value(), set.value());
    if (!fnc_dev.empty()) return evaluate_fnc_dev(model.value(), fnc_dev, short_bodies);
    std::ofstream out;
    if (!dump.empty()) {
        out.open(dump);
        out << "split\tlength\tgold\tpredicted\tconfidence\n";
    }
    for (const bool held : {false, true}) {
        for (const bool with_lede : {false, true}) {
            stance_evaluation eval;
            for (const auto& p : set.value()) {
                if (p.held_out != held) continue;
                const std::string text = article_text(p, with_lede);
                const auto pred = trees ? trees_only(model.value().short_text_inputs(p.claim, text))
                                        : model.value().classify(p.claim, text);
                eval.add(p.gold, pred);
                if (out.is_open())
                    out << (held ? "held-out" : "tuning") << '\t' << (with_lede ? "title+lede" : "title")
                        << '\t' << to_string(p.gold) << '\t' << to_string(pred.label) << '\t'
                        << pred.confidence << '\n';
            }
            std::printf("== %s split, %s (%zu pairs)\n%s\n", held ? "held-out" : "tuning",
                        with_lede ? "title + lede" : "title only", eval.count(), eval.report().c_str());
        }
    }
    return 0;
}
