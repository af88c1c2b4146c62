// `newswatch stance [--model PATH] [--config FILE] --bodies B.csv --pairs P.csv --out PRED.csv`
// Classifies FNC-1 style pairs; writes `Headline,Body ID,Stance` in input order; when the
// pairs carry gold labels, prints the evaluation (FNC-1 score, F1s, confusion, calibration)
// to stderr.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>

#include "commands.hpp"
#include "newswatch/config/config.hpp"
#include "newswatch/stance/batch_classifier.hpp"
#include "newswatch/stance/csv_reader.hpp"
#include "newswatch/stance/fnc_data.hpp"
#include "newswatch/stance/model_path.hpp"
#include "newswatch/stance/stance_evaluation.hpp"
#include "newswatch/stance/stance_model.hpp"

namespace newswatch::app {

namespace {

void fail(const std::string& what) { std::fprintf(stderr, "newswatch stance: %s\n", what.c_str()); }

}  // namespace

int run_stance(cli_args& args) {
    const auto model_opt = args.option("--model");
    const auto config_opt = args.option("--config");
    const auto bodies = args.option("--bodies");
    const auto pairs = args.option("--pairs");
    const auto out = args.option("--out");
    const bool short_bodies = args.flag("--short-bodies");
    const bool quiet = args.flag("--quiet");
    if (!args.positionals().empty()) throw usage_error("stance takes no positional arguments");
    if (!bodies || !pairs || !out)
        throw usage_error("usage: newswatch stance [--model PATH] [--config FILE] --bodies B.csv --pairs P.csv "
                          "--out PRED.csv [--short-bodies]");

    std::optional<std::filesystem::path> config_model;
    if (config_opt) config_model = config::load_configuration(*config_opt).stance.model;
    std::optional<std::filesystem::path> cli_model;
    if (model_opt) cli_model = *model_opt;
    auto path = stance::find_model_path(cli_model, config_model, "");
    if (!path) {
        fail(path.err().message);
        return 1;
    }
    auto model = stance::stance_model::load(*path);
    if (!model) {
        fail(model.err().message);
        return 1;
    }
    auto data = stance::load_fnc(*bodies, *pairs);
    if (!data) {
        fail(data.err().message);
        return 1;
    }

    const auto start = std::chrono::steady_clock::now();
    const auto predictions = stance::classify_dataset(*model, *data, short_bodies);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    std::string csv = "Headline,Body ID,Stance\n";
    for (std::size_t i = 0; i < predictions.size(); ++i)
        csv += stance::csv_format_row({data->pairs[i].headline, data->pairs[i].body_id,
                                       stance::to_string(predictions[i].label)});
    {
        std::ofstream o(*out, std::ios::binary | std::ios::trunc);
        if (o) o.write(csv.data(), static_cast<std::streamsize>(csv.size()));
        if (!o) {
            fail("cannot write " + *out);
            return 1;
        }
    }
    if (!quiet) {
        std::fprintf(stderr, "model: %s (version %s)\n", path->string().c_str(), std::string(model->version()).c_str());
        std::fprintf(stderr, "classified %zu pairs in %.2f s (%.0f pairs/s, one thread)%s\n", predictions.size(),
                     seconds, seconds > 0 ? static_cast<double>(predictions.size()) / seconds : 0.0,
                     short_bodies ? ", bodies cut to two sentences" : "");
    }
    if (data->has_gold) {
        stance::stance_evaluation eval;
        for (std::size_t i = 0; i < predictions.size(); ++i) eval.add(*data->pairs[i].gold, predictions[i]);
        std::fputs(eval.report().c_str(), stderr);
    }
    return 0;
}

}  // namespace newswatch::app
