#pragma once
// What deduplication knows about one item: its canonical link, normalised title and the
// MinHash signature of its title and lede. Computed once per alerting item (on a worker
// thread), compared against the story_index on the event loop.
#include <optional>
#include <string>
#include <string_view>

#include "newswatch/dedup/minhash_signature.hpp"

namespace newswatch::dedup {

// Words of the summary (or, without one, of the content) that go into the signature beside
// the title: the lede, where outlets' copies of a wire story agree most.
inline constexpr std::size_t lede_words = 60;

struct story_fingerprint {
    std::string link;   // canonical_link(); "" = none
    std::string title;  // normalized_title(); "" = none
    std::optional<minhash_signature> signature;

    bool empty() const noexcept { return link.empty() && title.empty() && !signature; }
};

story_fingerprint fingerprint_of(const std::optional<std::string>& title,
                                 const std::optional<std::string>& link, std::string_view lede);

}  // namespace newswatch::dedup
