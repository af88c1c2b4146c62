// `newswatch stance-train --data DIR --out FILE [--seed N] [--holdout FRACTION]
//  [--split claim|text] [--write-split DIR] [--no-augment] [--rounds R1,R2] [--depth D1,D2]
//  [--learning-rate L] [--class-weight-power P] [--min-cue-claims N]`
// Trains the stance model on DIR/train_bodies.csv + DIR/train_stances.csv. Deterministic:
// the same data and options give the same file. With --holdout, trains on the train side
// of a claim-disjoint split and prints dev figures (model, short bodies, overlap baseline).
#include <chrono>
#include <cstdio>
#include <iostream>

#include "commands.hpp"
#include "newswatch/stance/batch_classifier.hpp"
#include "newswatch/stance/fnc_data.hpp"
#include "newswatch/stance/stance_evaluation.hpp"
#include "newswatch/stance/stance_model.hpp"
#include "newswatch/stance/stance_trainer.hpp"

namespace newswatch::app {

namespace {

int fail(const std::string& what) {
    std::fprintf(stderr, "newswatch stance-train: %s\n", what.c_str());
    return 1;
}

double seconds_since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

void evaluate(const stance::stance_model& model, const stance::fnc_dataset& dev, bool short_bodies,
              stance::stance_evaluation& pooled) {
    const auto start = std::chrono::steady_clock::now();
    const auto predictions = stance::classify_dataset(model, dev, short_bodies);
    const double s = seconds_since(start);
    stance::stance_evaluation eval;
    for (std::size_t i = 0; i < predictions.size(); ++i) {
        eval.add(*dev.pairs[i].gold, predictions[i]);
        pooled.add(*dev.pairs[i].gold, predictions[i]);
    }
    std::fprintf(stderr, "\n== dev, %s: %.0f pairs/s ==\n%s| %s |\n",
                 short_bodies ? "bodies cut to two sentences" : "full bodies",
                 s > 0 ? static_cast<double>(predictions.size()) / s : 0.0, eval.report().c_str(),
                 eval.markdown_row().c_str());
}

void evaluate_baseline(const stance::fnc_dataset& train, const stance::fnc_dataset& dev, bool short_bodies,
                       stance::stance_evaluation& pooled) {
    stance::overlap_baseline baseline;
    baseline.fit(train);
    stance::stance_evaluation eval;
    for (const auto& p : dev.pairs) {
        const std::string& body = dev.bodies.at(p.body_id);
        const auto label = baseline.predict(p.headline, short_bodies ? stance::first_sentences_of(body, 2) : body);
        eval.add(*p.gold, label);
        pooled.add(*p.gold, label);
    }
    std::fprintf(stderr, "\n== dev, word-overlap baseline (threshold %.4f), %s ==\n%s| %s |\n", baseline.threshold(),
                 short_bodies ? "bodies cut to two sentences" : "full bodies", eval.report().c_str(),
                 eval.markdown_row().c_str());
}

}  // namespace

int run_stance_train(cli_args& args) {
    const auto data_dir = args.option("--data");
    const auto out = args.option("--out");
    const auto seed = args.option("--seed");
    const auto holdout = args.option("--holdout");
    const auto folds_opt = args.option("--folds");
    const auto write_split = args.option("--write-split");
    const auto rounds = args.option("--rounds");
    const auto power = args.option("--class-weight-power");
    const auto min_claims = args.option("--min-cue-claims");
    const auto epochs = args.option("--regression-epochs");
    const auto depth = args.option("--depth");
    const auto rate = args.option("--learning-rate");
    const bool no_augment = args.flag("--no-augment");
    const auto split_mode = args.option("--split");
    if (!args.positionals().empty()) throw usage_error("stance-train takes no positional arguments");
    if (!data_dir || !out)
        throw usage_error("usage: newswatch stance-train --data DIR --out FILE [--seed N] [--holdout FRACTION "
                          "[--split claim|text] [--write-split DIR] | --folds K] [--no-augment]");

    stance::train_options options;
    std::size_t folds = 0;
    double fraction = 0;
    try {
        if (seed) options.seed = std::stoull(*seed);
        if (power) options.class_weight_power = std::stod(*power);
        if (min_claims) options.min_cue_claims = std::stoi(*min_claims);
        if (epochs) options.regression_epochs = std::stoi(*epochs);
        if (rate) options.learning_rate = std::stod(*rate);
        if (rounds) {
            auto comma = rounds->find(',');
            if (comma == std::string::npos) throw usage_error("--rounds wants R1,R2");
            options.related_rounds = std::stoi(rounds->substr(0, comma));
            options.stance_rounds = std::stoi(rounds->substr(comma + 1));
        }
        if (depth) {
            auto comma = depth->find(',');
            if (comma == std::string::npos) throw usage_error("--depth wants D1,D2");
            options.related_depth = std::stoi(depth->substr(0, comma));
            options.stance_depth = std::stoi(depth->substr(comma + 1));
        }
        if (folds_opt) folds = std::stoul(*folds_opt);
        if (holdout) fraction = std::stod(*holdout);
    } catch (const std::logic_error&) {
        throw usage_error("bad number in --seed, --rounds, --depth, --folds, --holdout, --learning-rate, "
                          "--min-cue-claims or --class-weight-power");
    }
    if (holdout && !(fraction > 0 && fraction < 1)) throw usage_error("--holdout wants a fraction in (0, 1)");
    if (folds_opt && folds < 2) throw usage_error("--folds wants at least 2");
    if (holdout && folds_opt) throw usage_error("--holdout and --folds exclude each other");
    if (write_split && !holdout) throw usage_error("--write-split needs --holdout");
    const std::string mode = split_mode.value_or("claim");
    if (mode != "claim" && mode != "text") throw usage_error("--split wants claim or text");
    options.augment_short = !no_augment;

    const std::filesystem::path dir(*data_dir);
    auto data = stance::load_fnc(dir / "train_bodies.csv", dir / "train_stances.csv");
    if (!data) return fail(data.err().message);
    if (!data->has_gold) return fail((dir / "train_stances.csv").string() + ": no Stance column");

    // Without --holdout/--folds: one run on everything (the shipped model). Otherwise one run
    // per dev split, each evaluated, the figures pooled over the folds.
    const std::size_t runs = folds_opt ? folds : 1;
    stance::stance_evaluation pooled_full, pooled_short, pooled_base_full, pooled_base_short;
    for (std::size_t run = 0; run < runs; ++run) {
        stance::fnc_dataset train;
        stance::fnc_dataset dev;
        stance::train_options run_options = options;
        if (holdout || folds_opt) {
            auto split = folds_opt ? stance::split_by_claim_fold(*data, folds, run, options.seed)
                         : mode == "claim" ? stance::split_by_claim(*data, fraction, options.seed)
                                           : stance::split_by_text(*data, fraction, options.seed);
            const std::string what = folds_opt ? "claim fold " + std::to_string(run + 1) + "/" + std::to_string(folds)
                                               : mode + "-disjoint holdout " + *holdout;
            std::fprintf(stderr, "\n##### %s: train %zu pairs / %zu bodies, dev %zu pairs / %zu bodies, %zu crossing pairs dropped\n",
                         what.c_str(), split.train.pairs.size(), split.train.bodies.size(), split.dev.pairs.size(),
                         split.dev.bodies.size(), split.dropped_pairs);
            train = std::move(split.train);
            dev = std::move(split.dev);
            run_options.provenance += ", train side of a " + what + " split";
            if (write_split) {
                const std::filesystem::path sd(*write_split);
                std::error_code ec;
                std::filesystem::create_directories(sd, ec);
                auto w1 = stance::write_model_file(sd / "dev_bodies.csv", stance::bodies_to_csv(dev));
                auto w2 = stance::write_model_file(sd / "dev_stances.csv", stance::pairs_to_csv(dev));
                if (!w1) return fail(w1.err().message);
                if (!w2) return fail(w2.err().message);
            }
        } else {
            train = *data;
        }

        const auto start = std::chrono::steady_clock::now();
        auto bytes = stance::train_stance_model(train, run_options, &std::cerr);
        if (!bytes) return fail(bytes.err().message);
        std::fprintf(stderr, "trained in %.1f s, model %zu bytes\n", seconds_since(start), bytes->size());
        if (run + 1 == runs) {
            auto written = stance::write_model_file(*out, *bytes);
            if (!written) return fail(written.err().message);
        }
        auto model = stance::stance_model::from_bytes(*bytes, *out);
        if (!model) return fail(model.err().message);
        // The short-text layer belongs to the shipped trees (docs/STANCE.md): these are new ones.
        model->set_short_text_layer(false);
        if (run + 1 == runs) std::fprintf(stderr, "wrote %s (version %s)\n", out->c_str(), std::string(model->version()).c_str());

        if (holdout || folds_opt) {
            evaluate(*model, dev, false, pooled_full);
            evaluate(*model, dev, true, pooled_short);
            evaluate_baseline(train, dev, false, pooled_base_full);
            evaluate_baseline(train, dev, true, pooled_base_short);
        }
    }
    if (folds_opt) {
        std::fprintf(stderr, "\n##### pooled over %zu claim folds (every pair scored once, by a model that never saw its claim)\n",
                     folds);
        const std::pair<const char*, const stance::stance_evaluation*> rows[] = {
            {"model, full bodies", &pooled_full},
            {"model, bodies cut to two sentences", &pooled_short},
            {"word-overlap baseline, full bodies", &pooled_base_full},
            {"word-overlap baseline, two sentences", &pooled_base_short}};
        for (const auto& [name, eval] : rows)
            std::fprintf(stderr, "\n== %s ==\n%s| %s |\n", name, eval->report().c_str(), eval->markdown_row().c_str());
    }
    return 0;
}

}  // namespace newswatch::app
