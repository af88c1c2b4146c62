#include "newswatch/stance/fnc_data.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <numeric>
#include <random>
#include <set>
#include <unordered_map>

#include "newswatch/core/errc.hpp"
#include "newswatch/stance/csv_reader.hpp"

namespace newswatch::stance {

namespace {

core::error data_error(std::string_view file, std::size_t line, const std::string& what) {
    // Appended step by step: g++ 12 -O3 reports a false -Wrestrict on the chained operator+.
    std::string message(file);
    if (line) {
        message += ':';
        message += std::to_string(line);
    }
    message += ": ";
    message += what;
    return core::error{core::errc::parse_error, std::move(message)};
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

int column(const csv_row& header, std::string_view name) {
    for (std::size_t i = 0; i < header.size(); ++i)
        if (lower(header[i]) == lower(name)) return static_cast<int>(i);
    return -1;
}

core::result<std::string> read_all(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return core::error{core::errc::io_error, "cannot open " + path.string()};
    std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) return core::error{core::errc::io_error, "cannot read " + path.string()};
    return s;
}

// Union-find over headline and body nodes.
struct disjoint_sets {
    std::vector<std::size_t> parent;
    explicit disjoint_sets(std::size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0); }
    std::size_t find(std::size_t x) {
        while (parent[x] != x) x = parent[x] = parent[parent[x]];
        return x;
    }
    void join(std::size_t a, std::size_t b) {
        a = find(a);
        b = find(b);
        if (a != b) parent[std::max(a, b)] = std::min(a, b);
    }
};

struct claim_graph {
    std::map<std::string, std::size_t> headline_node, body_node;
    std::vector<std::size_t> pair_claim;  // component root of each pair's headline
    std::vector<std::size_t> pair_body_claim;
    std::vector<std::size_t> roots;       // distinct components, ascending
};

claim_graph build_graph(const fnc_dataset& data) {
    claim_graph g;
    for (const auto& p : data.pairs) {
        g.headline_node.emplace(p.headline, 0);
        g.body_node.emplace(p.body_id, 0);
    }
    std::size_t next = 0;
    for (auto& [k, v] : g.headline_node) v = next++;
    for (auto& [k, v] : g.body_node) v = next++;
    disjoint_sets sets(next);
    for (const auto& p : data.pairs)
        if (p.gold && *p.gold != stance_label::unrelated)
            sets.join(g.headline_node.at(p.headline), g.body_node.at(p.body_id));
    std::set<std::size_t> roots;
    for (const auto& p : data.pairs) {
        g.pair_claim.push_back(sets.find(g.headline_node.at(p.headline)));
        g.pair_body_claim.push_back(sets.find(g.body_node.at(p.body_id)));
        roots.insert(g.pair_claim.back());
        roots.insert(g.pair_body_claim.back());
    }
    g.roots.assign(roots.begin(), roots.end());
    return g;
}

void add_pair(fnc_dataset& to, const fnc_dataset& from, const fnc_pair& p) {
    to.pairs.push_back(p);
    auto it = from.bodies.find(p.body_id);
    if (it != from.bodies.end()) to.bodies.emplace(it->first, it->second);
}

}  // namespace

std::optional<stance_label> parse_stance_label(std::string_view text) noexcept {
    std::string_view t = text;
    while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
    while (!t.empty() && (t.back() == ' ' || t.back() == '\t' || t.back() == '\r')) t.remove_suffix(1);
    if (t.size() > 9) return std::nullopt;
    std::string l = lower(t);
    if (l == "agree") return stance_label::agree;
    if (l == "disagree") return stance_label::disagree;
    if (l == "discuss") return stance_label::discuss;
    if (l == "unrelated") return stance_label::unrelated;
    return std::nullopt;
}

