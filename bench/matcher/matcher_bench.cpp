// Matcher throughput: MB/s of item text (title + summary + content) through one compiled
// watch_set of 1, 100 and 1,000 watches, on one core.
//
// Corpus: the FNC-1 news article bodies in ../shared/data/fnc1 (1,683 articles, 3.7 MB),
// each with a headline that was written for it. Without ../shared the labelled pack
// examples (tests/data/matcher) are repeated instead, and the numbers say less.
// Watches: the six NATO–Ukraine pack watches (feeds/nato-ukraine.toml) plus generated
// watches over the corpus vocabulary, mixing every operator: AND, OR, NOT, phrases,
// prefix wildcards, NEAR/n, SENTENCE(...) and field scopes. Deterministic (fixed seed).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "newswatch/config/config.hpp"
#include "newswatch/matcher/watch_set.hpp"
#include "newswatch/text/tokenizer.hpp"

namespace {

namespace fs = std::filesystem;
using newswatch::matcher::document;
using newswatch::matcher::watch_set;
using newswatch::matcher::watch_spec;

struct item {
    std::string title;
    std::string summary;
    std::string content;
};

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// RFC 4180 CSV: quoted fields with "" escapes and embedded newlines.
std::vector<std::vector<std::string>> read_csv(const std::string& text) {
    std::vector<std::vector<std::string>> rows(1);
    std::string field;
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field.push_back('"');
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field.push_back(c);
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            rows.back().push_back(std::move(field));
            field.clear();
        } else if (c == '\n') {
            rows.back().push_back(std::move(field));
            field.clear();
            rows.emplace_back();
        } else if (c != '\r') {
            field.push_back(c);
        }
    }
    if (!field.empty() || !rows.back().empty()) rows.back().push_back(std::move(field));
    if (rows.back().empty()) rows.pop_back();
    return rows;
}

fs::path shared_dir() {
    if (const char* env = std::getenv("NEWSWATCH_SHARED_DIR")) return env;
    return fs::path(NEWSWATCH_SOURCE_DIR).parent_path() / "shared";
}

std::vector<item> load_corpus() {
    std::vector<item> items;
    const fs::path fnc = shared_dir() / "data/fnc1";
    if (fs::exists(fnc / "train_bodies.csv")) {
        std::map<std::string, std::string> headline_of;
        for (const auto& row : read_csv(slurp(fnc / "train_stances.csv")))
            if (row.size() >= 2) headline_of.emplace(row[1], row[0]);
        bool header = true;
        for (auto& row : read_csv(slurp(fnc / "train_bodies.csv"))) {
            if (header || row.size() < 2) {
                header = false;
                continue;
            }
            item it;
            it.title = headline_of.count(row[0]) ? headline_of[row[0]] : "";
            const auto dot = row[1].find(". ");
            it.summary = row[1].substr(0, dot == std::string::npos ? std::min<std::size_t>(row[1].size(), 300) : dot + 1);
            it.content = std::move(row[1]);
            items.push_back(std::move(it));
        }
        std::cerr << "corpus: FNC-1 bodies, " << items.size() << " items\n";
        return items;
    }
    std::istringstream in(slurp(fs::path(NEWSWATCH_SOURCE_DIR) / "tests/data/matcher/nato-ukraine-examples.tsv"));
    std::string line;
    std::vector<item> base;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::vector<std::string> cols;
        std::stringstream ss(line);
        std::string col;
        while (std::getline(ss, col, '\t')) cols.push_back(col);
        if (cols.size() == 4) base.push_back({cols[2], cols[3], cols[3] + " " + cols[2] + " " + cols[3]});
    }
    for (int i = 0; i < 20; ++i) items.insert(items.end(), base.begin(), base.end());
    std::cerr << "corpus: ../shared absent, pack examples repeated, " << items.size() << " items\n";
    return items;
}

const std::vector<item>& corpus() {
    static const std::vector<item> c = load_corpus();
    return c;
}

std::size_t corpus_bytes() {
    std::size_t n = 0;
    for (const auto& it : corpus()) n += it.title.size() + it.summary.size() + it.content.size();
    return n;
}

