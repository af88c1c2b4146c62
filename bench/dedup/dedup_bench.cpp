// The cost of the dedup check per new item at 100,000 remembered stories (issue #13 item 2:
// < 5 µs).
//
// Corpus: 100,000 distinct stories, each a 10-word title and a 40-word lede drawn from a
// Zipf distribution (s = 1) over a 30,000-word vocabulary, so that stories share the
// frequent words the way news text does, and a link. Lookups, half and half: copies of
// remembered stories under another link with one word of the title and one of the lede
// changed (they find their original by similarity), and stories never seen (they find
// nothing). (The multi-outlet stream of the tests is for the duplicate rate: its four
// topics and fixed sentence patterns repeat whole headlines at 100,000 stories.)
//
// BM_check: story_index::find alone, on the event loop, where the daemon runs it. Arg: the
// number of watches the stories are spread over (1 = all 100,000 in one watch).
// BM_fingerprint: fingerprint_of (link, title, MinHash), on a worker thread in the daemon.
// BM_remember: adding 100,000 stories to an empty index.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "newswatch/dedup/story_index.hpp"
#include "story_stream.hpp"

namespace {

using namespace newswatch;

constexpr std::size_t remembered = 100'000;
constexpr std::size_t lookups = 20'000;

struct story_text {
    std::string title, link, lede;
};

struct corpus {
    std::vector<dedup::story_fingerprint> originals, lookups;
    std::vector<std::size_t> lookup_story;  // the story a lookup copies (remembered + i when new)
    std::vector<story_text> lookup_texts;
};

using rng = testing::stream_rng;

class zipf_words {
public:
    explicit zipf_words(std::size_t n) {
        double sum = 0;
        for (std::size_t k = 1; k <= n; ++k) cumulative_.push_back(sum += 1.0 / static_cast<double>(k));
        for (auto& c : cumulative_) c /= sum;
        static constexpr const char* syllables[] = {"ka", "lo", "mi", "ne", "ru", "sa", "to",
                                                    "vi", "de", "po", "an", "el", "or", "us",
                                                    "im", "ba", "ge", "hu", "ja", "ze"};
        for (std::size_t k = 0; k < n; ++k) {
            std::string w;
            std::size_t x = k + 1;
            while (x > 0) {
                w += syllables[x % 20];
                x /= 20;
            }
            words_.push_back(std::move(w));
        }
    }
    const std::string& draw(rng& r) const {
        const auto at = std::lower_bound(cumulative_.begin(), cumulative_.end(), r.unit());
        return words_[std::min<std::size_t>(static_cast<std::size_t>(at - cumulative_.begin()),
                                            words_.size() - 1)];
    }

private:
    std::vector<double> cumulative_;
    std::vector<std::string> words_;
};

std::string sentence(rng& r, const zipf_words& z, std::size_t n) {
    std::string s;
    for (std::size_t i = 0; i < n; ++i) s += (i ? " " : "") + z.draw(r);
    return s;
}

// `text` with its `index`-th word replaced.
std::string with_word_changed(const std::string& text, std::size_t index, const std::string& word) {
    std::size_t begin = 0;
    for (std::size_t i = 0; i < index; ++i) begin = text.find(' ', begin) + 1;
    const std::size_t end = std::min(text.find(' ', begin), text.size());
    return text.substr(0, begin) + word + text.substr(end);
}

const corpus& data() {
    static const corpus c = [] {
        corpus out;
        rng r{13};
        const zipf_words z(30'000);
        std::vector<story_text> stories;
        for (std::size_t i = 0; i < remembered + lookups / 2; ++i)
            stories.push_back(
                {sentence(r, z, 10),
                 "https://outlet" + std::to_string(i % 50) + ".example/news/" + std::to_string(i),
                 sentence(r, z, 40)});
        for (std::size_t i = 0; i < remembered; ++i)
            out.originals.push_back(
                dedup::fingerprint_of(stories[i].title, stories[i].link, stories[i].lede));
        for (std::size_t i = 0; i < lookups / 2; ++i) {
            const std::size_t original = static_cast<std::size_t>(r.next() % remembered);
            const story_text& o = stories[original];
            story_text copy{with_word_changed(o.title, r.next() % 10, "reportedly"),
                            "https://other.example/" + std::to_string(i),
                            with_word_changed(o.lede, r.next() % 40, "allegedly")};
            out.lookup_texts.push_back(copy);
            out.lookup_story.push_back(original);
            out.lookup_texts.push_back(stories[remembered + i]);
            out.lookup_story.push_back(remembered + i);
        }
        for (const auto& t : out.lookup_texts)
            out.lookups.push_back(dedup::fingerprint_of(t.title, t.link, t.lede));
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
        index.remember(watch_of(i, watches), "", c.originals[i], std::to_string(i),
                       t0 + core::seconds{static_cast<std::int64_t>(i)});
    return index;
}

void BM_check(benchmark::State& state) {
    const auto watches = static_cast<std::size_t>(state.range(0));
    const dedup::story_index index = filled(watches);
    const corpus& c = data();
    std::size_t i = 0, found = 0, wrong = 0;
    for (auto _ : state) {
        const auto match = index.find(watch_of(c.lookup_story[i], watches), "", c.lookups[i], t0, 0.5);
        found += match.has_value();
        wrong += match.has_value() && match->original_alert_id != std::to_string(c.lookup_story[i]);
        benchmark::DoNotOptimize(match);
        if (++i == c.lookups.size()) i = 0;
    }
    state.counters["stories"] = static_cast<double>(index.size());
    // 0.5: every copy found, no new story taken for a copy; wrong: found the wrong story.
    state.counters["found_share"] = static_cast<double>(found) / static_cast<double>(state.iterations());
    state.counters["wrong"] = static_cast<double>(wrong);
}
BENCHMARK(BM_check)->Arg(1)->Arg(10)->Unit(benchmark::kMicrosecond);

void BM_fingerprint(benchmark::State& state) {
    const corpus& c = data();
    std::size_t i = 0;
    for (auto _ : state) {
        const auto& t = c.lookup_texts[i];
        benchmark::DoNotOptimize(dedup::fingerprint_of(t.title, t.link, t.lede));
        if (++i == c.lookup_texts.size()) i = 0;
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