core::result<fnc_dataset> parse_fnc(std::string_view bodies_csv, std::string_view pairs_csv,
                                    std::string_view bodies_name, std::string_view pairs_name) {
    fnc_dataset data;
    auto bodies = parse_csv(bodies_csv);
    if (!bodies) return data_error(bodies_name, 0, bodies.err().message);
    const int id_col = column(bodies->header, "Body ID");
    const int text_col = column(bodies->header, "articleBody");
    if (id_col < 0 || text_col < 0)
        return data_error(bodies_name, 1, "header must name the columns 'Body ID' and 'articleBody'");
    for (std::size_t i = 0; i < bodies->rows.size(); ++i) {
        const csv_row& row = bodies->rows[i];
        if (row.size() <= static_cast<std::size_t>(std::max(id_col, text_col)))
            return data_error(bodies_name, bodies->row_lines[i], "too few fields");
        data.bodies[row[static_cast<std::size_t>(id_col)]] = row[static_cast<std::size_t>(text_col)];
    }

    auto pairs = parse_csv(pairs_csv);
    if (!pairs) return data_error(pairs_name, 0, pairs.err().message);
    const int head_col = column(pairs->header, "Headline");
    const int body_col = column(pairs->header, "Body ID");
    const int stance_col = column(pairs->header, "Stance");
    if (head_col < 0 || body_col < 0)
        return data_error(pairs_name, 1, "header must name the columns 'Headline' and 'Body ID'");
    data.has_gold = stance_col >= 0;
    for (std::size_t i = 0; i < pairs->rows.size(); ++i) {
        const csv_row& row = pairs->rows[i];
        const std::size_t line = pairs->row_lines[i];
        if (row.size() <= static_cast<std::size_t>(std::max(head_col, body_col)))
            return data_error(pairs_name, line, "too few fields");
        fnc_pair p{row[static_cast<std::size_t>(head_col)], row[static_cast<std::size_t>(body_col)], std::nullopt};
        if (!data.bodies.count(p.body_id))
            return data_error(pairs_name, line, "Body ID '" + p.body_id + "' is not in " + std::string(bodies_name));
        if (stance_col >= 0) {
            if (row.size() <= static_cast<std::size_t>(stance_col))
                return data_error(pairs_name, line, "missing Stance field");
            p.gold = parse_stance_label(row[static_cast<std::size_t>(stance_col)]);
            if (!p.gold)
                return data_error(pairs_name, line, "unknown stance '" + row[static_cast<std::size_t>(stance_col)] +
                                                        "' (want agree, disagree, discuss or unrelated)");
        }
        data.pairs.push_back(std::move(p));
    }
    return data;
}

core::result<fnc_dataset> load_fnc(const std::filesystem::path& bodies_csv,
                                   const std::filesystem::path& pairs_csv) {
    auto b = read_all(bodies_csv);
    if (!b) return b.err();
    auto p = read_all(pairs_csv);
    if (!p) return p.err();
    return parse_fnc(*b, *p, bodies_csv.string(), pairs_csv.string());
}

fnc_split split_by_claim(const fnc_dataset& data, double fraction, std::uint64_t seed) {
    fnc_split out;
    out.train.has_gold = out.dev.has_gold = data.has_gold;
    claim_graph g = build_graph(data);
    // Related pairs per claim, then claims in a seeded order (Fisher-Yates on mt19937_64,
    // whose output is fixed by the standard).
    std::unordered_map<std::size_t, std::size_t> related;
    std::size_t total_related = 0;
    for (std::size_t i = 0; i < data.pairs.size(); ++i)
        if (data.pairs[i].gold && *data.pairs[i].gold != stance_label::unrelated) {
            ++related[g.pair_claim[i]];
            ++total_related;
        }
    std::vector<std::size_t> order = g.roots;
    std::mt19937_64 rng(seed);
    for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng() % i]);
    std::set<std::size_t> dev_claims;
    std::size_t dev_related = 0;
    const auto want = static_cast<std::size_t>(fraction * static_cast<double>(total_related));
    for (std::size_t root : order) {
        if (dev_related >= want) break;
        auto it = related.find(root);
        if (it == related.end()) continue;
        dev_claims.insert(root);
        dev_related += it->second;
    }
    for (std::size_t i = 0; i < data.pairs.size(); ++i) {
        const bool head_dev = dev_claims.count(g.pair_claim[i]) > 0;
        const bool body_dev = dev_claims.count(g.pair_body_claim[i]) > 0;
        if (head_dev != body_dev) {
            ++out.dropped_pairs;
            continue;
        }
        add_pair(head_dev ? out.dev : out.train, data, data.pairs[i]);
    }
    return out;
}

