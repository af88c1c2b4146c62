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

std::size_t word_count(std::string_view text) {
    return text::tokenize(text).tokens.size();
}

// The title without its last " - Outlet" part when that part is short and enough words stay.
std::string_view without_outlet_suffix(std::string_view title) {
    for (int round = 0; round < 2; ++round) {
        std::size_t cut = std::string_view::npos;
        for (const auto separator : separators) {
            const auto at = title.rfind(separator);
            if (at != std::string_view::npos && (cut == std::string_view::npos || at > cut)) cut = at;
        }
        if (cut == std::string_view::npos) break;
        const std::string_view head = title.substr(0, cut);
        const std::size_t tail_words = word_count(title.substr(cut));
        if (tail_words == 0 || tail_words > max_suffix_words || word_count(head) < min_title_words) break;
        title = head;
    }
    return title;
}

}  // namespace

std::string normalized_title(std::string_view title) {
    const text::token_list words =
        text::tokenize(without_outlet_suffix(title), text::fold_options{.accent_insensitive = true});
    if (words.tokens.size() < min_title_words) return {};
    std::string out;
    out.reserve(words.keys.size() + words.tokens.size());
    for (std::size_t i = 0; i < words.tokens.size(); ++i) {
        if (i > 0) out += ' ';
        out += words.key(i);
    }
    return out;
}

}  // namespace newswatch::dedup
