#pragma once
// A generated multi-outlet news stream for deduplication tests and benchmarks: stories on a
// few topics, each carried by several outlets the way wire copy spreads: the original, an
// aggregator's copy of the same link with tracking parameters, copies under other links with
// the outlet's name after the title, copies with one or two words changed in the lede or a
// rewritten headline, AMP and mobile links. Different stories on one topic share the
// topic's names and the agencies' sentence patterns (the hard case for near-duplicates).
// Deterministic: the same seed gives the same stream on every platform.
#include <cstdint>
#include <string>
#include <vector>

namespace newswatch::testing {

// splitmix64: the same numbers on every platform (std distributions are implementation-
// defined). Also used by bench/dedup for its corpus.
struct stream_rng {
    std::uint64_t state;
    std::uint64_t next() {
        std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
    double unit() { return static_cast<double>(next() >> 11) / 9007199254740992.0; }
    template <class C>
    const auto& pick(const C& c) {
        return c[below(c.size())];
    }
};

struct stream_item {
    std::size_t story = 0;  // ground truth: items with the same story are one development
    std::size_t topic = 0;
    std::string outlet;
    std::string guid;
    std::string title;
    std::string link;
    std::string lede;         // the summary, 30 words or more
    std::string variant;      // original, tracking, suffix, reworded, retitled, amp
    std::int64_t minute = 0;  // minutes since the stream began, non-decreasing
};

struct stream_options {
    std::size_t stories = 300;
    std::uint64_t seed = 13;
};

std::vector<stream_item> generate_story_stream(const stream_options& options = {});

}  // namespace newswatch::testing