fnc_split split_by_claim_fold(const fnc_dataset& data, std::size_t folds, std::size_t fold,
                              std::uint64_t seed) {
    fnc_split out;
    out.train.has_gold = out.dev.has_gold = data.has_gold;
    claim_graph g = build_graph(data);
    std::unordered_map<std::size_t, std::size_t> related;
    for (std::size_t i = 0; i < data.pairs.size(); ++i)
        if (data.pairs[i].gold && *data.pairs[i].gold != stance_label::unrelated) ++related[g.pair_claim[i]];
    std::vector<std::size_t> order = g.roots;
    std::mt19937_64 rng(seed);
    for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng() % i]);
    folds = std::max<std::size_t>(1, folds);
    std::vector<std::size_t> load(folds, 0);
    std::unordered_map<std::size_t, std::size_t> fold_of;
    std::size_t round_robin = 0;
    for (std::size_t root : order) {
        auto it = related.find(root);
        std::size_t f;
        if (it == related.end()) {
            f = round_robin++ % folds;
        } else {
            f = static_cast<std::size_t>(std::min_element(load.begin(), load.end()) - load.begin());
            load[f] += it->second;
        }
        fold_of[root] = f;
    }
    for (std::size_t i = 0; i < data.pairs.size(); ++i) {
        const bool head_dev = fold_of[g.pair_claim[i]] == fold;
        const bool body_dev = fold_of[g.pair_body_claim[i]] == fold;
        if (head_dev != body_dev) {
            ++out.dropped_pairs;
            continue;
        }
        add_pair(head_dev ? out.dev : out.train, data, data.pairs[i]);
    }
    return out;
}

fnc_split split_by_text(const fnc_dataset& data, double fraction, std::uint64_t seed) {
    fnc_split out;
    out.train.has_gold = out.dev.has_gold = data.has_gold;
    std::mt19937_64 rng(seed);
    auto draw = [&] { return static_cast<double>(rng() >> 11) * 0x1.0p-53 < fraction; };
    std::map<std::string, bool> head_dev, body_dev;
    for (const auto& p : data.pairs) {
        head_dev.emplace(p.headline, false);
        body_dev.emplace(p.body_id, false);
    }
    for (auto& [k, v] : head_dev) v = draw();
    for (auto& [k, v] : body_dev) v = draw();
    for (const auto& p : data.pairs) {
        const bool h = head_dev.at(p.headline), b = body_dev.at(p.body_id);
        if (h != b) {
            ++out.dropped_pairs;
            continue;
        }
        add_pair(h ? out.dev : out.train, data, p);
    }
    return out;
}

std::vector<std::size_t> claim_of_pairs(const fnc_dataset& data) {
    claim_graph g = build_graph(data);
    std::map<std::size_t, std::size_t> rank;
    for (std::size_t i = 0; i < g.roots.size(); ++i) rank[g.roots[i]] = i;
    std::vector<std::size_t> out;
    out.reserve(data.pairs.size());
    for (std::size_t root : g.pair_claim) out.push_back(rank[root]);
    return out;
}

fnc_dataset slice_by_claim(const fnc_dataset& data, std::size_t keep_every) {
    fnc_dataset out;
    out.has_gold = data.has_gold;
    claim_graph g = build_graph(data);
    std::map<std::size_t, std::size_t> rank;
    for (std::size_t i = 0; i < g.roots.size(); ++i) rank[g.roots[i]] = i;
    const std::size_t k = std::max<std::size_t>(1, keep_every);
    for (std::size_t i = 0; i < data.pairs.size(); ++i) {
        if (rank[g.pair_claim[i]] % k != 0 || rank[g.pair_body_claim[i]] % k != 0) continue;
        add_pair(out, data, data.pairs[i]);
    }
    return out;
}

std::string bodies_to_csv(const fnc_dataset& data) {
    std::string out = "Body ID,articleBody\n";
    for (const auto& [id, text] : data.bodies) out += csv_format_row({id, text});
    return out;
}

std::string pairs_to_csv(const fnc_dataset& data) {
    std::string out = data.has_gold ? "Headline,Body ID,Stance\n" : "Headline,Body ID\n";
    for (const auto& p : data.pairs) {
        if (data.has_gold && p.gold)
            out += csv_format_row({p.headline, p.body_id, to_string(*p.gold)});
        else
            out += csv_format_row({p.headline, p.body_id});
    }
    return out;
}

}  // namespace newswatch::stance
