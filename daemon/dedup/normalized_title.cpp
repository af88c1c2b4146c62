#include "newswatch/dedup/normalized_title.hpp"

#include <array>

#include "newswatch/text/tokenizer.hpp"

namespace newswatch::dedup {
namespace {

// An outlet suffix is at most this many words after the last separator ("BBC News",
// "The Kyiv Independent"); a longer tail is part of the headline.
constexpr std::size_t max_suffix_words = 4;

// Separators outlets put before their name: hyphen, pipe, en and em dash, middle dot,
// double colon; always with spaces around (a hyphen inside "NATO-led" is no separator).
constexpr std::array<std::string_view, 6> separators{" - ",      " | ",      " \u2013 ",
                                                     " \u2014 ", " \u00b7 ", " :: "};

// How many of `words` (in text order) start before byte `cut`.
std::size_t words_before(const text::token_list& words, std::size_t cut) {
    std::size_t n = 0;
    while (n < words.tokens.size() && words.tokens[n].begin < cut) ++n;
    return n;
}

// How many leading words stay once a short " - Outlet" part is removed from the end (one
// tokenization: the cut is decided on the words' byte offsets).
std::size_t words_without_outlet_suffix(std::string_view title, const text::token_list& words) {
    std::size_t kept = words.tokens.size();
    for (int round = 0; round < 2; ++round) {
        std::size_t cut = std::string_view::npos;
        for (const auto separator : separators) {
            const auto at = title.rfind(separator);
            if (at != std::string_view::npos && (cut == std::string_view::npos || at > cut)) cut = at;
        }
        if (cut == std::string_view::npos) break;
        const std::size_t head = words_before(words, cut);
        const std::size_t tail = kept - head;
        if (tail == 0 || tail > max_suffix_words || head < min_title_words) break;
        kept = head;
        title = title.substr(0, cut);
    }
    return kept;
}

}  // namespace

std::string normalized_title(std::string_view title) {
    const text::token_list words = text::tokenize(title, text::fold_options{.accent_insensitive = true});
    const std::size_t kept = words_without_outlet_suffix(title, words);
    if (kept < min_title_words) return {};
    std::string out;
    out.reserve(words.keys.size() + kept);
    for (std::size_t i = 0; i < kept; ++i) {
        if (i > 0) out += ' ';
        out += words.key(i);
    }
    return out;
}

}  // namespace newswatch::dedup
