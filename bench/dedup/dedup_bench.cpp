// The cost of the dedup check per new item at 100,000 remembered stories (issue #13 item 2:
// < 5 µs). The stories come from the generated multi-outlet stream (tests/support/
// story_stream.hpp): 100,000 originals remembered, the lookups are their copies (which
// find their original) and stories not yet seen (which find nothing), half and half.
//
// BM_check: story_index::find alone, on the event loop, where the daemon runs it;
// BM_fingerprint: fingerprint_of (link, title, MinHash), on a worker thread in the daemon;
// BM_remember: adding one story. Arg: the number of watches the stories are spread over
// (1 = every story in one watch, the worst case: all 100,000 on four topics).
#include <benchmark/benchmark.h>

#include <map>
#include <vector>

#include "newswatch/dedup/story_index.hpp"
#include "story_stream.hpp"

namespace {

using namespace newswatch;

constexpr std::size_t remembered = 100'000;

struct corpus {
    std::vector<dedup::story_fingerprint> originals, lookups;
    std::vector<std::size_t> original_story;
    std::vector<testing::stream_item> lookup_items;
};

const corpus& data() {
    static const corpus c = [] {
        corpus out;
        // More stories than remembered: the rest are the "new story" lookups.
        const auto stream = testing::generate_story_stream({.stories = remembered + 5'000, .seed = 7});
        std::map<std::size_t, bool> first;
        std::vector<dedup::story_fingerprint> copies, fresh;
        std::vector<testing::stream_item> copy_items, fresh_items;
        for (const auto& item : stream) {
            const bool is_first = first.emplace(item.story, true).second;
            auto fp = dedup::fingerprint_of(item.title, item.link, item.lede);
            if (item.story < remembered) {
                if (is_first) {
                    out.originals.push_back(std::move(fp));
                    out.original_story.push_back(item.story);
                } else if (copies.size() < 5'000) {
                    copies.push_back(std::move(fp));
                    copy_items.push_back(item);
                }
            } else if (is_first) {
                fresh.push_back(std::move(fp));
                fresh_items.push_back(item);
            }
        }
        for (std::size_t i = 0; i < std::min(copies.size(), fresh.size()); ++i) {
            out.lookups.push_back(copies[i]);
            out.lookup_items.push_back(copy_items[i]);
            out.lookups.push_back(fresh[i]);
            out.lookup_items.push_back(fresh_items[i]);
        }
        return out;
    }();
    return c;
}

std::string watch_of(std::size_t story, std::size_t watches) {
    return "watch-" + std::to_string(story % watches);
}

const core::timestamp t0{core::seconds{1'720'000'000}};

dedup::story_index filled(std::size_t watches) {
    const corpus& c = data();
    dedup::story_index index;
    for (std::size_t i = 0; i < c.originals.size(); ++i)
        index.remember(watch_of(c.original_story[i], watches), "", c.originals[i], std::to_string(i),
                       t0 + core::seconds{static_cast<std::int64_t>(i)});
    return index;
}

void BM_check(benchmark::State& state) {
    const auto watches = static_cast<std::size_t>(state.range(0));
    const dedup::story_index index = filled(watches);
    const corpus& c = data();
    std::size_t i = 0, found = 0;
    for (auto _ : state) {
        const auto match = index.find(watch_of(c.lookup_items[i].story, watches), "", c.lookups[i], t0, 0.5);
        found += match.has_value();
        benchmark::DoNotOptimize(match);
        if (++i == c.lookups.size()) i = 0;
    }
    state.counters["stories"] = static_cast<double>(index.size());
    state.counters["found_share"] = static_cast<double>(found) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_check)->Arg(1)->Arg(10)->Unit(benchmark::kMicrosecond);

void BM_fingerprint(benchmark::State& state) {
    const corpus& c = data();
    std::size_t i = 0;
    for (auto _ : state) {
        const auto& item = c.lookup_items[i];
        benchmark::DoNotOptimize(dedup::fingerprint_of(item.title, item.link, item.lede));
        if (++i == c.lookup_items.size()) i = 0;
    }
}
BENCHMARK(BM_fingerprint)->Unit(benchmark::kMicrosecond);

void BM_remember(benchmark::State& state) {
    const corpus& c = data();
    for (auto _ : state) {
        state.PauseTiming();
        dedup::story_index index;
        state.ResumeTiming();
        for (std::size_t i = 0; i < c.originals.size(); ++i)
            index.remember("w", "", c.originals[i], std::to_string(i), t0);
        benchmark::DoNotOptimize(index.size());
    }
    state.counters["per_story_us"] =
        benchmark::Counter(static_cast<double>(c.originals.size()),
                           benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_remember)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
