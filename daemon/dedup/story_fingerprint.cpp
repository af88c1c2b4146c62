#include "newswatch/dedup/story_fingerprint.hpp"

#include <algorithm>

#include "newswatch/dedup/canonical_link.hpp"
#include "newswatch/dedup/normalized_title.hpp"

namespace newswatch::dedup {

story_fingerprint fingerprint_of(const std::optional<std::string>& title,
                                 const std::optional<std::string>& link, std::string_view lede) {
    story_fingerprint f;
    if (link) f.link = canonical_link(*link);
    if (title) f.title = normalized_title(*title);
    // Title and lede together: copies of one wire story share both, different stories on
    // one topic at most a few words of either. The title without its outlet suffix.
    std::vector<std::string> words;
    if (f.title.empty()) {
        words = signature_words(title.value_or(""), lede_words);
    } else {  // already folded: words joined by single spaces
        for (std::size_t begin = 0; begin <= f.title.size();) {
            const std::size_t end = std::min(f.title.find(' ', begin), f.title.size());
            words.emplace_back(f.title, begin, end - begin);
            begin = end + 1;
        }
    }
    for (auto& w : signature_words(lede, lede_words)) words.push_back(std::move(w));
    f.signature = minhash_of(words);
    return f;
}

}  // namespace newswatch::dedup
