#include "short_text_layer.hpp"

#include "event_lexicon.hpp"
#include "newswatch/stance/stance_model.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace newswatch::stance {

namespace {

bool content(const token& t) {
    return !(t.flags & flag_stop) && !(t.flags & flag_negation);
}

std::string folded_prefix(std::string_view text, const token& t) {
    return fold_prefix(text.substr(t.begin, t.end - t.begin));
}

double safe_log(double p) {
    return std::log(std::clamp(p, 1e-4, 1.0));
}

double capped_count(const analysed_text& text, std::uint16_t flags) {
    double n = 0;
    for (const token& t : text.tokens)
        if (t.flags & flags) ++n;
    return std::min(n, 3.0) / 3.0;
}

}  // namespace

bool is_short_text(const prepared_article& article) noexcept {
    return article.text.sentences.size() <= 3 && article.text.tokens.size() <= 80;
}

short_text_vector short_text_features(const prepared_claim& claim, std::string_view claim_text,
                                      const prepared_article& article, std::string_view text,
                                      const double related[2], const double stance[3]) {
    short_text_vector x{};
    x[0] = safe_log(related[0]);
    x[1] = safe_log(related[1]);
    for (int k = 0; k < 3; ++k) x[2 + k] = safe_log(stance[k]);

    std::vector<std::string> article_prefixes;
    std::uint32_t article_events = 0;
    for (const token& t : article.text.tokens)
        if (content(t)) {
            article_prefixes.push_back(folded_prefix(text, t));
            article_events |= event_groups(article_prefixes.back());
        }
    std::sort(article_prefixes.begin(), article_prefixes.end());
    // Claim words: each distinct stem once, weighted by its IDF (prepared_claim's order).
    // Names (capitalised words, numbers) say what the claim is about; the other words are its
    // predicate and its objects (join, send troops, ceasefire), which an item must also carry
    // to be about the claim. A capitalised word of the event lexicon (the claim's first word,
    // a title-case claim) counts as predicate.
    double covered = 0, total = 0, max_idf = 0, max_missing = 0, predicate = 0, predicate_missing = 0;
    std::size_t missing = 0, terms = 0, predicate_terms = 0, predicate_found = 0;
    std::vector<std::uint64_t> seen;
    for (const token& t : claim.text.tokens) {
        if (!content(t) || std::find(seen.begin(), seen.end(), t.stem) != seen.end()) continue;
        seen.push_back(t.stem);
        const auto at = std::find(claim.terms.begin(), claim.terms.end(), t.stem);
        const double w =
            at == claim.terms.end() ? 1.0 : claim.weights[static_cast<std::size_t>(at - claim.terms.begin())];
        ++terms;
        total += w;
        max_idf = std::max(max_idf, w);
        const std::string prefix = folded_prefix(claim_text, t);
        const bool found = article.tf.count(t.stem) != 0 ||
                           std::binary_search(article_prefixes.begin(), article_prefixes.end(), prefix);
        if (found)
            covered += w;
        else
            ++missing, max_missing = std::max(max_missing, w);
        const std::uint32_t events = event_groups(prefix);
        if (!(t.flags & flag_number) && (!(t.flags & flag_capital) || events != 0)) {
            const bool met = found || (events & article_events) != 0;
            ++predicate_terms;
            predicate += w;
            if (met)
                ++predicate_found;
            else
                predicate_missing += w;
        }
    }
    x[5] = total > 0 ? covered / total : 0.0;
    x[6] = terms > 0 ? static_cast<double>(missing) / static_cast<double>(terms) : 1.0;
    x[7] = max_idf > 0 ? max_missing / max_idf : 1.0;
    x[8] = capped_count(article.text, flag_refute | flag_negation);
    x[9] = capped_count(article.text, flag_hedge);
    x[10] = capped_count(article.text, flag_support);
    x[11] = article.text.question_marks > 0 ? 1.0 : 0.0;
    x[12] = predicate > 0 ? predicate_missing / predicate : 0.0;
    x[13] = predicate_terms > 0 ? 1.0 : 0.0;
    x[14] = predicate_terms > 0 && predicate_found == 0 ? 1.0 : 0.0;
    return x;
}

bool predicate_gate_closed(const short_text_vector& x) noexcept {
    return x[14] > 0.5;
}

void short_text_probabilities(const short_text_coefficients& c, const short_text_vector& x,
                              double probabilities[4]) noexcept {
    double z[4], top = -1e300;
    for (int k = 0; k < 4; ++k) {
        z[k] = c.bias[k];
        for (std::size_t j = 0; j < short_text_inputs; ++j) z[k] += c.weight[k][j] * x[j];
        top = std::max(top, z[k]);
    }
    double sum = 0;
    for (int k = 0; k < 4; ++k) sum += (probabilities[k] = std::exp(z[k] - top));
    for (int k = 0; k < 4; ++k) probabilities[k] /= sum;
    // The hard rule: no predicate word anywhere in the item, so it is not about the claim.
    // p(unrelated) becomes at least the share of unrelated items among the tuning items the rule
    // closed on (calibrated); the related labels keep their proportions in what is left.
    const int u = static_cast<int>(stance_label::unrelated);
    if (c.gate_unrelated > 0 && predicate_gate_closed(x) && probabilities[u] < c.gate_unrelated) {
        const double scale = (1.0 - c.gate_unrelated) / std::max(1e-12, 1.0 - probabilities[u]);
        for (int k = 0; k < 4; ++k) probabilities[k] = k == u ? c.gate_unrelated : probabilities[k] * scale;
    }
}

}  // namespace newswatch::stance
