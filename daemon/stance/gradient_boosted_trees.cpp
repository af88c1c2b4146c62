#include "gradient_boosted_trees.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

namespace newswatch::stance {

namespace {

// Deterministic uniform [0, 1) from a 64-bit engine (std distributions are not portable).
double uniform01(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

struct split_choice {
    int feature = -1;
    int bin = -1;
    double gain = 0.0;
};

class tree_builder {
public:
    tree_builder(const std::vector<std::uint8_t>& bins, std::size_t width,
                 const std::vector<std::vector<float>>& thresholds, const gbdt_params& p)
        : bins_(bins), width_(width), thresholds_(thresholds), p_(p) {}

    // Grows one tree over `rows` with gradients g and hessians h; appends nodes to `out`.
    template <class Node>
    void build(std::vector<std::uint32_t>& rows, const std::vector<double>& g,
               const std::vector<double>& h, const std::vector<std::uint8_t>& use_feature,
               std::vector<Node>& out) {
        g_ = &g;
        h_ = &h;
        use_ = &use_feature;
        std::vector<double> hist(width_ * p_.max_bins * 2, 0.0);
        fill_histogram(rows.data(), rows.size(), hist);
        out.clear();
        out.emplace_back();
        grow(rows.data(), rows.size(), hist, 0, 0, out);
    }

private:
    void fill_histogram(const std::uint32_t* rows, std::size_t n, std::vector<double>& hist) const {
        std::fill(hist.begin(), hist.end(), 0.0);
        const std::size_t stride = static_cast<std::size_t>(p_.max_bins) * 2;
        for (std::size_t i = 0; i < n; ++i) {
            const std::uint32_t r = rows[i];
            const std::uint8_t* b = &bins_[static_cast<std::size_t>(r) * width_];
            const double gr = (*g_)[r], hr = (*h_)[r];
            for (std::size_t f = 0; f < width_; ++f) {
                double* cell = &hist[f * stride + static_cast<std::size_t>(b[f]) * 2];
                cell[0] += gr;
                cell[1] += hr;
            }
        }
    }

    split_choice best_split(const std::vector<double>& hist, double G, double H) const {
        split_choice best;
        const std::size_t stride = static_cast<std::size_t>(p_.max_bins) * 2;
        const double parent = G * G / (H + p_.lambda);
        for (std::size_t f = 0; f < width_; ++f) {
            if (!(*use_)[f]) continue;
            const std::size_t nb = thresholds_[f].size();  // bins 0..nb
            double gl = 0, hl = 0;
            for (std::size_t b = 0; b < nb; ++b) {
                gl += hist[f * stride + b * 2];
                hl += hist[f * stride + b * 2 + 1];
                const double gr = G - gl, hr = H - hl;
                if (hl < p_.min_child_hessian || hr < p_.min_child_hessian) continue;
                const double gain = gl * gl / (hl + p_.lambda) + gr * gr / (hr + p_.lambda) - parent;
                if (gain > best.gain + 1e-12) {
                    best = split_choice{static_cast<int>(f), static_cast<int>(b), gain};
                }
            }
        }
        return best;
    }

    template <class Node>
    void grow(std::uint32_t* rows, std::size_t n, std::vector<double>& hist, int depth,
              std::size_t index, std::vector<Node>& out) {
        double G = 0, H = 0;
        for (std::size_t i = 0; i < n; ++i) {
            G += (*g_)[rows[i]];
            H += (*h_)[rows[i]];
        }
        auto make_leaf = [&] {
            out[index].feature = -1;
            out[index].value = static_cast<float>(-G / (H + p_.lambda) * p_.learning_rate);
        };
        if (depth >= p_.max_depth || H < 2 * p_.min_child_hessian) return make_leaf();
        split_choice s = best_split(hist, G, H);
        if (s.feature < 0) return make_leaf();
        // Partition: bin <= s.bin to the left, stable so the result is deterministic.
        std::uint32_t* mid = std::stable_partition(rows, rows + n, [&](std::uint32_t r) {
            return bins_[static_cast<std::size_t>(r) * width_ + static_cast<std::size_t>(s.feature)] <= s.bin;
        });
        const std::size_t nl = static_cast<std::size_t>(mid - rows), nr = n - nl;
        if (nl == 0 || nr == 0) return make_leaf();
        out[index].feature = s.feature;
        out[index].threshold = thresholds_[static_cast<std::size_t>(s.feature)][static_cast<std::size_t>(s.bin)];
        const std::size_t left = out.size();
        out.emplace_back();
        out.emplace_back();
        out[index].left = static_cast<std::int32_t>(left);
        out[index].right = static_cast<std::int32_t>(left + 1);
        // Histogram subtraction: scan the smaller child, derive the larger one.
        std::vector<double> small(hist.size());
        const bool left_small = nl <= nr;
        fill_histogram(left_small ? rows : mid, left_small ? nl : nr, small);
        for (std::size_t i = 0; i < hist.size(); ++i) hist[i] -= small[i];  // now the larger child
        if (left_small) {
            grow(rows, nl, small, depth + 1, left, out);
            grow(mid, nr, hist, depth + 1, left + 1, out);
        } else {
            grow(rows, nl, hist, depth + 1, left, out);
            grow(mid, nr, small, depth + 1, left + 1, out);
        }
    }

    const std::vector<std::uint8_t>& bins_;
    std::size_t width_;
    const std::vector<std::vector<float>>& thresholds_;
    const gbdt_params& p_;
    const std::vector<double>* g_ = nullptr;
    const std::vector<double>* h_ = nullptr;
    const std::vector<std::uint8_t>* use_ = nullptr;
};

}  // namespace

void gradient_boosted_trees::train(const std::vector<float>& rows, std::size_t width,
                                   const std::vector<int>& labels, const std::vector<float>& weights,
                                   const gbdt_params& params) {
    classes_ = params.classes;
    width_ = width;
    trees_.clear();
    const std::size_t n = labels.size();
    const auto K = static_cast<std::size_t>(classes_);

    // Quantile bin edges per feature (at most max_bins - 1 thresholds).
    std::vector<std::vector<float>> thresholds(width);
    for (std::size_t f = 0; f < width; ++f) {
        std::vector<float> v(n);
        for (std::size_t i = 0; i < n; ++i) v[i] = rows[i * width + f];
        std::sort(v.begin(), v.end());
        v.erase(std::unique(v.begin(), v.end()), v.end());
        std::vector<float>& t = thresholds[f];
        const std::size_t want = static_cast<std::size_t>(params.max_bins - 1);
        if (v.size() <= want + 1) {
            for (std::size_t i = 0; i + 1 < v.size(); ++i) t.push_back(v[i] + (v[i + 1] - v[i]) / 2);
        } else {
            for (std::size_t q = 1; q <= want; ++q) {
                std::size_t i = q * (v.size() - 1) / (want + 1);
                float edge = v[i] + (v[i + 1] - v[i]) / 2;
                if (t.empty() || edge > t.back()) t.push_back(edge);
            }
        }
    }
    std::vector<std::uint8_t> bins(n * width);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t f = 0; f < width; ++f) {
            const auto& t = thresholds[f];
            bins[i * width + f] = static_cast<std::uint8_t>(
                std::lower_bound(t.begin(), t.end(), rows[i * width + f]) - t.begin());
        }

