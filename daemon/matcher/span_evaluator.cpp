#include "span_evaluator.hpp"

#include <algorithm>
#include <tuple>

namespace newswatch::matcher {

span_evaluator::span_evaluator(const document_scan& scan, const compiled_watch& watch,
                               std::vector<occurrence> occs)
    : scan_(scan), watch_(watch), occs_(std::move(occs)) {
    leaf_ranges_.assign(watch_.leaf_end - watch_.first_leaf, {0, 0});
    for (std::uint32_t i = 0; i < occs_.size();) {
        std::uint32_t j = i;
        while (j < occs_.size() && occs_[j].leaf == occs_[i].leaf) ++j;
        leaf_ranges_[occs_[i].leaf - watch_.first_leaf] = {i, j};
        i = j;
    }
    cursors_.assign(leaf_ranges_.size(), 0);
}

bool span_evaluator::occurs(std::uint32_t leaf) const noexcept {
    const auto [b, e] = leaf_ranges_[leaf - watch_.first_leaf];
    return b < e;
}

std::uint32_t span_evaluator::sentence_of(const occurrence& o) const noexcept {
    return scan_.first_token(o, watch_.accent_insensitive).sentence;
}

std::pair<std::uint32_t, std::uint32_t> span_evaluator::occurrences_of(std::uint32_t leaf,
                                                                       const sentence_filter& f) {
    const auto [b, e] = leaf_ranges_[leaf - watch_.first_leaf];
    if (!f.active || b == e) return {b, e};
    // A leaf's occurrences are sorted by (inst, first), and sentence numbers never decrease
    // through a text, so the sentence's occurrences are one run. SENTENCE(...) asks for its
    // sentences in order, so the run starts at or after where the last one did: a cursor
    // per leaf makes all the sentences of an item cost one pass over the occurrences.
    const auto want = std::pair(f.inst, f.sentence);
    const auto key = [&](std::uint32_t i) { return std::pair(occs_[i].inst, sentence_of(occs_[i])); };
    std::uint32_t& cursor = cursors_[leaf - watch_.first_leaf];
    if (cursor < b || (cursor > b && key(cursor - 1) >= want)) {
        // Not in order (no caller does this today): find the run from the start.
        std::uint32_t lo = b, hi = e;
        while (lo < hi) {
            const std::uint32_t mid = lo + (hi - lo) / 2;
            if (key(mid) >= want)
                hi = mid;
            else
                lo = mid + 1;
        }
        cursor = lo;
    }
    while (cursor < e && key(cursor) < want) ++cursor;
    std::uint32_t end = cursor;
    while (end < e && key(end) == want) ++end;
    return {cursor, end};
}

outcome span_evaluator::eval(const eval_node& n, const sentence_filter& f) {
    outcome out;
    switch (n.op) {
        case query_op::term: {
            const auto [b, e] = occurrences_of(n.leaf, f);
            out.spans.reserve(e - b);
            for (auto i = b; i < e; ++i) {
                out.spans.push_back({occs_[i].inst, occs_[i].first, occs_[i].last,
                                     static_cast<std::uint32_t>(pool_.size()), 1});
                pool_.push_back(i);
            }
            out.truth = !out.spans.empty();
            return out;
        }
        case query_op::all_of: {
            out.truth = true;
            for (const auto& c : n.children) {
                auto r = eval(c, f);
                if (!r.truth) return outcome{};
                out.spans.insert(out.spans.end(), r.spans.begin(), r.spans.end());
            }
            return out;
        }
        case query_op::any_of: {
            for (const auto& c : n.children) {
                auto r = eval(c, f);
                if (!r.truth) continue;
                out.truth = true;
                out.spans.insert(out.spans.end(), r.spans.begin(), r.spans.end());
            }
            return out;
        }
        case query_op::none_of:
            out.truth = !eval(n.children.front(), f).truth;
            return out;
        case query_op::near:
            eval_near(n, f, out);
            return out;
        case query_op::sentence: {
            std::vector<std::pair<std::uint32_t, std::uint32_t>> candidates;
            collect_sentences(n.children.front(), f, candidates);
            std::sort(candidates.begin(), candidates.end());
            candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
            for (const auto& [inst, sentence] : candidates) {
                auto r = eval(n.children.front(), sentence_filter{true, inst, sentence});
                if (!r.truth) continue;
                out.truth = true;
                out.spans.insert(out.spans.end(), r.spans.begin(), r.spans.end());
            }
            return out;
        }
    }
    return out;
}

void span_evaluator::eval_near(const eval_node& n, const sentence_filter& f, outcome& out) {
    const auto a = eval(n.children[0], f);
    if (!a.truth) return;
    auto b = eval(n.children[1], f);
    if (!b.truth) return;
    // Every pair of an `a` span and a `b` span at most `distance` words apart, in either
    // order. For a span x, a partner y starts at most distance words after x ends, or ends
    // at most distance words before x starts, so it starts no earlier than
    // x.first - distance - (the longest b span): only that window of b (sorted by start) is
    // visited.
    std::sort(b.spans.begin(), b.spans.end(), [](const span& x, const span& y) {
        return std::tie(x.inst, x.first) < std::tie(y.inst, y.first);
    });
    std::uint64_t longest = 0;
    for (const auto& y : b.spans) longest = std::max<std::uint64_t>(longest, y.last - y.first);
    const auto distance = static_cast<std::uint64_t>(std::max(n.distance, 0));
    for (const auto& x : a.spans) {
        const std::uint64_t reach = distance + longest;
        const auto from = static_cast<std::uint32_t>(x.first > reach ? x.first - reach : 0);
        auto it = std::lower_bound(b.spans.begin(), b.spans.end(), std::pair(x.inst, from),
                                   [](const span& y, const std::pair<std::uint32_t, std::uint32_t>& k) {
                                       return std::tie(y.inst, y.first) < std::tie(k.first, k.second);
                                   });
        for (; it != b.spans.end() && it->inst == x.inst && it->first <= x.last + distance; ++it) {
            const span& y = *it;
            const auto& first = x.first <= y.first ? x : y;
            const auto& second = x.first <= y.first ? y : x;
            const auto gap = second.first > first.last ? second.first - first.last : 0u;
            if (gap > distance) continue;
            span s{x.inst, std::min(x.first, y.first), std::max(x.last, y.last),
                   static_cast<std::uint32_t>(pool_.size()), x.occ_count + y.occ_count};
            for (std::uint32_t k = 0; k < x.occ_count; ++k) pool_.push_back(pool_[x.occ_begin + k]);
            for (std::uint32_t k = 0; k < y.occ_count; ++k) pool_.push_back(pool_[y.occ_begin + k]);
            out.spans.push_back(s);
        }
    }
    out.truth = !out.spans.empty();
}

void span_evaluator::collect_sentences(const eval_node& n, const sentence_filter& f,
                                       std::vector<std::pair<std::uint32_t, std::uint32_t>>& out) {
    if (n.op == query_op::term) {
        const auto [b, e] = occurrences_of(n.leaf, f);
        for (auto i = b; i < e; ++i) {
            const std::pair place(occs_[i].inst, sentence_of(occs_[i]));
            if (out.empty() || out.back() != place) out.push_back(place);
        }
        return;
    }
    if (n.op == query_op::none_of) return;
    for (const auto& c : n.children) collect_sentences(c, f, out);
}

}  // namespace newswatch::matcher
