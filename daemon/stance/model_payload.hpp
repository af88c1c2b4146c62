#pragma once
// What a model file holds (private to the module): the IDF table, the two tree ensembles
// (stage 1 related/unrelated, stage 2 agree/disagree/discuss), and provenance text.
#include <string>
#include <string_view>

#include "feature_extractor.hpp"
#include "gradient_boosted_trees.hpp"
#include "newswatch/core/result.hpp"

namespace newswatch::stance {

struct model_payload {
    std::string provenance;
    idf_table idf;
    cue_weights cues;
    gradient_boosted_trees related;  // classes: 0 unrelated, 1 related
    gradient_boosted_trees stance;   // classes: 0 agree, 1 disagree, 2 discuss
};

// Header + checksum + payload; the same payload always gives the same bytes (IDF entries
// are written sorted by stem hash).
std::string encode_model(const model_payload& payload);

// Checks magic, version and checksum, then parses; errors name `name`.
// `fingerprint` receives the first 8 hex digits of the payload's SHA-256.
core::result<model_payload> decode_model(std::string_view bytes, std::string_view name,
                                         std::string& fingerprint);

}  // namespace newswatch::stance
