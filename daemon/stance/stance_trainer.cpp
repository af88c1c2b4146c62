#include "newswatch/stance/stance_trainer.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <tuple>
#include <random>
#include <array>
#include <unordered_set>

#include "model_payload.hpp"
#include "newswatch/core/errc.hpp"

namespace newswatch::stance {

namespace {

void say(std::ostream* log, const std::string& line) {
    if (log) *log << line << '\n' << std::flush;
}

idf_table build_idf(const fnc_dataset& data) {
    std::map<std::uint64_t, std::uint32_t> df;
    std::size_t docs = 0;
    auto count_doc = [&](std::string_view text) {
        analysed_text a = analyse_text(text);
        std::unordered_set<std::uint64_t> seen;
        for (const token& t : a.tokens)
            if (seen.insert(t.stem).second) ++df[t.stem];
        ++docs;
    };
    for (const auto& [id, text] : data.bodies) count_doc(text);
    std::set<std::string> headlines;
    for (const auto& p : data.pairs) headlines.insert(p.headline);
    for (const auto& h : headlines) count_doc(h);
    idf_table idf;
    const double n = static_cast<double>(docs);
    // Words seen once carry no more information than unseen ones: they get unknown_idf.
    idf.unknown_idf = static_cast<float>(std::log((n + 1.0) / 2.0) + 1.0);
    for (const auto& [stem, count] : df)
        if (count >= 2) idf.idf.emplace(stem, static_cast<float>(std::log((n + 1.0) / (count + 1.0)) + 1.0));
    return idf;
}

}  // namespace

core::result<std::string> train_stance_model(const fnc_dataset& data, const train_options& options,
                                             std::ostream* log) {
    if (!data.has_gold || data.pairs.empty())
        return core::error{core::errc::invalid_argument, "training needs pairs with a Stance column"};
    model_payload model;
    model.idf = build_idf(data);
    say(log, "idf: " + std::to_string(model.idf.idf.size()) + " stems");

    std::map<std::string, prepared_article> full, shortened;
    for (const auto& [id, text] : data.bodies) {
        full.emplace(id, prepare_article(text, model.idf));
        if (options.augment_short) shortened.emplace(id, prepare_article(first_sentences(text, 2), model.idf));
    }
    std::map<std::string, prepared_claim> claims;
    for (const auto& p : data.pairs)
        if (!claims.count(p.headline)) claims.emplace(p.headline, prepare_claim(p.headline, model.idf));

    // Learned cue words, cross-fitted: the rows of each fold of claims get weights learned on
    // the other folds only, so the trees see them as they will be on unseen claims.
    constexpr std::size_t folds = 5;
    const std::vector<std::size_t> claim = claim_of_pairs(data);
    struct stem_stats {
        std::array<std::uint32_t, 3> count{};
        std::uint32_t claims = 0;
    };
    using stats_table = std::unordered_map<std::uint64_t, stem_stats>;
    std::vector<stats_table> body_stats(folds), head_stats(folds);
    std::vector<std::array<std::uint32_t, 3>> class_units(folds, std::array<std::uint32_t, 3>{});
    struct regression_example {
        region_stems regions;
        int label;
        std::size_t fold;
    };
    std::vector<regression_example> examples;
    {
        std::set<std::pair<std::uint64_t, std::size_t>> body_seen, head_seen;  // (stem, claim)
        feature_vector scratch;
        for (std::size_t i = 0; i < data.pairs.size(); ++i) {
            const fnc_pair& p = data.pairs[i];
            if (*p.gold == stance_label::unrelated) continue;
            const std::size_t fold = claim[i] % folds;
            const auto k = static_cast<std::size_t>(*p.gold);
            ++class_units[fold][k];
            const prepared_claim& c = claims.at(p.headline);
            const prepared_article& a = full.at(p.body_id);
            auto ranked = extract_features(c, a, model.idf, nullptr, scratch);
            examples.push_back(regression_example{stance_regions(c, a, ranked), static_cast<int>(k), fold});
            for (std::uint64_t stem : relevant_stems(a, ranked)) {
                stem_stats& st = body_stats[fold][stem];
                ++st.count[k];
                if (body_seen.emplace(stem, claim[i]).second) ++st.claims;
            }
            for (std::uint64_t stem : claim_stems(c)) {
                stem_stats& st = head_stats[fold][stem];
                ++st.count[k];
                if (head_seen.emplace(stem, claim[i]).second) ++st.claims;
            }
        }
    }
    // Weights from every fold except `skip` (folds == skip none: the final model's).
    auto learn = [&](std::size_t skip) {
        cue_weights w;
        std::array<double, 3> units{};
        for (std::size_t f = 0; f < folds; ++f)
            if (f != skip)
                for (std::size_t k = 0; k < 3; ++k) units[k] += class_units[f][k];
        const double total_units = units[0] + units[1] + units[2];
        for (auto [tables, target, min_claims] :
             {std::tuple{&body_stats, &w.body, options.min_cue_claims},
              std::tuple{&head_stats, &w.head, options.min_cue_claims}}) {
            stats_table merged;
            for (std::size_t f = 0; f < folds; ++f) {
                if (f == skip) continue;
                for (const auto& [stem, st] : (*tables)[f]) {
                    stem_stats& m = merged[stem];
                    for (std::size_t k = 0; k < 3; ++k) m.count[k] += st.count[k];
                    m.claims += st.claims;  // folds hold disjoint claims
                }
            }
            for (const auto& [stem, st] : merged) {
                if (st.claims < static_cast<std::uint32_t>(min_claims)) continue;
                std::array<float, 3> lo;
                const double all = static_cast<double>(st.count[0]) + st.count[1] + st.count[2];
                for (std::size_t k = 0; k < 3; ++k) {
                    const double in = (st.count[k] + 1.0) / (units[k] + 2.0);
                    const double out = (all - st.count[k] + 1.0) / (total_units - units[k] + 2.0);
                    lo[k] = static_cast<float>(std::log(in / out));
                }
                target->emplace(stem, lo);
            }
        }
        return w;
    };
    // The stacked regression, on the examples of every fold except `skip`, over the
    // vocabulary `w` kept (body stems for regions 0 and 1, claim stems for region 2).
    auto regress = [&](cue_weights& w, std::size_t skip) {
        std::array<std::unordered_map<std::uint64_t, std::size_t>, 3> index;
        std::array<std::vector<std::array<double, 3>>, 3> weights;
        for (std::size_t r = 0; r < 3; ++r) {
            const auto& vocab = r < 2 ? w.body : w.head;
            std::vector<std::uint64_t> keys;
            for (const auto& [stem, unused] : vocab) keys.push_back(stem);
            std::sort(keys.begin(), keys.end());
            for (std::uint64_t k : keys) index[r].emplace(k, index[r].size());
            weights[r].assign(keys.size(), std::array<double, 3>{});
        }
        std::vector<std::size_t> order;
        std::array<double, 3> freq{};
        for (std::size_t i = 0; i < examples.size(); ++i)
            if (examples[i].fold != skip) {
                order.push_back(i);
                freq[static_cast<std::size_t>(examples[i].label)] += 1;
            }
        const double most = std::max({freq[0], freq[1], freq[2]});
        std::array<double, 3> cw{};
        for (std::size_t c = 0; c < 3; ++c) cw[c] = freq[c] > 0 ? std::pow(most / freq[c], options.class_weight_power) : 1.0;
        std::array<double, 3> bias{};
        std::mt19937_64 rng(options.seed + 7 + skip);
        std::vector<std::size_t> active[3];
        for (int epoch = 0; epoch < options.regression_epochs; ++epoch) {
            for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng() % i]);
            const double rate = options.regression_rate / (1.0 + 0.5 * epoch);
            for (std::size_t idx : order) {
                const regression_example& ex = examples[idx];
                std::array<double, 3> z = bias;
                double scale[3] = {0, 0, 0};
                for (std::size_t r = 0; r < 3; ++r) {
                    active[r].clear();
                    for (std::uint64_t stem : ex.regions[r]) {
                        auto it = index[r].find(stem);
                        if (it != index[r].end()) active[r].push_back(it->second);
                    }
                    if (active[r].empty()) continue;
                    scale[r] = 1.0 / std::sqrt(static_cast<double>(active[r].size()));
                    for (std::size_t j : active[r])
                        for (std::size_t c = 0; c < 3; ++c) z[c] += weights[r][j][c] * scale[r];
                }
                const double m = std::max({z[0], z[1], z[2]});
                double total = 0;
                for (double& v : z) total += (v = std::exp(v - m));
                const double wy = cw[static_cast<std::size_t>(ex.label)];
                std::array<double, 3> g;
                for (std::size_t c = 0; c < 3; ++c)
                    g[c] = (z[c] / total - (static_cast<int>(c) == ex.label ? 1.0 : 0.0)) * wy;
                for (std::size_t c = 0; c < 3; ++c) bias[c] -= rate * g[c];
                for (std::size_t r = 0; r < 3; ++r)
                    for (std::size_t j : active[r])
                        for (std::size_t c = 0; c < 3; ++c)
                            weights[r][j][c] -= rate * (g[c] * scale[r] + options.regression_l2 * weights[r][j][c]);
            }
        }
        for (std::size_t r = 0; r < 3; ++r) {
            w.lr[r].clear();
            for (const auto& [stem, j] : index[r]) {
                const auto& v = weights[r][j];
                if (v[0] == 0 && v[1] == 0 && v[2] == 0) continue;
                w.lr[r].emplace(stem, std::array<float, 3>{static_cast<float>(v[0]), static_cast<float>(v[1]),
                                                           static_cast<float>(v[2])});
            }
        }
        for (std::size_t c = 0; c < 3; ++c) w.lr_bias[c] = static_cast<float>(bias[c]);
    };
    std::vector<cue_weights> fold_cues;
    for (std::size_t f = 0; f < folds; ++f) {
        fold_cues.push_back(learn(f));
        if (options.regression_epochs > 0) regress(fold_cues.back(), f);
    }
    model.cues = learn(folds);
    if (options.regression_epochs > 0) regress(model.cues, folds);
    say(log, "learned cue words: " + std::to_string(model.cues.body.size()) + " body stems, " +
                 std::to_string(model.cues.head.size()) + " claim stems");

    std::vector<float> rows_related, rows_stance;
    std::vector<int> y_related, y_stance;
    std::vector<float> w_related, w_stance;
    feature_vector f;
    auto add_row = [&](const fnc_pair& p, const prepared_article& article, const cue_weights& cues, float weight) {
        extract_features(claims.at(p.headline), article, model.idf, &cues, f);
        const bool related = *p.gold != stance_label::unrelated;
        rows_related.insert(rows_related.end(), f.begin(), f.end());
        y_related.push_back(related ? 1 : 0);
        w_related.push_back(weight);
        if (related) {
            rows_stance.insert(rows_stance.end(), f.begin(), f.end());
            y_stance.push_back(static_cast<int>(*p.gold));
            w_stance.push_back(weight);
        }
    };
    for (std::size_t i = 0; i < data.pairs.size(); ++i) {
        const fnc_pair& p = data.pairs[i];
        const cue_weights& cues = fold_cues[claim[i] % folds];
        add_row(p, full.at(p.body_id), cues, 1.0f);
        if (options.augment_short) add_row(p, shortened.at(p.body_id), cues, 1.0f);
    }
    say(log, "features: " + std::to_string(y_related.size()) + " rows, " + std::to_string(y_stance.size()) +
                 " related");

    // Class weights for stage 2: (max frequency / class frequency) ^ power.
    {
        double freq[3] = {0, 0, 0};
        for (int y : y_stance) freq[y] += 1;
        const double most = std::max({freq[0], freq[1], freq[2]});
        double cw[3];
        for (int k = 0; k < 3; ++k) cw[k] = freq[k] > 0 ? std::pow(most / freq[k], options.class_weight_power) : 1.0;
        for (std::size_t i = 0; i < y_stance.size(); ++i) w_stance[i] *= static_cast<float>(cw[y_stance[i]]);
        char buf[160];
        std::snprintf(buf, sizeof buf, "stage-2 class weights: agree %.2f disagree %.2f discuss %.2f", cw[0], cw[1], cw[2]);
        say(log, buf);
    }

    gbdt_params p1;
    p1.classes = 2;
    p1.rounds = options.related_rounds;
    p1.max_depth = options.related_depth;
    p1.learning_rate = options.learning_rate;
    p1.seed = options.seed;
    model.related.train(rows_related, feature_count, y_related, w_related, p1);
    say(log, "stage 1 (related/unrelated): " + std::to_string(model.related.tree_count()) + " trees");

    gbdt_params p2 = p1;
    p2.classes = 3;
    p2.rounds = options.stance_rounds;
    p2.max_depth = options.stance_depth;
    p2.seed = options.seed + 1;
    model.stance.train(rows_stance, feature_count, y_stance, w_stance, p2);
    say(log, "stage 2 (agree/disagree/discuss): " + std::to_string(model.stance.tree_count()) + " trees");

    char prov[512];
    std::snprintf(prov, sizeof prov,
                  "%s; %zu pairs, %zu bodies; seed %llu; short-body augmentation %s; rounds %d/%d, depth %d/%d, "
                  "learning rate %.3f, class weight power %.2f",
                  options.provenance.c_str(), data.pairs.size(), data.bodies.size(),
                  static_cast<unsigned long long>(options.seed), options.augment_short ? "on" : "off",
                  options.related_rounds, options.stance_rounds, options.related_depth, options.stance_depth,
                  options.learning_rate, options.class_weight_power);
    model.provenance = prov;
    return encode_model(model);
}

core::result<void> write_model_file(const std::filesystem::path& path, const std::string& bytes) {
    std::filesystem::path tmp = path;
    tmp += ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) return core::error{core::errc::io_error, "cannot write " + tmp.string()};
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        if (!out) return core::error{core::errc::io_error, "cannot write " + tmp.string()};
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) return core::error{core::errc::io_error, "cannot rename " + tmp.string() + " to " + path.string() + ": " + ec.message()};
    return {};
}

}  // namespace newswatch::stance
