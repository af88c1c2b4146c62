#pragma once
// Tokens and sentences for the stance model (private to the module).
//
// Tokens are case-folded, accent-stripped (utf8proc), Snowball-stemmed (English) and kept as
// a 64-bit FNV-1a hash of the stem, so words never seen in training still match between
// claim and article. Byte offsets into the original text are kept for evidence.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace newswatch::stance {

// Bits in token::flags.
enum token_flag : std::uint16_t {
    flag_stop = 1u << 0,      // a function word: ignored for overlap
    flag_refute = 1u << 1,    // "hoax", "denied", "false", ...
    flag_hedge = 1u << 2,     // "reportedly", "allegedly", "may", ...
    flag_support = 1u << 3,   // "confirmed", "announced", "proves", ...
    flag_negation = 1u << 4,  // "not", "no", "never", "n't" ...
    flag_report = 1u << 5,    // "said", "according", "told", "reported" ...
    flag_number = 1u << 6,    // all digits
    flag_capital = 1u << 7,   // started with an upper-case letter in the original text
};

struct token {
    std::uint64_t stem = 0;   // FNV-1a of the stem
    std::uint32_t begin = 0;  // byte range of the surface form in the original text
    std::uint32_t end = 0;
    std::uint32_t sentence = 0;
    std::uint16_t flags = 0;
};

struct sentence_span {
    std::uint32_t first_token = 0;  // [first_token, last_token)
    std::uint32_t last_token = 0;
    std::uint32_t begin = 0;  // byte range in the original text
    std::uint32_t end = 0;
};

struct analysed_text {
    std::vector<token> tokens;
    std::vector<sentence_span> sentences;
    std::uint32_t question_marks = 0;
    std::uint32_t quote_marks = 0;
};

// FNV-1a, the stem identity used everywhere (stable across runs and platforms).
std::uint64_t stem_hash(std::string_view stem) noexcept;

// Stems one case-folded word (thread-safe: one Snowball stemmer per thread).
std::string stem_word(std::string_view folded);

// Splits, folds, stems and flags `text`. Any bytes are accepted (invalid UTF-8 is treated
// as separators). Thread-safe.
analysed_text analyse_text(std::string_view text);

// The first `n` sentences of `text` (as the original bytes), for short-body evaluation
// and training augmentation. Uses the same sentence rules as analyse_text.
std::string first_sentences(std::string_view text, std::size_t n);

}  // namespace newswatch::stance
