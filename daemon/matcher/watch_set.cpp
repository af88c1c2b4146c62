#include "newswatch/matcher/watch_set.hpp"

#include <cstdio>
#include <memory>
#include <utility>

#include "compiled_set.hpp"
#include "document_scan.hpp"
#include "newswatch/core/errc.hpp"
#include "topic_centrality.hpp"
#include "watch_compiler.hpp"
#include "watch_evaluator.hpp"

namespace newswatch::matcher {

namespace {

// Whether the query could be true given only which leaves occur (a necessary condition,
// cheap): most watches with some occurrence fail here and skip evaluation.
bool possible(const eval_node& n, const std::vector<unsigned char>& present, std::uint32_t first_leaf) {
    switch (n.op) {
        case query_op::term:
            return present[n.leaf - first_leaf] != 0;
        case query_op::none_of:
            return true;
        case query_op::any_of:
            for (const auto& c : n.children)
                if (possible(c, present, first_leaf)) return true;
            return false;
        default:  // all_of, near, sentence
            for (const auto& c : n.children)
                if (!possible(c, present, first_leaf)) return false;
            return true;
    }
}

}  // namespace

std::string query_error::to_string() const {
    std::string s = "watch '" + watch + "': query position " + std::to_string(position) + ": " + message;
    if (!hint.empty()) s += " (" + hint + ")";
    return s;
}

struct watch_set::impl : compiled_set {
    // Topic centrality: the scoped queries (scope lede/body) and hold_back queries, compiled
    // into a second set that is run on the item's title + lede only, and for each watch the
    // index of its two entries there (none = not used).
    static constexpr std::uint32_t none = ~std::uint32_t{0};
    std::unique_ptr<watch_set> lede_set;
    std::vector<std::uint32_t> lede_query;
    std::vector<std::uint32_t> hold_query;

    std::vector<watch_result> match(const document& doc, bool explain) const {
        auto out = match_whole(doc, explain);
        if (lede_set) apply_centrality(doc, explain, out);
        return out;
    }

    void apply_centrality(const document& doc, bool explain, std::vector<watch_result>& results) const {
        bool concerned = false;
        for (const auto& r : results)
            concerned |=
                r.matched && (lede_query[r.watch_index] != none || hold_query[r.watch_index] != none);
        if (!concerned) return;
        const document lede = lede_document(doc);
        std::vector<unsigned char> on_lede(lede_set->specs().size(), 0);
        for (const auto& r : lede_set->match(lede)) on_lede[r.watch_index] = 1;
        const std::size_t words = word_count(doc);
        std::vector<watch_result> kept;
        for (auto& r : results) {
            const std::uint32_t i = static_cast<std::uint32_t>(r.watch_index);
            if (r.matched) {
                const watch_spec& spec = specs[i];
                char density[64];
                std::snprintf(density, sizeof density, "%.2f", hit_density(r.hits_total, words));
                if (hold_query[i] != none && on_lede[hold_query[i]]) {
                    r.matched = false;
                    r.reason = "held back: the hold_back query matches the title and lede";
                } else if (spec.scope == watch_scope::lede && !on_lede[lede_query[i]]) {
                    r.matched = false;
                    r.reason = "scope = lede: the query does not hold on the title and lede";
                } else if (spec.scope == watch_scope::body && !on_lede[lede_query[i]] &&
                           hit_density(r.hits_total, words) < spec.min_density) {
                    r.matched = false;
                    r.reason = "scope = body: not in the title and lede, and " +
                               std::to_string(r.hits_total) + " hits in " + std::to_string(words) +
                               " words is a density of " + density + " per 100 words, below min_density";
                } else if (explain && spec.scope != watch_scope::any) {
                    r.reason += std::string(r.reason.empty() ? "" : "; ") +
                                (lede_query[i] != none && on_lede[lede_query[i]]
                                     ? "central: the query holds on the title and lede"
                                     : std::string("central: density ") + density + " per 100 words");
                }
            }
            if (r.matched || explain) kept.push_back(std::move(r));
        }
        results = std::move(kept);
    }

