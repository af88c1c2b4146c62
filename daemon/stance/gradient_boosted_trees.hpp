#pragma once
// Multi-class gradient-boosted decision trees (softmax loss, second-order splits on
// histogram bins, L2 on leaves), the model family of Talos, the FNC-1 winner. Written here
// rather than taken from libxgboost so that training is single-threaded and bit-for-bit
// reproducible, and the trees live inside our own versioned model file. Private to the module.
#include <cstdint>
#include <vector>

#include "stance_format.hpp"

namespace newswatch::stance {

struct gbdt_params {
    int classes = 2;
    int rounds = 200;
    int max_depth = 6;
    double learning_rate = 0.1;
    double lambda = 1.0;             // L2 on leaf values
    double min_child_hessian = 1.0;
    double row_subsample = 0.8;      // per tree, drawn from the seeded generator
    double col_subsample = 0.8;      // per tree
    int max_bins = 64;
    std::uint64_t seed = 20170601;
};

class gradient_boosted_trees {
public:
    // rows: n * width floats, row-major. labels in [0, classes). weights per row.
    void train(const std::vector<float>& rows, std::size_t width, const std::vector<int>& labels,
               const std::vector<float>& weights, const gbdt_params& params);

    // Class probabilities for one row of `width` floats into `out` (classes() doubles).
    void predict(const float* row, double* out) const noexcept;

    int classes() const noexcept { return classes_; }
    std::size_t width() const noexcept { return width_; }
    std::size_t tree_count() const noexcept { return trees_.size(); }

    void write(binary_writer& w) const;
    bool read(binary_reader& r);  // false when the section is malformed

private:
    struct node {
        std::int32_t feature = -1;  // -1: leaf
        float threshold = 0.0f;     // go left when value <= threshold
        std::int32_t left = 0;
        std::int32_t right = 0;
        float value = 0.0f;         // leaf output (already scaled by the learning rate)
    };
    using tree = std::vector<node>;

    int classes_ = 0;
    std::size_t width_ = 0;
    std::vector<double> base_;  // initial raw score per class
    std::vector<tree> trees_;   // round-major: trees_[round * classes_ + k]
};

}  // namespace newswatch::stance
