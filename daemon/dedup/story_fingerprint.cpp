#include "newswatch/dedup/story_fingerprint.hpp"

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
    std::vector<std::string> words =
        signature_words(f.title.empty() ? title.value_or("") : f.title, lede_words);
    for (auto& w : signature_words(lede, lede_words)) words.push_back(std::move(w));
    f.signature = minhash_of(words);
    return f;
}

}  // namespace newswatch::dedup
