#pragma once
// FNC-1 style data: bodies (`Body ID,articleBody`) and pairs (`Headline,Body ID[,Stance]`),
// read from RFC 4180 CSV, plus the dev split used to measure the model honestly.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "newswatch/core/result.hpp"
#include "newswatch/stance/stance_model.hpp"

namespace newswatch::stance {

// "agree" / "disagree" / "discuss" / "unrelated", case-insensitive; nullopt otherwise.
std::optional<stance_label> parse_stance_label(std::string_view text) noexcept;

struct fnc_pair {
    std::string headline;
    std::string body_id;
    std::optional<stance_label> gold;  // when the pairs file has a Stance column
};

struct fnc_dataset {
    std::map<std::string, std::string> bodies;  // Body ID -> article text
    std::vector<fnc_pair> pairs;                // in file order
    bool has_gold = false;                      // every pair carries a label
};

// Parses both CSV documents. Errors name the file (`bodies_name` / `pairs_name`), the line
// and what is wrong: a missing column, an unknown stance label, a Body ID with no body.
core::result<fnc_dataset> parse_fnc(std::string_view bodies_csv, std::string_view pairs_csv,
                                    std::string_view bodies_name = "bodies",
                                    std::string_view pairs_name = "pairs");

// Reads and parses the two files.
core::result<fnc_dataset> load_fnc(const std::filesystem::path& bodies_csv,
                                   const std::filesystem::path& pairs_csv);

// The dev split: pairs are grouped into claims (connected components of headlines and
// bodies joined by related pairs); whole claims go to dev, drawn with `seed`, until dev
// holds `fraction` of the related pairs. A pair is kept only when its headline and its body
// are on the same side, so no headline and no body of dev occurs in train (the unrelated
// pairs that cross the sides are dropped). The result is the same for the same input.
struct fnc_split {
    fnc_dataset train;
    fnc_dataset dev;
    std::size_t dropped_pairs = 0;
};
fnc_split split_by_claim(const fnc_dataset& data, double fraction, std::uint64_t seed);

// The claim of every pair (a number shared by the pairs of one connected component of
// headlines and bodies joined by related pairs), in pair order; numbers are dense, from 0.
std::vector<std::size_t> claim_of_pairs(const fnc_dataset& data);

// Cross-validation by claim: claims are shuffled with `seed` and dealt into `folds` groups
// of about equal related-pair counts; fold `fold` is dev, the rest train (pairs that cross
// are dropped, as in split_by_claim). Every claim is dev in exactly one fold.
fnc_split split_by_claim_fold(const fnc_dataset& data, std::size_t folds, std::size_t fold,
                              std::uint64_t seed);

// The weaker split the wording allows: headlines and bodies are each drawn into dev
// independently (probability `fraction` each, with `seed`), and a pair is dev when both are,
// train when neither is. No headline and no body is shared, but a claim can be on both sides
// (other headlines/bodies of the same story) — easier than split_by_claim; reported beside it.
fnc_split split_by_text(const fnc_dataset& data, double fraction, std::uint64_t seed);

// Keeps every `1 / keep_every` claim (a small deterministic slice, for tests).
fnc_dataset slice_by_claim(const fnc_dataset& data, std::size_t keep_every);

// RFC 4180 text of a dataset (for writing a split outside the repository).
std::string bodies_to_csv(const fnc_dataset& data);
std::string pairs_to_csv(const fnc_dataset& data);

}  // namespace newswatch::stance
