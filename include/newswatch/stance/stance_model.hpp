#pragma once
// The stance classifier: (claim, article) -> agree | disagree | discuss | unrelated.
// Synchronous, no I/O after load(); classify() is const and thread-safe.
//
// How the daemon uses it: at startup, when any watch declares a claim,
//   auto path = find_model_path(cli_model, config_model, argv[0]);   // model_path.hpp
//   auto model = stance_model::load(path.value());                   // errors -> startup error
// then per matched item: model.classify(claim, title + "\n" + summary_or_content).
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "newswatch/core/result.hpp"

namespace newswatch::stance {

enum class stance_label { agree, disagree, discuss, unrelated };
std::string_view to_string(stance_label label) noexcept;

struct evidence {
    std::string sentence;           // an article sentence that weighed most
    std::vector<std::string> cues;  // cue words found in it ("denied", "confirmed", ...)
    double weight = 0.0;
};

struct stance_prediction {
    stance_label label = stance_label::unrelated;
    double confidence = 0.0;                 // probability of `label`, in [0, 1]
    double probabilities[4] = {0, 0, 0, 0};  // indexed by stance_label
    std::vector<stance::evidence> evidence;  // filled when asked for (with_evidence)
};

class stance_model {
public:
    // Loads a model file written by stance-train; errors name the path and what is wrong
    // (missing, truncated, bad checksum, wrong version).
    static core::result<stance_model> load(const std::filesystem::path& path);
    // The same from bytes already in memory; `name` is used in error messages.
    static core::result<stance_model> from_bytes(std::string_view bytes, std::string_view name);

    // Never throws on any input text; empty or unrelated text gives `unrelated`.
    stance_prediction classify(std::string_view claim, std::string_view article,
                               bool with_evidence = false) const;

    // Many claims against one article: the article is analysed once (batch evaluation).
    // Same results as calling classify() for each claim.
    std::vector<stance_prediction> classify_all(const std::vector<std::string_view>& claims,
                                                std::string_view article, bool with_evidence = false) const;

    // The inputs of the short-text layer (relevance gate + calibration, used on feed items of
    // at most 3 sentences) for one pair: what `claim_eval --fit` (bench/stance) fits it on.
    std::vector<double> short_text_inputs(std::string_view claim, std::string_view article) const;

    // On by default. The layer's coefficients were fitted on the shipped trees' outputs, so a
    // model just trained by stance-train is evaluated without it (its FNC-1 figures are the
    // trees' own); call before sharing the model between threads.
    void set_short_text_layer(bool on) noexcept;

    // "<format version>.<training fingerprint>", e.g. "1.3f9a0c2d": the format version says
    // which code can read it, the fingerprint (start of the payload's SHA-256) which
    // training produced it.
    std::string_view version() const noexcept;
    // Where the model came from (data, seed, options), as written by stance-train.
    std::string_view provenance() const noexcept;

    stance_model(stance_model&&) noexcept;
    stance_model& operator=(stance_model&&) noexcept;
    ~stance_model();

private:
    struct impl;
    explicit stance_model(std::unique_ptr<impl> p);
    std::unique_ptr<impl> impl_;
};

}  // namespace newswatch::stance
