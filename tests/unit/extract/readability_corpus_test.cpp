// Issue 15: the extractor on Readability.js's 130 test pages (../shared/data/article-pages/
// readability/<case>/source.html), scored by token-overlap F1 against Readability's own
// output (expected.html). The floor is the measured mean less a margin: a change that makes
// extraction worse across the corpus fails here. bench/extract/f1.sh prints the per-case
// figures and python3-readability's on the same pages.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "newswatch/extract/article_extractor.hpp"
#include "newswatch/extract/token_overlap.hpp"
#include "test_paths.hpp"

namespace {

using namespace newswatch;

// Measured 2026-12-06: see docs/BENCHMARKS.md ("Article extraction").
constexpr double mean_f1_floor = 0.95;

std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(readability_corpus, mean_token_f1_against_readability_js) {
    NEWSWATCH_REQUIRE_SHARED(shared);
    const auto cases = shared / "data/article-pages/readability";
    if (!std::filesystem::is_directory(cases))
        GTEST_SKIP() << cases << " is absent: skipping the article-extraction corpus";
    const auto whole_page = extract::css_selector::parse("body").value();
    double sum = 0;
    int n = 0, titled = 0;
    for (const auto& entry : std::filesystem::directory_iterator(cases)) {
        if (!std::filesystem::exists(entry.path() / "source.html")) continue;
        const extract::article ours = extract::extract_article(
            slurp(entry.path() / "source.html"), {.base_url = "http://fakehost/test/page.html"});
        const extract::article reference = extract::extract_article(slurp(entry.path() / "expected.html"),
                                                                    {.content_selector = &whole_page});
        sum += extract::measure_token_overlap(ours.text, reference.text).f1;
        ++n;
        if (ours.title && !ours.title->empty()) ++titled;
    }
    ASSERT_GE(n, 100) << "expected the 130 Readability.js cases in " << cases;
    const double mean = sum / n;
    std::cout << "mean token F1 over " << n << " pages: " << mean << "; titles found: " << titled << "\n";
    EXPECT_GE(mean, mean_f1_floor);
    EXPECT_GE(titled, n * 9 / 10);
}

TEST(token_overlap, counts_words_as_multisets) {
    EXPECT_DOUBLE_EQ(extract::measure_token_overlap("", "").f1, 1.0);
    EXPECT_DOUBLE_EQ(extract::measure_token_overlap("a b", "").f1, 0.0);
    const auto o = extract::measure_token_overlap("NATO NATO allies", "nato allies meet");
    EXPECT_DOUBLE_EQ(o.precision, 2.0 / 3);
    EXPECT_DOUBLE_EQ(o.recall, 2.0 / 3);
}

}  // namespace
