#pragma once
// The stories alerted within the dedup window, per (watch, stance label), in memory: finds
// the story a new item repeats by canonical link, normalised title or MinHash similarity
// (LSH: 21 bands of 3 minima, then the full signature decides). O(1) expected per lookup
// whatever the number of stories; about 300 bytes per story.
//
// Not thread-safe: the daemon uses it from its event loop only. The state database keeps
// the same stories (dedup_stories) so that a restarted daemon remembers them.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "newswatch/core/time.hpp"
#include "newswatch/dedup/story_fingerprint.hpp"

namespace newswatch::dedup {

// Which rule found the duplicate.
enum class duplicate_rule { link, title, similar };
std::string_view to_string(duplicate_rule rule) noexcept;

struct duplicate_match {
    std::string original_alert_id;
    duplicate_rule rule = duplicate_rule::link;
    double similarity = 1.0;  // the estimate for `similar`, 1 otherwise
};

class story_index {
public:
    story_index();

    // The earliest-found story of `watch` with the same stance label ("" for watches
    // without a claim) remembered at or after `since` that `story` repeats: same link, else
    // same title, else the most similar one with similarity >= `threshold`.
    std::optional<duplicate_match> find(std::string_view watch, std::string_view stance,
                                        const story_fingerprint& story, core::timestamp since,
                                        double threshold) const;

    // Remembers an alerted story. `at` should not decrease from call to call (forget_before
    // drops from the oldest end); a story that would not be findable (empty) is ignored.
    void remember(std::string_view watch, std::string_view stance, const story_fingerprint& story,
                  std::string alert_id, core::timestamp at);

    // Drops stories remembered before `cutoff`.
    void forget_before(core::timestamp cutoff);

    std::size_t size() const noexcept { return stories_.size(); }

private:
    struct story {
        std::string alert_id;
        std::uint64_t scope = 0;  // hash of watch and stance
        std::optional<minhash_signature> signature;
        core::timestamp at{};
    };
    // An open-addressing multimap from 64-bit keys to story sequence numbers. Entries of
    // forgotten stories stay until the next rebuild; lookups skip them.
    struct key_table {
        std::vector<std::uint64_t> keys;  // 0 = empty slot
        std::vector<std::uint32_t> values;
        std::size_t used = 0;
        void insert(std::uint64_t key, std::uint32_t value);
        template <class F>
        void for_each(std::uint64_t key, F&& f) const;
    };

    void index(const story& s, std::uint32_t seq, std::uint64_t link_key, std::uint64_t title_key);
    void rebuild();
    const story* at_seq(std::uint32_t seq) const noexcept;

    std::deque<story> stories_;
    // Keys of the stored stories (in stories_ order) for rebuilds after forgetting.
    std::deque<std::pair<std::uint64_t, std::uint64_t>> text_keys_;
    std::uint32_t first_seq_ = 0;  // sequence number of stories_.front()
    std::size_t forgotten_since_rebuild_ = 0;
    key_table table_;
};

}  // namespace newswatch::dedup