    std::vector<watch_result> match_whole(const document& doc, bool explain) const {
        document_scan scan(*this, doc);
        watch_evaluator evaluator(*this, scan);
        const auto& occs = scan.occurrences();
        std::vector<unsigned char> present;
        std::vector<watch_result> out;
        // Occurrences are sorted by leaf, and each watch's leaves are one contiguous range in
        // watch order. The usual case visits only the watches that have an occurrence, so the
        // cost does not grow with the number of watches that are not concerned.
        if (!explain && min_hits_zero.empty()) {
            std::size_t at = 0;
            while (at < occs.size()) {
                const std::uint32_t index = leaves[occs[at].leaf].watch;
                const auto& w = watches[index];
                std::size_t end = at;
                while (end < occs.size() && occs[end].leaf < w.leaf_end) ++end;
                present.assign(w.leaf_end - w.first_leaf, 0);
                for (std::size_t k = at; k < end; ++k) present[occs[k].leaf - w.first_leaf] = 1;
                if (possible(w.root, present, w.first_leaf)) {
                    auto r = evaluator.evaluate(index, at, end, false);
                    if (r.matched) out.push_back(std::move(r));
                }
                at = end;
            }
            return out;
        }
        std::size_t at = 0;
        for (std::uint32_t index = 0; index < watches.size(); ++index) {
            const auto& w = watches[index];
            while (at < occs.size() && occs[at].leaf < w.first_leaf) ++at;
            std::size_t end = at;
            while (end < occs.size() && occs[end].leaf < w.leaf_end) ++end;
            if (end == at && !explain && specs[index].min_hits > 0) continue;
            auto r = evaluator.evaluate(index, at, end, explain);
            at = end;
            if (r.matched || explain) out.push_back(std::move(r));
        }
        return out;
    }
};

watch_set::watch_set(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
watch_set::watch_set(watch_set&&) noexcept = default;
watch_set& watch_set::operator=(watch_set&&) noexcept = default;
watch_set::~watch_set() = default;

core::result<watch_set> watch_set::compile(std::vector<watch_spec> specs, query_error* error_out) {
    auto p = std::make_unique<impl>();
    p->specs = std::move(specs);
    watch_compiler compiler(*p);
    for (std::uint32_t i = 0; i < p->specs.size(); ++i) {
        query_error err;
        if (!compiler.compile_watch(i, err)) {
            if (error_out != nullptr) *error_out = err;
            return core::error{core::errc::parse_error, err.to_string()};
        }
    }
    compiler.finish();
    // The lede set: each scoped watch's own query, and each hold_back query, on the lede.
    std::vector<watch_spec> lede_specs;
    p->lede_query.assign(p->specs.size(), impl::none);
    p->hold_query.assign(p->specs.size(), impl::none);
    for (std::uint32_t i = 0; i < p->specs.size(); ++i) {
        const watch_spec& spec = p->specs[i];
        watch_spec base = spec;
        base.scope = watch_scope::any;
        base.hold_back.clear();
        base.min_hits = 1;
        if (spec.scope != watch_scope::any) {
            p->lede_query[i] = static_cast<std::uint32_t>(lede_specs.size());
            lede_specs.push_back(base);
            lede_specs.back().name = spec.name + " (lede)";
            lede_specs.back().min_hits = spec.min_hits;
        }
        if (!spec.hold_back.empty()) {
            p->hold_query[i] = static_cast<std::uint32_t>(lede_specs.size());
            lede_specs.push_back(base);
            lede_specs.back().name = spec.name + " (hold_back)";
            lede_specs.back().query = spec.hold_back;
            lede_specs.back().fields.clear();
        }
    }
    if (!lede_specs.empty()) {
        query_error err;
        auto lede = watch_set::compile(std::move(lede_specs), &err);
        if (!lede) {
            if (error_out != nullptr) *error_out = err;
            return core::error{core::errc::parse_error, err.to_string()};
        }
        p->lede_set = std::make_unique<watch_set>(std::move(lede).value());
    }
    return watch_set(std::move(p));
}

std::vector<watch_result> watch_set::match(const document& doc, bool explain) const {
    return impl_->match(doc, explain);
}

const std::vector<watch_spec>& watch_set::specs() const noexcept {
    return impl_->specs;
}

}  // namespace newswatch::matcher
