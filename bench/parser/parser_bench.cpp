// Parser throughput over a corpus of realistic news feeds: bytes -> feed + items with every
// text field converted to plain text (HTML stripped, entities decoded, NFC), i.e. exactly
// what the daemon does per fetched feed. Corpus: $NEWSWATCH_PARSER_CORPUS (a directory of
// feed files, written by bench/parser/make_corpus.py). Target: >= 150 MB/s per core.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "newswatch/parser/feed_parser.hpp"
#include "newswatch/text/html_text.hpp"

namespace {

struct corpus {
    std::vector<std::string> files;
    std::size_t bytes = 0;
    std::size_t items = 0;
};

const corpus& load_corpus() {
    static const corpus c = [] {
        corpus out;
        const char* dir = std::getenv("NEWSWATCH_PARSER_CORPUS");
        if (!dir) {
            std::cerr << "set NEWSWATCH_PARSER_CORPUS to a directory of feeds (bench/parser/make_corpus.py DIR)\n";
            std::exit(2);
        }
        std::vector<std::filesystem::path> paths;
        for (const auto& e : std::filesystem::directory_iterator(dir)) paths.push_back(e.path());
        std::sort(paths.begin(), paths.end());
        for (const auto& p : paths) {
            std::ifstream in(p, std::ios::binary);
            std::ostringstream ss;
            ss << in.rdbuf();
            out.bytes += ss.str().size();
            out.files.push_back(std::move(ss).str());
        }
        for (const auto& f : out.files) out.items += newswatch::parser::parse_feed(f).items.size();
        return out;
    }();
    return c;
}

void BM_parse_corpus(benchmark::State& state) {
    const corpus& c = load_corpus();
    std::size_t items = 0;
    for (auto _ : state) {
        for (const auto& f : c.files) {
            auto r = newswatch::parser::parse_feed(f);
            items += r.items.size();
            benchmark::DoNotOptimize(r);
        }
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * c.bytes));
    state.counters["feeds/s"] = benchmark::Counter(static_cast<double>(state.iterations() * c.files.size()),
                                                   benchmark::Counter::kIsRate);
    state.counters["items/s"] = benchmark::Counter(static_cast<double>(items), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_parse_corpus)->Unit(benchmark::kMillisecond)->MinTime(3.0);

// HTML -> text alone, over the summaries of the corpus.
void BM_html_to_text(benchmark::State& state) {
    const corpus& c = load_corpus();
    static std::vector<std::string> html;
    static std::size_t bytes = 0;
    if (html.empty())
        for (const auto& f : c.files)
            for (const auto& item : newswatch::parser::parse_feed(f).items)
                if (item.summary_html) {
                    bytes += item.summary_html->size();
                    html.push_back(*item.summary_html);
                }
    for (auto _ : state)
        for (const auto& h : html) benchmark::DoNotOptimize(newswatch::text::html_to_text(h));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_html_to_text)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
