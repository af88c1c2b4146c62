#include "newswatch/stance/stance_evaluation.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace newswatch::stance {

namespace {

constexpr stance_label labels[4] = {stance_label::agree, stance_label::disagree, stance_label::discuss,
                                    stance_label::unrelated};

std::string fmt(const char* f, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, f, v);
    return buf;
}

}  // namespace

void stance_evaluation::add(stance_label gold, const stance_prediction& p) {
    const int g = static_cast<int>(gold), y = static_cast<int>(p.label);
    ++count_;
    ++confusion_[static_cast<std::size_t>(g)][static_cast<std::size_t>(y)];
    const bool gold_related = gold != stance_label::unrelated;
    const bool pred_related = p.label != stance_label::unrelated;
    max_score_ += gold_related ? 1.0 : 0.25;
    if (gold_related == pred_related) score_ += 0.25;
    if (gold_related && g == y) score_ += 0.75;
    for (int k = 0; k < 4; ++k) {
        const double d = p.probabilities[k] - (k == g ? 1.0 : 0.0);
        brier_sum_ += d * d;
    }
    const double c = std::clamp(p.confidence, 0.0, 1.0);
    const auto bin = std::min<std::size_t>(9, static_cast<std::size_t>(c * 10.0));
    bin_confidence_[bin] += c;
    bin_correct_[bin] += g == y ? 1.0 : 0.0;
    ++bin_count_[bin];
}

void stance_evaluation::add(stance_label gold, stance_label predicted) {
    stance_prediction p;
    p.label = predicted;
    p.confidence = 1.0;
    p.probabilities[static_cast<int>(predicted)] = 1.0;
    add(gold, p);
}

double stance_evaluation::fnc_score() const noexcept { return max_score_ > 0 ? score_ / max_score_ : 0.0; }

double stance_evaluation::f1(stance_label label) const noexcept {
    const auto k = static_cast<std::size_t>(label);
    double tp = static_cast<double>(confusion_[k][k]), pred = 0, gold = 0;
    for (std::size_t j = 0; j < 4; ++j) {
        pred += static_cast<double>(confusion_[j][k]);
        gold += static_cast<double>(confusion_[k][j]);
    }
    if (pred + gold == 0) return 0.0;
    return 2.0 * tp / (pred + gold);
}

double stance_evaluation::macro_f1() const noexcept {
    double s = 0;
    for (auto l : labels) s += f1(l);
    return s / 4.0;
}

double stance_evaluation::accuracy() const noexcept {
    if (!count_) return 0.0;
    double c = 0;
    for (std::size_t k = 0; k < 4; ++k) c += static_cast<double>(confusion_[k][k]);
    return c / static_cast<double>(count_);
}

double stance_evaluation::brier() const noexcept { return count_ ? brier_sum_ / static_cast<double>(count_) : 0.0; }

double stance_evaluation::ece() const noexcept {
    if (!count_) return 0.0;
    double e = 0;
    for (std::size_t b = 0; b < 10; ++b) {
        if (!bin_count_[b]) continue;
        const double n = static_cast<double>(bin_count_[b]);
        e += n / static_cast<double>(count_) * std::abs(bin_confidence_[b] / n - bin_correct_[b] / n);
    }
    return e;
}

std::string stance_evaluation::report() const {
    std::string out;
    out += "pairs: " + std::to_string(count_) + "\n";
    out += "FNC-1 score: " + fmt("%.2f", 100.0 * fnc_score()) + "% of max (" + fmt("%.2f", score_) + " / " +
           fmt("%.2f", max_score_) + ")\n";
    out += "accuracy: " + fmt("%.4f", accuracy()) + "\n";
    out += "F1: ";
    for (auto l : labels) out += std::string(to_string(l)) + " " + fmt("%.4f", f1(l)) + "  ";
    out += "\nmacro-F1: " + fmt("%.4f", macro_f1()) + "\n";
    out += "calibration: Brier " + fmt("%.4f", brier()) + " (0 best, 2 worst), ECE " + fmt("%.4f", ece()) + "\n";
    out += "confusion (rows gold, columns predicted):\n";
    char line[128];
    std::snprintf(line, sizeof line, "%-10s %9s %9s %9s %9s\n", "", "agree", "disagree", "discuss", "unrelated");
    out += line;
    for (std::size_t g = 0; g < 4; ++g) {
        std::snprintf(line, sizeof line, "%-10s %9zu %9zu %9zu %9zu\n", std::string(to_string(labels[g])).c_str(),
                      confusion_[g][0], confusion_[g][1], confusion_[g][2], confusion_[g][3]);
        out += line;
    }
    return out;
}

std::string stance_evaluation::markdown_row() const {
    return fmt("%.2f%%", 100.0 * fnc_score()) + " | " + fmt("%.4f", macro_f1()) + " | " +
           fmt("%.3f", f1(stance_label::agree)) + " | " + fmt("%.3f", f1(stance_label::disagree)) + " | " +
           fmt("%.3f", f1(stance_label::discuss)) + " | " + fmt("%.3f", f1(stance_label::unrelated)) + " | " +
           fmt("%.4f", brier()) + " | " + fmt("%.4f", ece());
}

}  // namespace newswatch::stance
