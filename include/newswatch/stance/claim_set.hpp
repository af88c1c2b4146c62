#pragma once
// A claim/item evaluation set in the TSV form of tests/data/stance/nato-ukraine-claims.tsv:
// claim<TAB>agree|disagree|discuss|unrelated<TAB>title<TAB>lede, '#' lines are comments.
// Data row k (from 0, in file order) belongs to the held-out split when k % 3 == 2; the
// other rows are the tuning (calibration) split. Used by the claim-set test and
// bench/stance/claim_eval.
#include <filesystem>
#include <string>
#include <vector>

#include "newswatch/core/result.hpp"
#include "newswatch/stance/stance_model.hpp"

namespace newswatch::stance {

struct claim_pair {
    std::string claim;
    stance_label gold = stance_label::unrelated;
    std::string title;
    std::string lede;
    bool held_out = false;
    int line = 0;  // 1-based line in the file, for messages
};

// Errors name the file and line: a row without four columns or with an unknown label.
core::result<std::vector<claim_pair>> load_claim_set(const std::filesystem::path& path);

}  // namespace newswatch::stance
