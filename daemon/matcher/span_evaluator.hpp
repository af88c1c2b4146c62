#pragma once
// Evaluates one watch's operator tree over its occurrences: whether the query is true, and
// the spans (places, with the occurrences that make them up) that made it true.
//
// Linear in the occurrences for a given query, so that a hostile item with millions of
// hits cannot pin a worker: NEAR pairs come from a sweep over spans sorted by position,
// and SENTENCE(...) walks each leaf's occurrences once, sentence by sentence, instead of
// scanning every occurrence once per sentence. Internal to the matcher.
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "compiled_query.hpp"
#include "document_scan.hpp"

namespace newswatch::matcher {

struct span {
    std::uint32_t inst = 0;
    std::uint32_t first = 0;
    std::uint32_t last = 0;
    // The occurrences that make up the span: pool[occ_begin, occ_begin + occ_count) of the
    // evaluator (an append-only pool, so combining spans never copies vectors around).
    std::uint32_t occ_begin = 0;
    std::uint32_t occ_count = 0;
};

struct outcome {
    bool truth = false;
    std::vector<span> spans;
};

// Inside SENTENCE(...): only occurrences in one sentence of one field instance count.
struct sentence_filter {
    bool active = false;
    std::uint32_t inst = 0;
    std::uint32_t sentence = 0;
};

class span_evaluator {
public:
    // `occs`: the watch's occurrences that count, sorted by (leaf, inst, first, last).
    span_evaluator(const document_scan& scan, const compiled_watch& watch, std::vector<occurrence> occs);

    outcome eval(const eval_node& n, const sentence_filter& f = {});

    const occurrence& occ(std::uint32_t i) const noexcept { return occs_[i]; }
    // Indices (for occ()) of the occurrences that make up `s`.
    std::span<const std::uint32_t> members(const span& s) const noexcept {
        return {pool_.data() + s.occ_begin, s.occ_count};
    }
    // Whether the watch's leaf `leaf` (a global leaf id) occurs.
    bool occurs(std::uint32_t leaf) const noexcept;

private:
    // [begin, end) in occs_ of the leaf's occurrences that pass `f`.
    std::pair<std::uint32_t, std::uint32_t> occurrences_of(std::uint32_t leaf, const sentence_filter& f);
    std::uint32_t sentence_of(const occurrence& o) const noexcept;
    void collect_sentences(const eval_node& n, const sentence_filter& f,
                           std::vector<std::pair<std::uint32_t, std::uint32_t>>& out);
    void eval_near(const eval_node& n, const sentence_filter& f, outcome& out);

    const document_scan& scan_;
    const compiled_watch& watch_;
    std::vector<occurrence> occs_;
    std::vector<std::pair<std::uint32_t, std::uint32_t>>
        leaf_ranges_;                     // per leaf of the watch: [b, e) in occs_
    std::vector<std::uint32_t> pool_;     // span members (indices into occs_)
    std::vector<std::uint32_t> cursors_;  // per leaf: where the last sentence's run began
};

}  // namespace newswatch::matcher
