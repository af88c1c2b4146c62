// Stance classification speed on one core (issue #6 target: >= 2,000 pairs/s).
// Uses the committed model and, when ../shared is present, real FNC-1 training bodies;
// otherwise a synthetic article of typical length.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>

#include "newswatch/stance/fnc_data.hpp"
#include "newswatch/stance/model_path.hpp"
#include "newswatch/stance/stance_model.hpp"

namespace {

using namespace newswatch::stance;

const stance_model& model() {
    static stance_model m = [] {
        auto path = find_model_path(std::nullopt, std::nullopt, "");
        if (!path) {
            std::fprintf(stderr, "%s\n", path.err().message.c_str());
            std::exit(1);
        }
        auto loaded = stance_model::load(*path);
        if (!loaded) {
            std::fprintf(stderr, "%s\n", loaded.err().message.c_str());
            std::exit(1);
        }
        return std::move(loaded.value());
    }();
    return m;
}

// FNC-1's training pairs from ../shared (or $NEWSWATCH_SHARED_DIR), an error where absent.
auto load_training_pairs() {
    std::filesystem::path dir =
        std::filesystem::path(NEWSWATCH_SOURCE_DIR) / ".." / "shared" / "data" / "fnc1";
    if (const char* env = std::getenv("NEWSWATCH_SHARED_DIR"))
        dir = std::filesystem::path(env) / "data" / "fnc1";
    return load_fnc(dir / "train_bodies.csv", dir / "train_stances.csv");
}

// Without the shared data: one synthetic article of `sentences` sentences against one claim.
void add_synthetic_article(fnc_dataset& out, int sentences) {
    std::string body;
    for (int i = 0; i < sentences; ++i)
        body +=
            "Officials in Kyiv said on Tuesday that the talks about the alliance would continue, "
            "although several ministers denied reports of a deal. ";
    out.bodies.emplace("1", body);
    out.pairs.push_back({"Ukraine will join NATO", "1", std::nullopt});
}

// One pair per iteration, the article analysed every time.
void classify_each_pair(benchmark::State& state, const fnc_dataset& d) {
    const auto& m = model();
    std::size_t i = 0;
    for (auto _ : state) {
        const fnc_pair& p = d.pairs[i++ % d.pairs.size()];
        benchmark::DoNotOptimize(m.classify(p.headline, d.bodies.at(p.body_id)));
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

const fnc_dataset& sample() {
    static fnc_dataset d = [] {
        auto data = load_training_pairs();
        fnc_dataset out;
        if (data) {
            for (std::size_t i = 0; i < data->pairs.size() && out.pairs.size() < 2000; i += 25) {
                out.pairs.push_back(data->pairs[i]);
                out.bodies.emplace(data->pairs[i].body_id, data->bodies.at(data->pairs[i].body_id));
            }
        } else {
            add_synthetic_article(out, 20);
        }
        return out;
    }();
    return d;
}

// One (claim, article) pair per iteration, article analysed every time: the daemon's case.
void bm_classify_pair(benchmark::State& state) {
    classify_each_pair(state, sample());
}
BENCHMARK(bm_classify_pair)->Unit(benchmark::kMicrosecond);

// A feed item: title + two-sentence summary.
void bm_classify_short_item(benchmark::State& state) {
    const auto& m = model();
    const std::string item =
        "NATO leaders reaffirm Ukraine's path to membership\n"
        "Allied leaders said on Wednesday that Ukraine's future is in NATO, but declined to set a date. "
        "Officials denied reports that an invitation would be issued this year.";
    for (auto _ : state) benchmark::DoNotOptimize(m.classify("Ukraine will join NATO", item));
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(bm_classify_short_item)->Unit(benchmark::kMicrosecond);

std::size_t words(std::string_view text) {
    std::size_t n = 0;
    bool in_word = false;
    for (char c : text) {
        const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
        n += !space && !in_word;
        in_word = !space;
    }
    return n;
}

// Full articles (issue #15 item 3: >= 2,000 pairs/s per core): FNC-1 training pairs whose body
// has 800 to 2,000 words (105 bodies), else a synthetic article of 1,200 words; the article is
// analysed for every pair, as for a fetched article and one claim watch.
const fnc_dataset& long_sample() {
    static fnc_dataset d = [] {
        auto data = load_training_pairs();
        fnc_dataset out;
        if (data) {
            for (const auto& p : data->pairs) {
                const std::string& body = data->bodies.at(p.body_id);
                const std::size_t n = words(body);
                if (n < 800 || n > 2000 || out.pairs.size() >= 2000) continue;
                out.pairs.push_back(p);
                out.bodies.emplace(p.body_id, body);
            }
        }
        if (out.pairs.empty()) add_synthetic_article(out, 60);
        std::size_t total = 0;
        for (const auto& [id, body] : out.bodies) total += words(body);
        std::fprintf(stderr, "full articles: %zu pairs, %zu bodies, %zu words per body on average\n",
                     out.pairs.size(), out.bodies.size(), total / out.bodies.size());
        return out;
    }();
    return d;
}

void bm_classify_full_article(benchmark::State& state) {
    classify_each_pair(state, long_sample());
}
BENCHMARK(bm_classify_full_article)->Unit(benchmark::kMicrosecond);

// With evidence (what --explain costs).
void bm_classify_with_evidence(benchmark::State& state) {
    const auto& m = model();
    const auto& d = sample();
    std::size_t i = 0;
    for (auto _ : state) {
        const fnc_pair& p = d.pairs[i++ % d.pairs.size()];
        benchmark::DoNotOptimize(m.classify(p.headline, d.bodies.at(p.body_id), true));
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(bm_classify_with_evidence)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
