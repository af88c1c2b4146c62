#pragma once
// Unicode normalisation for matching: NFC + full case folding (utf8proc), optionally with
// combining marks removed (accent-insensitive). Query terms and item text go through the
// same functions, so "НАТО", "нато" and "НаТо" all fold to one key.
#include <string>
#include <string_view>

namespace newswatch::text {

struct fold_options {
    bool accent_insensitive = false;  // also strip combining marks: "Zürich" == "zurich"
};

// Appends the folded form of `text` to `out`. Invalid UTF-8 bytes are dropped, never
// copied, so the result is always valid UTF-8.
void fold_append(std::string_view text, const fold_options& options, std::string& out);

// The folded form of `text`.
std::string fold(std::string_view text, const fold_options& options = {});

}  // namespace newswatch::text
