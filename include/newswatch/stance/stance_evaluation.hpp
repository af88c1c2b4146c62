#pragma once
// Scores predictions against gold labels the FNC-1 way, plus the figures FNC-1 leaves out:
// per-class F1, macro-F1, the confusion matrix and calibration (multi-class Brier score and
// the expected calibration error of the top label).
#include <array>
#include <cstddef>
#include <string>

#include "newswatch/stance/stance_model.hpp"

namespace newswatch::stance {

class stance_evaluation {
public:
    void add(stance_label gold, const stance_prediction& predicted);
    // For baselines without probabilities: the label gets probability 1.
    void add(stance_label gold, stance_label predicted);

    std::size_t count() const noexcept { return count_; }
    // FNC-1 score as a fraction of the best possible score on these pairs (0..1).
    double fnc_score() const noexcept;
    double raw_score() const noexcept { return score_; }
    double max_score() const noexcept { return max_score_; }
    double f1(stance_label label) const noexcept;
    double macro_f1() const noexcept;
    double accuracy() const noexcept;
    // Mean over pairs of sum_k (p_k - y_k)^2; 0 is perfect, 2 is worst.
    double brier() const noexcept;
    // Expected calibration error of the top label's confidence (10 equal-width bins).
    double ece() const noexcept;
    // confusion()[gold][predicted], indexed by stance_label.
    const std::array<std::array<std::size_t, 4>, 4>& confusion() const noexcept { return confusion_; }

    // A multi-line human report (what `newswatch stance` prints to stderr).
    std::string report() const;
    // One line of Markdown table cells: score | macro-F1 | F1 agree | disagree | discuss | unrelated | Brier | ECE.
    std::string markdown_row() const;

private:
    std::size_t count_ = 0;
    double score_ = 0.0;
    double max_score_ = 0.0;
    double brier_sum_ = 0.0;
    std::array<std::array<std::size_t, 4>, 4> confusion_{};
    std::array<double, 10> bin_confidence_{};
    std::array<double, 10> bin_correct_{};
    std::array<std::size_t, 10> bin_count_{};
};

}  // namespace newswatch::stance