    // Base score: weighted log prior.
    base_.assign(K, 0.0);
    {
        std::vector<double> prior(K, 1e-6);
        double total = 0;
        for (std::size_t i = 0; i < n; ++i) {
            prior[static_cast<std::size_t>(labels[i])] += weights[i];
            total += weights[i];
        }
        for (std::size_t k = 0; k < K; ++k) base_[k] = std::log(prior[k] / total);
    }

    std::vector<double> score(n * K);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t k = 0; k < K; ++k) score[i * K + k] = base_[k];
    std::vector<double> prob(n * K), g(n), h(n);
    std::mt19937_64 rng(params.seed);
    tree_builder builder(bins, width, thresholds, params);
    std::vector<std::uint8_t> use(width);
    std::vector<std::uint32_t> sample;

    for (int round = 0; round < params.rounds; ++round) {
        for (std::size_t i = 0; i < n; ++i) {
            double m = score[i * K];
            for (std::size_t k = 1; k < K; ++k) m = std::max(m, score[i * K + k]);
            double z = 0;
            for (std::size_t k = 0; k < K; ++k) z += (prob[i * K + k] = std::exp(score[i * K + k] - m));
            for (std::size_t k = 0; k < K; ++k) prob[i * K + k] /= z;
        }
        for (std::size_t k = 0; k < K; ++k) {
            sample.clear();
            for (std::size_t i = 0; i < n; ++i)
                if (uniform01(rng) < params.row_subsample) sample.push_back(static_cast<std::uint32_t>(i));
            bool any = false;
            for (std::size_t f = 0; f < width; ++f) any |= (use[f] = uniform01(rng) < params.col_subsample) != 0;
            if (!any) use[0] = 1;
            for (std::size_t i = 0; i < n; ++i) {
                const double p = prob[i * K + k];
                const double y = labels[i] == static_cast<int>(k) ? 1.0 : 0.0;
                g[i] = (p - y) * weights[i];
                h[i] = std::max(p * (1.0 - p), 1e-6) * weights[i];
            }
            tree t;
            builder.build(sample, g, h, use, t);
            for (std::size_t i = 0; i < n; ++i) {
                const float* row = &rows[i * width];
                std::size_t at = 0;
                while (t[at].feature >= 0)
                    at = static_cast<std::size_t>(row[t[at].feature] <= t[at].threshold ? t[at].left : t[at].right);
                score[i * K + k] += t[at].value;
            }
            trees_.push_back(std::move(t));
        }
    }
}

