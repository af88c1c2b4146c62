#include "short_text_layer.hpp"

#include <utf8proc.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace newswatch::stance {

namespace {

// Words compared by their first few letters: long enough to keep topics apart, short enough
// that inflections and derived forms of one word meet.
constexpr std::size_t prefix_code_points = 5;

bool content(const token& t) {
    return !(t.flags & flag_stop) && !(t.flags & flag_negation);
}

// The case-folded first `prefix_code_points` code points of a token's surface form.
std::string folded_prefix(std::string_view text, const token& t) {
    utf8proc_uint8_t* folded = nullptr;
    const auto n = utf8proc_map(
        reinterpret_cast<const utf8proc_uint8_t*>(text.data() + t.begin),
        static_cast<utf8proc_ssize_t>(t.end - t.begin), &folded,
        static_cast<utf8proc_option_t>(UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK | UTF8PROC_COMPOSE));
    std::string out;
    if (n > 0) {
        std::string_view s(reinterpret_cast<const char*>(folded), static_cast<std::size_t>(n));
        std::size_t cps = 0, i = 0;
        while (i < s.size() && cps < prefix_code_points) {
            std::size_t len = 1;
            const auto c = static_cast<unsigned char>(s[i]);
            if (c >= 0xF0)
                len = 4;
            else if (c >= 0xE0)
                len = 3;
            else if (c >= 0xC0)
                len = 2;
            i = std::min(s.size(), i + len);
            ++cps;
        }
        out.assign(s.substr(0, i));
    }
    std::free(folded);
    return out;
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
    for (const token& t : article.text.tokens)
        if (content(t)) article_prefixes.push_back(folded_prefix(text, t));
    std::sort(article_prefixes.begin(), article_prefixes.end());
    // Claim words: each distinct stem once, weighted by its IDF (prepared_claim's order).
    double covered = 0, total = 0, max_idf = 0, max_missing = 0, predicate = 0, predicate_missing = 0;
    std::size_t missing = 0, terms = 0;
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
        const bool found = article.tf.count(t.stem) != 0 ||
                           std::binary_search(article_prefixes.begin(), article_prefixes.end(),
                                              folded_prefix(claim_text, t));
        if (found)
            covered += w;
        else
            ++missing, max_missing = std::max(max_missing, w);
        if (!(t.flags & flag_capital)) {
            predicate += w;
            if (!found) predicate_missing += w;
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
    return x;
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
}

}  // namespace newswatch::stance
