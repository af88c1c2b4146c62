// extract_bench CASES_DIR [--seconds S]
// Extraction throughput on one core over every CASES_DIR/<case>/source.html (the Readability.js
// test pages): the HTML5 parse (charset decoding + libgumbo) and the rest (metadata, JSON-LD,
// scoring, cleaning, text) timed apart, in MB of HTML per second of this thread's CPU time
// (CLOCK_THREAD_CPUTIME_ID: "per core", and not inflated when other processes share the
// cores). Wall time is printed too.
#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "newswatch/extract/article_extractor.hpp"

namespace {

// A steady clock over this thread's CPU time.
struct thread_cpu_clock {
    using duration = std::chrono::nanoseconds;
    using rep = duration::rep;
    using period = duration::period;
    using time_point = std::chrono::time_point<thread_cpu_clock>;
    static constexpr bool is_steady = true;
    static time_point now() noexcept {
        timespec ts{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return time_point(duration(std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec)));
    }
};

}  // namespace

int main(int argc, char** argv) {
    using clock = thread_cpu_clock;
    if (argc < 2) {
        std::fprintf(stderr, "usage: extract_bench CASES_DIR [--seconds S]\n");
        return 2;
    }
    double min_seconds = 5;
    if (argc >= 4 && std::string(argv[2]) == "--seconds") min_seconds = std::atof(argv[3]);
    std::vector<std::string> pages;
    std::size_t bytes = 0;
    for (const auto& entry : std::filesystem::directory_iterator(argv[1])) {
        std::ifstream in(entry.path() / "source.html", std::ios::binary);
        if (!in) continue;
        pages.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        bytes += pages.back().size();
    }
    if (pages.empty()) {
        std::fprintf(stderr, "extract_bench: no <case>/source.html under %s\n", argv[1]);
        return 1;
    }
    const newswatch::extract::extract_options options{.base_url = "http://fakehost/test/page.html"};
    clock::duration parse{}, extract{};
    const auto wall_start = std::chrono::steady_clock::now();
    std::size_t rounds = 0, text_bytes = 0;
    while (std::chrono::duration<double>(parse + extract).count() < min_seconds || rounds == 0) {
        for (const auto& page : pages) {
            const auto t0 = clock::now();
            const auto doc = newswatch::extract::html_document::parse(page);
            const auto t1 = clock::now();
            const auto article = newswatch::extract::extract_article(doc, options);
            const auto t2 = clock::now();
            parse += t1 - t0;
            extract += t2 - t1;
            text_bytes += article.text.size();
        }
        ++rounds;
    }
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
    const double mb = double(bytes) * double(rounds) / 1e6;
    const double p = std::chrono::duration<double>(parse).count();
    const double e = std::chrono::duration<double>(extract).count();
    std::printf("pages %zu, HTML %.1f MB per round, %zu rounds, text %.1f%% of the HTML\n", pages.size(),
                double(bytes) / 1e6, rounds, 100.0 * double(text_bytes) / (double(bytes) * double(rounds)));
    std::printf("html parse (charset + gumbo): %7.2f s  %7.1f MB/s\n", p, mb / p);
    std::printf("scoring + metadata + text:    %7.2f s  %7.1f MB/s\n", e, mb / e);
    std::printf("total on one core:            %7.2f s  %7.1f MB/s  (%.0f%% in the parse)\n", p + e,
                mb / (p + e), 100.0 * p / (p + e));
    std::printf("(CPU time of this thread; wall time %.2f s, %.1f MB/s)\n", wall, mb / wall);
    return 0;
}
