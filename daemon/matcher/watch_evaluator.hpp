#pragma once
// Decides one watch for one scanned item and describes the decision: matched or not, the
// distinct patterns and the hits (with negation and hedge marks), and with explain the
// reason. Internal to the matcher.
#include <cstddef>
#include <cstdint>

#include "compiled_set.hpp"
#include "document_scan.hpp"
#include "newswatch/matcher/watch_set.hpp"

namespace newswatch::matcher {

class watch_evaluator {
public:
    watch_evaluator(const compiled_set& set, document_scan& scan) : set_(set), scan_(scan) {}

    // Watch `index`, whose occurrences are scan.occurrences()[occ_begin, occ_end). Without
    // `explain`, a watch that does not match comes back without hits.
    watch_result evaluate(std::uint32_t index, std::size_t occ_begin, std::size_t occ_end, bool explain);

private:
    const compiled_set& set_;
    document_scan& scan_;
};

}  // namespace newswatch::matcher
