#include "newswatch/stance/batch_classifier.hpp"

#include <algorithm>
#include <map>
#include <unordered_set>

#include "text_analysis.hpp"

namespace newswatch::stance {

std::string first_sentences_of(std::string_view text, std::size_t n) { return first_sentences(text, n); }

std::vector<stance_prediction> classify_dataset(const stance_model& model, const fnc_dataset& data,
                                                bool short_bodies) {
    std::vector<stance_prediction> out(data.pairs.size());
    std::map<std::string_view, std::vector<std::size_t>> by_body;
    for (std::size_t i = 0; i < data.pairs.size(); ++i) by_body[data.pairs[i].body_id].push_back(i);
    for (const auto& [id, indices] : by_body) {
        auto it = data.bodies.find(std::string(id));
        const std::string body = it == data.bodies.end() ? std::string()
                                 : short_bodies         ? first_sentences(it->second, 2)
                                                        : it->second;
        std::vector<std::string_view> claims;
        claims.reserve(indices.size());
        for (std::size_t i : indices) claims.push_back(data.pairs[i].headline);
        auto predictions = model.classify_all(claims, body);
        for (std::size_t k = 0; k < indices.size(); ++k) out[indices[k]] = std::move(predictions[k]);
    }
    return out;
}

namespace {

std::unordered_set<std::uint64_t> content_stems(std::string_view text) {
    std::unordered_set<std::uint64_t> s;
    for (const token& t : analyse_text(text).tokens)
        if (!(t.flags & flag_stop)) s.insert(t.stem);
    return s;
}

}  // namespace

double overlap_baseline::overlap(std::string_view headline, std::string_view body) {
    const auto h = content_stems(headline), b = content_stems(body);
    if (h.empty() && b.empty()) return 0.0;
    std::size_t both = 0;
    for (auto x : h) both += b.count(x);
    return static_cast<double>(both) / static_cast<double>(h.size() + b.size() - both);
}

void overlap_baseline::fit(const fnc_dataset& data) {
    std::vector<std::pair<double, double>> gains;  // overlap, FNC-1 gain when called related
    std::map<std::string, std::unordered_set<std::uint64_t>> bodies;
    for (const auto& [id, text] : data.bodies) bodies.emplace(id, content_stems(text));
    for (const auto& p : data.pairs) {
        if (!p.gold) continue;
        const auto h = content_stems(p.headline);
        const auto& b = bodies[p.body_id];
        std::size_t both = 0;
        for (auto x : h) both += b.count(x);
        const double u = static_cast<double>(h.size() + b.size() - both);
        // Calling a pair related (so `discuss`) instead of unrelated gains 0.25 for a related
        // pair (+0.75 more when it is discuss) and loses 0.25 for an unrelated one.
        const double gain = *p.gold == stance_label::unrelated ? -0.25
                            : *p.gold == stance_label::discuss  ? 1.0
                                                                : 0.25;
        gains.emplace_back(u > 0 ? static_cast<double>(both) / u : 0.0, gain);
    }
    std::sort(gains.begin(), gains.end());
    double best = 0, running = 0;
    threshold_ = gains.empty() ? 0.0 : gains.back().first;
    // Walking down from the highest overlap: calling pairs with overlap >= o related.
    for (std::size_t i = gains.size(); i-- > 0;) {
        running += gains[i].second;
        if (running > best && (i == 0 || gains[i - 1].first < gains[i].first)) {
            best = running;
            threshold_ = i == 0 ? gains[i].first : (gains[i - 1].first + gains[i].first) / 2;
        }
    }
}

stance_label overlap_baseline::predict(std::string_view headline, std::string_view body) const {
    return overlap(headline, body) >= threshold_ ? stance_label::discuss : stance_label::unrelated;
}

}  // namespace newswatch::stance