void gradient_boosted_trees::predict(const float* row, double* out) const noexcept {
    const auto K = static_cast<std::size_t>(classes_);
    for (std::size_t k = 0; k < K; ++k) out[k] = base_[k];
    for (std::size_t i = 0; i < trees_.size(); ++i) {
        const tree& t = trees_[i];
        std::size_t at = 0;
        while (t[at].feature >= 0)
            at = static_cast<std::size_t>(row[t[at].feature] <= t[at].threshold ? t[at].left : t[at].right);
        out[i % K] += t[at].value;
    }
    double m = out[0];
    for (std::size_t k = 1; k < K; ++k) m = std::max(m, out[k]);
    double z = 0;
    for (std::size_t k = 0; k < K; ++k) z += (out[k] = std::exp(out[k] - m));
    for (std::size_t k = 0; k < K; ++k) out[k] /= z;
}

void gradient_boosted_trees::write(binary_writer& w) const {
    w.u32(static_cast<std::uint32_t>(classes_));
    w.u32(static_cast<std::uint32_t>(width_));
    for (double b : base_) w.f32(static_cast<float>(b));
    w.u32(static_cast<std::uint32_t>(trees_.size()));
    for (const tree& t : trees_) {
        w.u32(static_cast<std::uint32_t>(t.size()));
        for (const node& nd : t) {
            w.i32(nd.feature);
            if (nd.feature >= 0) {
                w.f32(nd.threshold);
                w.i32(nd.left);
                w.i32(nd.right);
            } else {
                w.f32(nd.value);
            }
        }
    }
}

bool gradient_boosted_trees::read(binary_reader& r) {
    classes_ = static_cast<int>(r.u32());
    width_ = r.u32();
    if (r.failed() || classes_ < 2 || classes_ > 16 || width_ == 0 || width_ > 4096) return false;
    base_.assign(static_cast<std::size_t>(classes_), 0.0);
    for (double& b : base_) b = r.f32();
    const std::uint32_t count = r.count(8);
    if (r.failed() || count % static_cast<std::uint32_t>(classes_) != 0) return false;
    trees_.assign(count, {});
    for (tree& t : trees_) {
        const std::uint32_t size = r.count(8);
        if (r.failed() || size == 0) return false;
        t.resize(size);
        for (std::uint32_t i = 0; i < size; ++i) {
            node& nd = t[i];
            nd.feature = r.i32();
            if (nd.feature >= 0) {
                nd.threshold = r.f32();
                nd.left = r.i32();
                nd.right = r.i32();
                // Children must point forward inside the tree: no cycles, no out of bounds.
                if (static_cast<std::size_t>(nd.feature) >= width_ || nd.left <= static_cast<std::int32_t>(i) ||
                    nd.right <= static_cast<std::int32_t>(i) || static_cast<std::uint32_t>(nd.left) >= size ||
                    static_cast<std::uint32_t>(nd.right) >= size)
                    return false;
            } else if (nd.feature != -1) {
                return false;
            } else {
                nd.value = r.f32();
            }
            if (r.failed()) return false;
        }
    }
    return !r.failed();
}

}  // namespace newswatch::stance
