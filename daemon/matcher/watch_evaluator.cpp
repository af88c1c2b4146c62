#include "watch_evaluator.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <tuple>
#include <vector>

#include "span_evaluator.hpp"

namespace newswatch::matcher {

namespace {

std::string join(const std::vector<std::string>& v) {
    constexpr std::size_t shown = 8;  // a reason stays one readable line
    std::string s;
    for (std::size_t i = 0; i < v.size() && i < shown; ++i) s += (s.empty() ? "" : ", ") + v[i];
    if (v.size() > shown) s += " and " + std::to_string(v.size() - shown) + " more";
    return s;
}

}  // namespace

watch_result watch_evaluator::evaluate(std::uint32_t index, std::size_t occ_begin, std::size_t occ_end,
                                       bool explain) {
    const compiled_watch& w = set_.watches[index];
    const watch_spec& spec = set_.specs[index];
    watch_result res;
    res.watch_index = index;
    const std::size_t ai = w.accent_insensitive ? 1 : 0;

    std::size_t ignored = 0;
    // Negation marks cost a clause lookup: only the ignore policy needs them before
    // evaluation; otherwise only the hits get them.
    const bool drop_negated = spec.negated == negated_policy::ignore;
    std::vector<occurrence> kept;
    kept.reserve(occ_end - occ_begin);
    const auto& all = scan_.occurrences();
    for (std::size_t i = occ_begin; i < occ_end; ++i) {
        if (drop_negated && scan_.marks(all[i], w.accent_insensitive).negated) {
            ++ignored;
            continue;
        }
        kept.push_back(all[i]);
    }
    span_evaluator ev(scan_, w, std::move(kept));

    const outcome top = ev.eval(w.root);
    // Hits: the occurrences that made the query true, once per pattern and place.
    std::vector<std::uint32_t> used;
    if (top.truth)
        for (const auto& s : top.spans) {
            const auto m = ev.members(s);
            used.insert(used.end(), m.begin(), m.end());
        }
    std::sort(used.begin(), used.end());
    used.erase(std::unique(used.begin(), used.end()), used.end());
    std::sort(used.begin(), used.end(), [&](std::uint32_t a, std::uint32_t b) {
        const auto& x = ev.occ(a);
        const auto& y = ev.occ(b);
        return std::tie(x.inst, x.first, x.last, x.leaf) < std::tie(y.inst, y.first, y.last, y.leaf);
    });
    auto same_place = [&](std::uint32_t a, std::uint32_t b) {
        const auto& x = ev.occ(a);
        const auto& y = ev.occ(b);
        return x.inst == y.inst && x.first == y.first && x.last == y.last;
    };
    std::size_t distinct = 0;
    for (std::size_t k = 0; k < used.size(); ++k)
        if (k == 0 || !same_place(used[k - 1], used[k])) ++distinct;
    res.matched = top.truth && distinct >= static_cast<std::size_t>(std::max(spec.min_hits, 0));
    if (!res.matched && !explain) return res;
    res.hits_total = distinct;
    // A hostile item can have millions of hits: every one is counted, the first
    // max_hits_per_field of each field are described (text, offset, marks).
    std::array<std::size_t, field_count> described{};
    for (std::size_t k = 0; k < used.size(); ++k) {
        // One hit per place: the first pattern in query order names it (several patterns,
        // e.g. "Russia" and "russia*", may cover the same words).
        if (k > 0 && same_place(used[k - 1], used[k])) continue;
        const auto& o = ev.occ(used[k]);
        const auto& fi = scan_.instance(o.inst);
        if (described[fi.field] >= max_hits_per_field) continue;
        ++described[fi.field];
        const leaf& l = set_.leaves[o.leaf];
        const auto& toks = fi.tokens[ai].tokens;
        core::hit h;
        h.pattern = l.pattern;
        h.text = std::string(fi.text.substr(toks[o.first].begin, toks[o.last - 1].end - toks[o.first].begin));
        h.field = std::string(query_fields[fi.field]);
        h.offset = toks[o.first].char_offset;
        const auto m = scan_.marks(o, w.accent_insensitive);
        h.negated = m.negated;
        h.hedged = m.hedged;
        res.hits.push_back(std::move(h));
    }
    // Patterns in query order (leaf ids follow the query text).
    std::vector<std::uint32_t> hit_leaves;
    hit_leaves.reserve(used.size());
    for (const auto i : used) hit_leaves.push_back(ev.occ(i).leaf);
    std::sort(hit_leaves.begin(), hit_leaves.end());
    hit_leaves.erase(std::unique(hit_leaves.begin(), hit_leaves.end()), hit_leaves.end());
    for (const auto id : hit_leaves) {
        const auto& p = set_.leaves[id].pattern;
        if (std::find(res.matched_patterns.begin(), res.matched_patterns.end(), p) ==
            res.matched_patterns.end())
            res.matched_patterns.push_back(p);
    }

    if (!explain) return res;

    std::vector<std::string> found, missing;
    for (auto id = w.first_leaf; id < w.leaf_end; ++id) {
        const auto& p = set_.leaves[id].pattern;
        auto& list = ev.occurs(id) ? found : missing;
        if (std::find(list.begin(), list.end(), p) == list.end()) list.push_back(p);
    }
    std::string suffix;
    if (ignored > 0)
        suffix = " (" + std::to_string(ignored) + " negated hit" + (ignored == 1 ? "" : "s") +
                 " ignored: negated = \"ignore\")";
    if (res.matched) {
        res.reason = "matched: " + join(res.matched_patterns) + suffix;
    } else if (top.truth) {
        res.reason = "only " + std::to_string(distinct) + " distinct hit" + (distinct == 1 ? "" : "s") +
                     ", min_hits is " + std::to_string(spec.min_hits) + suffix;
    } else if (found.empty()) {
        res.reason = "no term of the query occurs in the item" + suffix;
    } else {
        res.reason = "the query is false for this item: found " + join(found);
        if (!missing.empty()) res.reason += "; not found " + join(missing);
        res.reason += suffix;
    }
    return res;
}

}  // namespace newswatch::matcher
