#include "newswatch/stance/stance_model.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>

#include "model_payload.hpp"
#include "newswatch/core/errc.hpp"
#include "short_text_layer.hpp"

namespace newswatch::stance {

std::string_view to_string(stance_label label) noexcept {
    switch (label) {
        case stance_label::agree:
            return "agree";
        case stance_label::disagree:
            return "disagree";
        case stance_label::discuss:
            return "discuss";
        case stance_label::unrelated:
            return "unrelated";
    }
    return "unrelated";
}

struct stance_model::impl {
    model_payload payload;
    std::string version;
    bool short_text_layer = true;
};

namespace {

std::string trimmed(std::string_view s) {
    const char* ws = " \t\r\n";
    auto b = s.find_first_not_of(ws);
    if (b == std::string_view::npos) return {};
    auto e = s.find_last_not_of(ws);
    std::string out(s.substr(b, e - b + 1));
    std::replace(out.begin(), out.end(), '\n', ' ');
    return out;
}

void fill_evidence(const prepared_article& article, std::string_view text,
                   const std::vector<sentence_score>& ranked, stance_prediction& out) {
    constexpr std::uint16_t cue_flags = flag_refute | flag_hedge | flag_support | flag_negation;
    for (const sentence_score& s : ranked) {
        if (s.coverage <= 0) break;
        const sentence_span& span = article.text.sentences[s.sentence];
        evidence e;
        e.sentence = trimmed(text.substr(span.begin, span.end - span.begin));
        for (std::uint32_t i = span.first_token; i < span.last_token; ++i) {
            const token& t = article.text.tokens[i];
            if (!(t.flags & cue_flags) || (t.flags & flag_stop && !(t.flags & (flag_refute | flag_negation))))
                continue;
            std::string word(text.substr(t.begin, t.end - t.begin));
            if (std::find(e.cues.begin(), e.cues.end(), word) == e.cues.end())
                e.cues.push_back(std::move(word));
        }
        e.weight = s.coverage * (1.0 + 0.25 * static_cast<double>(e.cues.size()));
        out.evidence.push_back(std::move(e));
    }
    std::stable_sort(out.evidence.begin(), out.evidence.end(),
                     [](const evidence& a, const evidence& b) { return a.weight > b.weight; });
}

// The trees' stage 1 (unrelated, related) and stage 2 (agree, disagree, discuss) probabilities.
std::vector<sentence_score> tree_probabilities(const model_payload& m, const prepared_claim& claim,
                                               const prepared_article& article, double related[2],
                                               double stance[3]) {
    feature_vector f;
    auto ranked = extract_features(claim, article, m.idf, &m.cues, f);
    m.related.predict(f.data(), related);
    m.stance.predict(f.data(), stance);
    return ranked;
}

stance_prediction predict(const model_payload& m, bool short_text_layer, const prepared_claim& claim,
                          std::string_view claim_text, const prepared_article& article, std::string_view text,
                          bool with_evidence) {
    double related[2], stance[3];
    auto ranked = tree_probabilities(m, claim, article, related, stance);
    stance_prediction out;
    if (short_text_layer && is_short_text(article)) {
        // Feed items: the short-text layer decides (relevance gate + calibration).
        const auto x = short_text_features(claim, claim_text, article, text, related, stance);
        short_text_probabilities(fitted_short_text_coefficients, x, out.probabilities);
        out.label = static_cast<stance_label>(std::max_element(out.probabilities, out.probabilities + 4) -
                                              out.probabilities);
        out.confidence = out.probabilities[static_cast<int>(out.label)];
        if (with_evidence) fill_evidence(article, text, ranked, out);
        return out;
    }
    out.probabilities[static_cast<int>(stance_label::unrelated)] = related[0];
    for (int k = 0; k < 3; ++k) out.probabilities[k] = related[1] * stance[k];
    // Two-stage decision: related when stage 1 says so (p > 0.5), then stage 2's best label.
    // A plain argmax over the four products would call a pair "unrelated" at p(unrelated)
    // 0.4 whenever the related mass is split between labels.
    int best = 3;
    if (related[1] > related[0]) {
        best = 0;
        for (int k = 1; k < 3; ++k)
            if (stance[k] > stance[best]) best = k;
    }
    out.label = static_cast<stance_label>(best);
    out.confidence = out.probabilities[best];
    if (with_evidence) fill_evidence(article, text, ranked, out);
    return out;
}

}  // namespace

stance_model::stance_model(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
stance_model::stance_model(stance_model&&) noexcept = default;
stance_model& stance_model::operator=(stance_model&&) noexcept = default;
stance_model::~stance_model() = default;

core::result<stance_model> stance_model::load(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return core::error{core::errc::model_error, "cannot open stance model " + path.string()};
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) return core::error{core::errc::model_error, "cannot read stance model " + path.string()};
    return from_bytes(bytes, path.string());
}

core::result<stance_model> stance_model::from_bytes(std::string_view bytes, std::string_view name) {
    std::string fingerprint;
    auto payload = decode_model(bytes, name, fingerprint);
    if (!payload) return payload.err();
    auto p = std::make_unique<impl>();
    p->payload = std::move(payload.value());
    p->version = std::to_string(format_version) + "." + fingerprint;
    return stance_model(std::move(p));
}

stance_prediction stance_model::classify(std::string_view claim, std::string_view article,
                                         bool with_evidence) const {
    const prepared_claim c = prepare_claim(claim, impl_->payload.idf);
    const prepared_article a = prepare_article(article, impl_->payload.idf);
    return predict(impl_->payload, impl_->short_text_layer, c, claim, a, article, with_evidence);
}

std::vector<stance_prediction> stance_model::classify_all(const std::vector<std::string_view>& claims,
                                                          std::string_view article,
                                                          bool with_evidence) const {
    const prepared_article a = prepare_article(article, impl_->payload.idf);
    std::vector<stance_prediction> out;
    out.reserve(claims.size());
    for (std::string_view claim : claims)
        out.push_back(predict(impl_->payload, impl_->short_text_layer,
                              prepare_claim(claim, impl_->payload.idf), claim, a, article, with_evidence));
    return out;
}

std::vector<double> stance_model::short_text_inputs(std::string_view claim, std::string_view article) const {
    const prepared_claim c = prepare_claim(claim, impl_->payload.idf);
    const prepared_article a = prepare_article(article, impl_->payload.idf);
    double related[2], stance[3];
    tree_probabilities(impl_->payload, c, a, related, stance);
    const auto x = short_text_features(c, claim, a, article, related, stance);
    return {x.begin(), x.end()};
}

void stance_model::set_short_text_layer(bool on) noexcept {
    impl_->short_text_layer = on;
}

std::string_view stance_model::version() const noexcept {
    return impl_->version;
}
std::string_view stance_model::provenance() const noexcept {
    return impl_->payload.provenance;
}

}  // namespace newswatch::stance