// Words of the corpus by frequency (folded), skipping the most frequent (function words).
std::vector<std::string> vocabulary() {
    std::unordered_map<std::string, int> freq;
    newswatch::text::token_list toks;
    for (const auto& it : corpus()) {
        newswatch::text::tokenize(it.content, {}, toks);
        for (std::size_t i = 0; i < toks.tokens.size(); ++i) {
            const auto k = toks.key(i);
            if (k.size() >= 3 && k.find_first_of("0123456789'") == std::string_view::npos) ++freq[std::string(k)];
        }
    }
    std::vector<std::pair<int, std::string>> by_freq;
    for (auto& [w, n] : freq) by_freq.emplace_back(n, w);
    std::sort(by_freq.begin(), by_freq.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    std::vector<std::string> words;
    for (std::size_t i = 100; i < by_freq.size() && words.size() < 8000; ++i) words.push_back(by_freq[i].second);
    return words;
}

std::vector<watch_spec> pack_watches() {
    const auto cfg = newswatch::config::load_configuration(fs::path(NEWSWATCH_SOURCE_DIR) / "feeds/nato-ukraine.toml");
    std::vector<watch_spec> specs;
    for (const auto& w : cfg.watches) specs.push_back(w.spec);
    return specs;
}

// `count` watches: the pack first, then generated ones. With `options`, every 10th
// generated watch stems (English) and every 10th other one is accent-insensitive.
std::vector<watch_spec> make_watches(std::size_t count, bool options) {
    static const std::vector<std::string> words = vocabulary();
    std::vector<watch_spec> specs = pack_watches();
    if (specs.size() > count) specs.resize(count);
    std::mt19937 rng(20261128);
    auto word = [&] { return words[std::uniform_int_distribution<std::size_t>(0, words.size() - 1)(rng)]; };
    while (specs.size() < count) {
        const std::size_t i = specs.size();
        watch_spec s;
        s.name = "generated-" + std::to_string(i);
        switch (i % 7) {
            case 0: s.query = word() + " AND " + word(); break;
            case 1: s.query = "\"" + word() + " " + word() + "\" OR " + word(); break;
            case 2: s.query = "(" + word() + " OR " + word() + " OR " + word() + ") AND NOT " + word(); break;
            case 3: s.query = word().substr(0, 5) + "* NEAR/5 " + word(); break;
            case 4: s.query = "SENTENCE(" + word() + " " + word() + ")"; break;
            case 5: s.query = "title:" + word() + " OR summary:(" + word() + " " + word() + ")"; break;
            default: s.query = word() + " " + word() + " " + word(); break;
        }
        if (options && i % 10 == 0) {
            s.language = "english";
            s.stemming = true;
        } else if (options && i % 10 == 5) {
            s.accent_insensitive = true;
        }
        specs.push_back(std::move(s));
    }
    return specs;
}

void run(benchmark::State& state, bool options) {
    const auto specs = make_watches(static_cast<std::size_t>(state.range(0)), options);
    auto set = watch_set::compile(specs);
    if (!set) {
        state.SkipWithError(set.err().message.c_str());
        return;
    }
    std::size_t matches = 0;
    for (auto _ : state) {
        for (const auto& it : corpus()) {
            document d;
            d.title = it.title;
            d.summary = it.summary;
            d.content = it.content;
            const auto r = set->match(d);
            matches += r.size();
            benchmark::DoNotOptimize(r.data());
        }
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * corpus_bytes()));
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * corpus().size()));
    state.counters["matches_per_item"] =
        static_cast<double>(matches) / static_cast<double>(state.iterations() * corpus().size());
}

void BM_match(benchmark::State& state) { run(state, false); }
void BM_match_mixed_options(benchmark::State& state) { run(state, true); }

BENCHMARK(BM_match)->Arg(1)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_match_mixed_options)->Arg(1000)->Unit(benchmark::kMillisecond)->MinTime(2.0);

// The floor under every matcher: tokenising and folding the same text once.
void BM_tokenize_only(benchmark::State& state) {
    newswatch::text::token_list toks;
    for (auto _ : state)
        for (const auto& it : corpus()) {
            newswatch::text::tokenize(it.title, {}, toks);
            newswatch::text::tokenize(it.summary, {}, toks);
            newswatch::text::tokenize(it.content, {}, toks);
            benchmark::DoNotOptimize(toks.tokens.data());
        }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * corpus_bytes()));
}
BENCHMARK(BM_tokenize_only)->Unit(benchmark::kMillisecond)->MinTime(2.0);

// Issue #10 item 3: time per item against item size, for hostile items (hit-dense text)
// matched by the NATO-Ukraine pack. Linear matching shows as a constant bytes_per_second
// from 1 KB to 16 MB (before the fix, 1 MB took 14 s and 2 MB 70 s). Two shapes:
//   clause:    pack words without punctuation: one clause of the whole item, every word a
//              hit, negation and hedge cues in it (marking each hit scanned the clause);
//   sentences: short sentences full of hits (SENTENCE(...) scanned every occurrence once
//              per sentence).
// The matcher alone: [daemon] max_item_text (256 KiB by default) cuts items before this.
std::string hostile_text(bool sentences, std::size_t bytes) {
    const std::string unit =
        sentences ? "Ukraine joins NATO. Kyiv sends weapons to the front. Russia may reject peace talks. "
                  : "Ukraine NATO membership military aid weapons Russia ceasefire peace talks sent missiles not may ";
    std::string text;
    text.reserve(bytes);
    while (text.size() < bytes) text.append(unit, 0, std::min(unit.size(), bytes - text.size()));
    return text;
}

void hostile(benchmark::State& state, bool sentences) {
    static const auto set = watch_set::compile(pack_watches());
    const auto bytes = static_cast<std::size_t>(state.range(0));
    const std::string text = hostile_text(sentences, bytes);
    document d;
    d.title = "Ukraine and NATO";
    d.content = text;
    std::size_t hits = 0;
    for (auto _ : state) {
        const auto r = set->match(d);
        hits = 0;
        for (const auto& w : r) hits += w.hits_total;
        benchmark::DoNotOptimize(r.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
    state.counters["hits"] = static_cast<double>(hits);
}
void BM_hostile_item_clause(benchmark::State& state) { hostile(state, false); }
void BM_hostile_item_sentences(benchmark::State& state) { hostile(state, true); }
BENCHMARK(BM_hostile_item_clause)->RangeMultiplier(4)->Range(1 << 10, 16 << 20)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_hostile_item_sentences)->RangeMultiplier(4)->Range(1 << 10, 16 << 20)->Unit(benchmark::kMillisecond);

void BM_compile(benchmark::State& state) {
    const auto specs = make_watches(static_cast<std::size_t>(state.range(0)), false);
    for (auto _ : state) {
        auto set = watch_set::compile(specs);
        benchmark::DoNotOptimize(set.ok());
    }
}
BENCHMARK(BM_compile)->Arg(1000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
