#include "feature_extractor.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_set>

namespace newswatch::stance {

namespace {

// Feature slots. Keep in sync with feature_names.
enum slot : std::size_t {
    f_cos_full, f_cos_lead, f_cos_best, f_cov_idf, f_cov_count, f_cov_lead, f_cov_best,
    f_cov_second, f_bigram, f_head_terms, f_body_tokens, f_sentences, f_top_term_present,
    f_top_term_tf, f_rare_matched, f_names_cov, f_numbers_cov, f_first_match_pos,
    f_match_sentence_share, f_head_len,
    // cues, rates per token: all body, lead, top-3 relevant sentences
    f_all_refute, f_all_hedge, f_all_support, f_all_negation, f_all_report,
    f_lead_refute, f_lead_hedge, f_lead_support, f_lead_negation, f_lead_report,
    f_top_refute, f_top_hedge, f_top_support, f_top_negation, f_top_report,
    // counts in the single best sentence
    f_best_refute, f_best_hedge, f_best_support, f_best_negation, f_best_report,
    // near the claim's words (window of 5 tokens)
    f_near_refute, f_near_negation, f_near_hedge, f_near_support,
    // claim
    f_head_refute, f_head_hedge, f_head_support, f_head_negation, f_head_question,
    f_head_quotes, f_head_report,
    // body punctuation
    f_body_questions, f_body_quotes,
    // polarity interactions
    f_neg_mismatch, f_refute_mismatch, f_cov_x_refute, f_cov_x_hedge,
    // the claim's words that the body reports but negates vs. states
    f_first_sentence_cov, f_first_sentence_refute, f_first_sentence_hedge,
    f_unmatched_names, f_bigram_lead, f_cos_second,
    // learned cues: mean log-odds (agree, disagree, discuss) over a region's known stems
    f_nb_top_agree, f_nb_top_disagree, f_nb_top_discuss,
    f_nb_all_agree, f_nb_all_disagree, f_nb_all_discuss,
    f_nb_lead_agree, f_nb_lead_disagree, f_nb_lead_discuss,
    f_nb_head_agree, f_nb_head_disagree, f_nb_head_discuss,
    f_lr_agree, f_lr_disagree, f_lr_discuss,
    f_count
};
static_assert(f_count == feature_count, "feature_count must match the slot list");

const char* const feature_names[feature_count] = {
    "cos_full", "cos_lead", "cos_best", "cov_idf", "cov_count", "cov_lead", "cov_best",
    "cov_second", "bigram", "head_terms", "body_tokens", "sentences", "top_term_present",
    "top_term_tf", "rare_matched", "names_cov", "numbers_cov", "first_match_pos",
    "match_sentence_share", "head_len",
    "all_refute", "all_hedge", "all_support", "all_negation", "all_report",
    "lead_refute", "lead_hedge", "lead_support", "lead_negation", "lead_report",
    "top_refute", "top_hedge", "top_support", "top_negation", "top_report",
    "best_refute", "best_hedge", "best_support", "best_negation", "best_report",
    "near_refute", "near_negation", "near_hedge", "near_support",
    "head_refute", "head_hedge", "head_support", "head_negation", "head_question",
    "head_quotes", "head_report", "body_questions", "body_quotes",
    "neg_mismatch", "refute_mismatch", "cov_x_refute", "cov_x_hedge",
    "first_sentence_cov", "first_sentence_refute", "first_sentence_hedge",
    "unmatched_names", "bigram_lead", "cos_second",
    "nb_top_agree", "nb_top_disagree", "nb_top_discuss", "nb_all_agree", "nb_all_disagree",
    "nb_all_discuss", "nb_lead_agree", "nb_lead_disagree", "nb_lead_discuss", "nb_head_agree",
    "nb_head_disagree", "nb_head_discuss", "lr_agree", "lr_disagree", "lr_discuss"};

constexpr std::uint16_t cue_mask = flag_refute | flag_hedge | flag_support | flag_negation | flag_report;

bool content(const token& t) { return !(t.flags & flag_stop) && !(t.flags & flag_negation); }

struct cue_counts {
    double refute = 0, hedge = 0, support = 0, negation = 0, report = 0, tokens = 0;
    void add(const token& t) {
        tokens += 1;
        if (t.flags & flag_refute) refute += 1;
        if (t.flags & flag_hedge) hedge += 1;
        if (t.flags & flag_support) support += 1;
        if (t.flags & flag_negation) negation += 1;
        if (t.flags & flag_report) report += 1;
    }
    void add_range(const analysed_text& a, std::uint32_t first, std::uint32_t last) {
        for (std::uint32_t i = first; i < last; ++i) add(a.tokens[i]);
    }
    void write_rates(feature_vector& out, std::size_t base) const {
        double d = tokens > 0 ? tokens : 1.0;
        out[base + 0] = static_cast<float>(100.0 * refute / d);
        out[base + 1] = static_cast<float>(100.0 * hedge / d);
        out[base + 2] = static_cast<float>(100.0 * support / d);
        out[base + 3] = static_cast<float>(100.0 * negation / d);
        out[base + 4] = static_cast<float>(100.0 * report / d);
    }
    void write_counts(feature_vector& out, std::size_t base) const {
        out[base + 0] = static_cast<float>(refute);
        out[base + 1] = static_cast<float>(hedge);
        out[base + 2] = static_cast<float>(support);
        out[base + 3] = static_cast<float>(negation);
        out[base + 4] = static_cast<float>(report);
    }
};

double log_tf(std::uint32_t tf) { return 1.0 + std::log(static_cast<double>(tf)); }

// Mean log-odds over the distinct stems of tokens[first, last) that `weights` knows.
void mean_log_odds(const std::unordered_map<std::uint64_t, std::array<float, 3>>& weights,
                   const std::vector<token>& tokens, std::uint32_t first, std::uint32_t last,
                   std::unordered_set<std::uint64_t>& seen, feature_vector& out, std::size_t base) {
    seen.clear();
    double sum[3] = {0, 0, 0};
    double n = 0;
    for (std::uint32_t i = first; i < last; ++i) {
        if (!seen.insert(tokens[i].stem).second) continue;
        auto it = weights.find(tokens[i].stem);
        if (it == weights.end()) continue;
        for (int k = 0; k < 3; ++k) sum[k] += it->second[static_cast<std::size_t>(k)];
        n += 1;
    }
    for (std::size_t k = 0; k < 3; ++k) out[base + k] = n > 0 ? static_cast<float>(sum[k] / n) : 0.0f;
}

}  // namespace

const char* feature_name(std::size_t index) noexcept {
    return index < feature_count ? feature_names[index] : "?";
}

prepared_article prepare_article(std::string_view article, const idf_table& idf) {
    prepared_article p;
    p.text = analyse_text(article);
    for (const token& t : p.text.tokens)
        if (content(t)) ++p.tf[t.stem];
    double n = 0;
    for (const auto& [stem, tf] : p.tf) {
        double w = log_tf(tf) * idf.get(stem);
        n += w * w;
    }
    p.norm = std::sqrt(n);
    return p;
}

prepared_claim prepare_claim(std::string_view claim, const idf_table& idf) {
    prepared_claim c;
    c.text = analyse_text(claim);
    std::unordered_set<std::uint64_t> seen;
    const token* prev = nullptr;
    for (const token& t : c.text.tokens) {
        if (!content(t)) continue;
        if (prev) c.bigrams.emplace_back(prev->stem, t.stem);
        prev = &t;
        if (!seen.insert(t.stem).second) continue;
        c.terms.push_back(t.stem);
        float w = idf.get(t.stem);
        c.weights.push_back(w);
        c.capital.push_back((t.flags & flag_capital) && &t != &c.text.tokens.front() ? 1 : 0);
        c.number.push_back(t.flags & flag_number ? 1 : 0);
        c.weight_sum += w;
        c.norm += static_cast<double>(w) * w;
    }
    c.norm = std::sqrt(c.norm);
    return c;
}

std::vector<sentence_score> extract_features(const prepared_claim& claim,
                                             const prepared_article& article,
                                             const idf_table& idf, const cue_weights* cues,
                                             feature_vector& out, std::size_t keep) {
    out.fill(0.0f);
    const analysed_text& body = article.text;
    const std::size_t nterms = claim.terms.size();
    std::unordered_map<std::uint64_t, std::size_t> term_index;
    for (std::size_t i = 0; i < nterms; ++i) term_index.emplace(claim.terms[i], i);

    // Whole-body similarity.
    double dot = 0, cov_idf = 0, cov_count = 0, names = 0, names_hit = 0, numbers = 0,
           numbers_hit = 0, rare_matched = 0;
    std::size_t top = 0;
    for (std::size_t i = 0; i < nterms; ++i) {
        if (claim.weights[i] > claim.weights[top]) top = i;
        auto it = article.tf.find(claim.terms[i]);
        bool hit = it != article.tf.end();
        if (claim.capital[i]) { names += 1; if (hit) names_hit += 1; }
        if (claim.number[i]) { numbers += 1; if (hit) numbers_hit += 1; }
        if (!hit) continue;
        dot += static_cast<double>(claim.weights[i]) * log_tf(it->second) * claim.weights[i];
        cov_idf += claim.weights[i];
        cov_count += 1;
        if (claim.weights[i] > 5.0f) rare_matched += 1;
    }
    const double denom = claim.norm * article.norm;
    out[f_cos_full] = denom > 0 ? static_cast<float>(dot / denom) : 0.0f;
    out[f_cov_idf] = claim.weight_sum > 0 ? static_cast<float>(cov_idf / claim.weight_sum) : 0.0f;
    out[f_cov_count] = nterms ? static_cast<float>(cov_count / nterms) : 0.0f;
    out[f_head_terms] = static_cast<float>(nterms);
    out[f_body_tokens] = static_cast<float>(std::log1p(body.tokens.size()));
    out[f_sentences] = static_cast<float>(std::log1p(body.sentences.size()));
    out[f_head_len] = static_cast<float>(claim.text.tokens.size());
    if (nterms) {
        auto it = article.tf.find(claim.terms[top]);
        out[f_top_term_present] = it != article.tf.end() ? 1.0f : 0.0f;
        out[f_top_term_tf] = it != article.tf.end() ? static_cast<float>(std::log1p(it->second)) : 0.0f;
    }
    out[f_rare_matched] = static_cast<float>(rare_matched);
    out[f_names_cov] = names > 0 ? static_cast<float>(names_hit / names) : -1.0f;
    out[f_numbers_cov] = numbers > 0 ? static_cast<float>(numbers_hit / numbers) : -1.0f;
    out[f_unmatched_names] = static_cast<float>(names - names_hit);

    // Bigrams of the claim present in the body (and in its lead).
    std::uint32_t lead_end_token = 0;
    const std::size_t lead_sentences = std::min<std::size_t>(2, body.sentences.size());
    if (lead_sentences) lead_end_token = body.sentences[lead_sentences - 1].last_token;
    if (!claim.bigrams.empty()) {
        // Look each body bigram up among the claim's few bigrams (a full article has hundreds
        // of bigrams and a claim a handful: no set of the body's bigrams is built).
        std::vector<std::uint64_t> keys;
        keys.reserve(claim.bigrams.size());
        for (const auto& [a, b] : claim.bigrams) keys.push_back(a * 31 + b);
        std::vector<std::uint8_t> in_body(keys.size(), 0), in_lead(keys.size(), 0);
        const token* prev = nullptr;
        for (std::uint32_t i = 0; i < body.tokens.size(); ++i) {
            const token& t = body.tokens[i];
            if (!content(t)) continue;
            if (prev) {
                const std::uint64_t key = prev->stem * 31 + t.stem;
                for (std::size_t k = 0; k < keys.size(); ++k)
                    if (keys[k] == key) {
                        in_body[k] = 1;
                        if (i < lead_end_token) in_lead[k] = 1;
                    }
            }
            prev = &t;
        }
        // Counted per claim bigram (a repeated claim bigram counts each time, as before).
        double hit = 0, lead_hit = 0;
        for (std::size_t k = 0; k < keys.size(); ++k) {
            hit += in_body[k];
            lead_hit += in_lead[k];
        }
        out[f_bigram] = static_cast<float>(hit / claim.bigrams.size());
        out[f_bigram_lead] = static_cast<float>(lead_hit / claim.bigrams.size());
    }

    // Per-sentence coverage and cosine.
    std::vector<sentence_score> scores;
    scores.reserve(body.sentences.size());
    std::vector<double> sentence_cos(body.sentences.size(), 0.0);
    std::vector<std::uint8_t> seen(nterms, 0);
    std::unordered_map<std::uint64_t, std::uint32_t> lead_tf;
    double first_match = -1;
    double matching_sentences = 0;
    for (std::uint32_t s = 0; s < body.sentences.size(); ++s) {
        const sentence_span& span = body.sentences[s];
        std::fill(seen.begin(), seen.end(), 0);
        double cov = 0, sdot = 0, snorm = 0;
        std::uint32_t cues = 0;
        std::unordered_map<std::uint64_t, std::uint32_t> stf;
        for (std::uint32_t i = span.first_token; i < span.last_token; ++i) {
            const token& t = body.tokens[i];
            if (t.flags & cue_mask) ++cues;
            if (!content(t)) continue;
            ++stf[t.stem];
            if (s < lead_sentences) ++lead_tf[t.stem];
            auto it = term_index.find(t.stem);
            if (it != term_index.end() && !seen[it->second]) {
                seen[it->second] = 1;
                cov += claim.weights[it->second];
            }
        }
        for (const auto& [stem, tf] : stf) {
            double w = log_tf(tf) * idf.get(stem);
            snorm += w * w;
            auto it = term_index.find(stem);
            if (it != term_index.end()) sdot += w * claim.weights[it->second];
        }
        double c = claim.weight_sum > 0 ? cov / claim.weight_sum : 0.0;
        sentence_cos[s] = (snorm > 0 && claim.norm > 0) ? sdot / (std::sqrt(snorm) * claim.norm) : 0.0;
        if (c >= 0.5) {
            matching_sentences += 1;
            if (first_match < 0) first_match = s;
        }
        scores.push_back(sentence_score{s, c, cues});
    }
    // Lead cosine and coverage.
    {
        double ldot = 0, lnorm = 0, lcov = 0;
        for (const auto& [stem, tf] : lead_tf) {
            double w = log_tf(tf) * idf.get(stem);
            lnorm += w * w;
            auto it = term_index.find(stem);
            if (it != term_index.end()) {
                ldot += w * claim.weights[it->second];
                lcov += claim.weights[it->second];
            }
        }
        out[f_cos_lead] = (lnorm > 0 && claim.norm > 0) ? static_cast<float>(ldot / (std::sqrt(lnorm) * claim.norm)) : 0.0f;
        out[f_cov_lead] = claim.weight_sum > 0 ? static_cast<float>(lcov / claim.weight_sum) : 0.0f;
    }
    const std::size_t ns = body.sentences.size();
    out[f_first_match_pos] = first_match < 0 ? 1.5f : static_cast<float>(first_match / std::max<std::size_t>(1, ns));
    out[f_match_sentence_share] = ns ? static_cast<float>(matching_sentences / ns) : 0.0f;
    if (ns) {
        out[f_first_sentence_cov] = static_cast<float>(scores[0].coverage);
        cue_counts first;
        first.add_range(body, body.sentences[0].first_token, body.sentences[0].last_token);
        out[f_first_sentence_refute] = static_cast<float>(first.refute);
        out[f_first_sentence_hedge] = static_cast<float>(first.hedge);
    }
    {
        std::vector<double> cs = sentence_cos;
        std::sort(cs.begin(), cs.end(), std::greater<>());
        out[f_cos_best] = cs.empty() ? 0.0f : static_cast<float>(cs[0]);
        out[f_cos_second] = cs.size() > 1 ? static_cast<float>(cs[1]) : 0.0f;
    }

    // Rank sentences: coverage first, earlier sentence on ties (stable, deterministic).
    std::vector<sentence_score> ranked = scores;
    std::stable_sort(ranked.begin(), ranked.end(), [](const sentence_score& a, const sentence_score& b) {
        return a.coverage > b.coverage;
    });
    out[f_cov_best] = ranked.empty() ? 0.0f : static_cast<float>(ranked[0].coverage);
    out[f_cov_second] = ranked.size() > 1 ? static_cast<float>(ranked[1].coverage) : 0.0f;

    // Cues: all, lead, top-3, best sentence.
    cue_counts all, lead, top3, best;
    for (const token& t : body.tokens) all.add(t);
    if (lead_sentences) lead.add_range(body, 0, lead_end_token);
    for (std::size_t k = 0; k < ranked.size() && k < 3; ++k) {
        if (ranked[k].coverage <= 0) break;
        const sentence_span& span = body.sentences[ranked[k].sentence];
        top3.add_range(body, span.first_token, span.last_token);
        if (k == 0) best.add_range(body, span.first_token, span.last_token);
    }
    all.write_rates(out, f_all_refute);
    lead.write_rates(out, f_lead_refute);
    top3.write_rates(out, f_top_refute);
    best.write_counts(out, f_best_refute);

    // Cue words within 5 tokens of a claim word in the body.
    {
        double near_refute = 0, near_neg = 0, near_hedge = 0, near_support = 0;
        const auto& toks = body.tokens;
        std::size_t last_marked = 0;
        for (std::size_t i = 0; i < toks.size(); ++i) {
            if (!content(toks[i]) || !term_index.count(toks[i].stem)) continue;
            std::size_t from = std::max(i >= 5 ? i - 5 : 0, last_marked);
            std::size_t to = std::min(toks.size(), i + 6);
            for (std::size_t j = from; j < to; ++j) {
                if (toks[j].sentence != toks[i].sentence) continue;
                if (toks[j].flags & flag_refute) near_refute += 1;
                if (toks[j].flags & flag_negation) near_neg += 1;
                if (toks[j].flags & flag_hedge) near_hedge += 1;
                if (toks[j].flags & flag_support) near_support += 1;
            }
            last_marked = to;
        }
        double d = std::max(1.0, static_cast<double>(toks.size()) / 100.0);
        out[f_near_refute] = static_cast<float>(near_refute / d);
        out[f_near_negation] = static_cast<float>(near_neg / d);
        out[f_near_hedge] = static_cast<float>(near_hedge / d);
        out[f_near_support] = static_cast<float>(near_support / d);
    }

    // The claim's own cues.
    cue_counts head;
    for (const token& t : claim.text.tokens) head.add(t);
    head.write_counts(out, f_head_refute);
    // write_counts wrote refute, hedge, support, negation, report into 5 consecutive slots
    // starting at f_head_refute; the slot order there is refute, hedge, support, negation,
    // question, so move report to its own slot and put the question mark where it belongs.
    out[f_head_report] = static_cast<float>(head.report);
    out[f_head_question] = static_cast<float>(claim.text.question_marks);
    out[f_head_quotes] = static_cast<float>(claim.text.quote_marks);
    const double tokens100 = std::max(1.0, static_cast<double>(body.tokens.size()) / 100.0);
    out[f_body_questions] = static_cast<float>(body.question_marks / tokens100);
    out[f_body_quotes] = static_cast<float>(body.quote_marks / tokens100);

    const bool head_neg = head.negation > 0 || head.refute > 0;
    const bool body_neg = top3.negation > 0 || top3.refute > 0;
    out[f_neg_mismatch] = head_neg != body_neg ? 1.0f : 0.0f;
    out[f_refute_mismatch] = static_cast<float>((head.refute > 0 ? 1.0 : 0.0) - (top3.refute > 0 ? 1.0 : 0.0));
    out[f_cov_x_refute] = out[f_cov_best] * out[f_top_refute];
    out[f_cov_x_hedge] = out[f_cov_best] * out[f_top_hedge];

    if (cues) {
        std::unordered_set<std::uint64_t> seen;
        seen.reserve(body.tokens.size());  // membership only: no effect on the figures
        // The top-3 sentences, as one region: collect their tokens' stems.
        double sum[3] = {0, 0, 0};
        double n = 0;
        for (std::size_t k = 0; k < ranked.size() && k < 3; ++k) {
            if (ranked[k].coverage <= 0) break;
            const sentence_span& span = body.sentences[ranked[k].sentence];
            for (std::uint32_t i = span.first_token; i < span.last_token; ++i) {
                if (!seen.insert(body.tokens[i].stem).second) continue;
                auto it = cues->body.find(body.tokens[i].stem);
                if (it == cues->body.end()) continue;
                for (std::size_t c = 0; c < 3; ++c) sum[c] += it->second[c];
                n += 1;
            }
        }
        for (std::size_t c = 0; c < 3; ++c) out[f_nb_top_agree + c] = n > 0 ? static_cast<float>(sum[c] / n) : 0.0f;
        mean_log_odds(cues->body, body.tokens, 0, static_cast<std::uint32_t>(body.tokens.size()), seen, out, f_nb_all_agree);
        mean_log_odds(cues->body, body.tokens, 0, lead_end_token, seen, out, f_nb_lead_agree);
        mean_log_odds(cues->head, claim.text.tokens, 0, static_cast<std::uint32_t>(claim.text.tokens.size()), seen, out,
                      f_nb_head_agree);
        const auto p = regression_probabilities(*cues, stance_regions(claim, article, ranked));
        for (std::size_t c = 0; c < 3; ++c) out[f_lr_agree + c] = static_cast<float>(p[c]);
    }

    if (ranked.size() > keep) ranked.resize(keep);
    return ranked;
}

std::vector<std::uint64_t> relevant_stems(const prepared_article& article,
                                          const std::vector<sentence_score>& ranked) {
    std::vector<std::uint64_t> out;
    for (std::size_t k = 0; k < ranked.size() && k < 3; ++k) {
        if (ranked[k].coverage <= 0) break;
        const sentence_span& span = article.text.sentences[ranked[k].sentence];
        for (std::uint32_t i = span.first_token; i < span.last_token; ++i) out.push_back(article.text.tokens[i].stem);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

region_stems stance_regions(const prepared_claim& claim, const prepared_article& article,
                            const std::vector<sentence_score>& ranked) {
    region_stems r;
    r[0] = relevant_stems(article, ranked);
    const analysed_text& body = article.text;
    const std::size_t lead_sentences = std::min<std::size_t>(2, body.sentences.size());
    const std::uint32_t lead_end = lead_sentences ? body.sentences[lead_sentences - 1].last_token : 0;
    for (std::uint32_t i = 0; i < lead_end; ++i) r[1].push_back(body.tokens[i].stem);
    std::sort(r[1].begin(), r[1].end());
    r[1].erase(std::unique(r[1].begin(), r[1].end()), r[1].end());
    r[2] = claim_stems(claim);
    return r;
}

std::array<double, 3> regression_probabilities(const cue_weights& cues, const region_stems& regions) {
    std::array<double, 3> z{cues.lr_bias[0], cues.lr_bias[1], cues.lr_bias[2]};
    for (std::size_t r = 0; r < 3; ++r) {
        std::size_t n = 0;
        std::array<double, 3> sum{};
        for (std::uint64_t stem : regions[r]) {
            auto it = cues.lr[r].find(stem);
            if (it == cues.lr[r].end()) continue;
            for (std::size_t c = 0; c < 3; ++c) sum[c] += it->second[c];
            ++n;
        }
        if (!n) continue;
        const double scale = 1.0 / std::sqrt(static_cast<double>(n));
        for (std::size_t c = 0; c < 3; ++c) z[c] += sum[c] * scale;
    }
    const double m = std::max({z[0], z[1], z[2]});
    double total = 0;
    for (double& v : z) total += (v = std::exp(v - m));
    for (double& v : z) v /= total;
    return z;
}

std::vector<std::uint64_t> claim_stems(const prepared_claim& claim) {
    std::vector<std::uint64_t> out;
    for (const token& t : claim.text.tokens) out.push_back(t.stem);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

}  // namespace newswatch::stance
