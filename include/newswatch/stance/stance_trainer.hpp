#pragma once
// Training of the stance model from FNC-1 training data (`newswatch stance-train`).
// Single-threaded and seeded: the same data and options give the same model bytes.
#include <cstdint>
#include <ostream>
#include <string>

#include "newswatch/core/result.hpp"
#include "newswatch/stance/fnc_data.hpp"

namespace newswatch::stance {

struct train_options {
    std::uint64_t seed = 20170601;
    // Add a copy of every pair with the body cut to its first two sentences, so the model
    // holds up on feed items (a title and a short summary).
    bool augment_short = true;
    // Scale of the trees (rounds); tests use small values to stay fast.
    int related_rounds = 150;
    int stance_rounds = 100;
    int related_depth = 6;
    int stance_depth = 3;
    double learning_rate = 0.08;
    // Extra weight on the rare classes of the second stage (agree, disagree, discuss), as a
    // power of the inverse class frequency: 0 = none, 1 = fully balanced.
    double class_weight_power = 0.5;
    // A learned cue word must occur in this many different claims (so it carries stance,
    // not topic).
    int min_cue_claims = 8;
    // The stacked logistic regression over learned cue words (0 epochs: off).
    int regression_epochs = 0;  // measured: no gain over the naive-Bayes cues (docs/STANCE.md)
    double regression_rate = 0.1;
    double regression_l2 = 1e-4;
    std::string provenance = "FNC-1 training data (train_bodies.csv, train_stances.csv)";
};

// Trains on every pair of `data` (which must carry gold labels) and returns the model file
// bytes (header, checksum and all). `log` (may be null) receives progress lines.
core::result<std::string> train_stance_model(const fnc_dataset& data, const train_options& options,
                                             std::ostream* log);

// Writes `bytes` to `path` atomically (temp file + rename).
core::result<void> write_model_file(const std::filesystem::path& path, const std::string& bytes);

}  // namespace newswatch::stance
