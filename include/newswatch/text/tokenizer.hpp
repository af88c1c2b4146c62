#pragma once
// Word tokens for matching, with sentence and clause numbers.
//
// A word is a run of letters, digits and combining marks. Inside a word an apostrophe
// (' ’ ʼ) between two letters is kept ("don't", "м'ясо" fold to one token with '); a
// possessive 's / ’s ending is dropped from the token ("Ukraine's" -> "ukraine"); hyphens
// split words ("NATO-led" -> "nato", "led"); "1,000" and "2.5" stay one token. Keys are
// folded (casefold.hpp). Sentences end at . ! ? … and line breaks (not after
// abbreviations such as "U.S." or "Mr."); clauses also end at , ; : ( ) – — and before
// contrastive conjunctions ("but", "however", "але", "но", ...).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "newswatch/text/casefold.hpp"

namespace newswatch::text {

struct token {
    std::uint32_t begin = 0;      // byte offset of the word in the source text
    std::uint32_t end = 0;        // byte offset one past the word (possessive 's excluded)
    std::uint32_t char_offset = 0;  // Unicode code point index of `begin`
    std::uint32_t sentence = 0;   // 0-based sentence number in the text
    std::uint32_t clause = 0;     // 0-based clause number in the text (increases across sentences)
    std::uint32_t key_begin = 0;  // the folded key: keys.substr(key_begin, key_size)
    std::uint32_t key_size = 0;
};

struct token_list {
    std::string keys;  // all folded keys, back to back
    std::vector<token> tokens;

    std::string_view key(const token& t) const noexcept { return {keys.data() + t.key_begin, t.key_size}; }
    std::string_view key(std::size_t i) const noexcept { return key(tokens[i]); }
    void clear() noexcept {
        keys.clear();
        tokens.clear();
    }
};

// Tokenizes `text` into `out` (cleared first). Never throws for any input: invalid UTF-8
// bytes separate words. Texts above 4 GiB are cut (offsets are 32-bit).
void tokenize(std::string_view text, const fold_options& options, token_list& out);

token_list tokenize(std::string_view text, const fold_options& options = {});

// The tokens of `source` (tokenize()d from `text`) with keys folded under `options` instead:
// the same words, sentences and clauses, without scanning the text again. ASCII words keep
// their keys (folding options only change non-ASCII letters).
void refold(std::string_view text, const token_list& source, const fold_options& options, token_list& out);

}  // namespace newswatch::text
