// The NATO–Ukraine pack on its synthetic labelled set (issue #15 item 2):
// tests/data/matcher/nato-ukraine-labelled.tsv, per-watch precision and recall on the
// held-back third (never used for tuning), as titles with ledes and as full articles built
// from ../shared's article pages (skipped when ../shared is absent). The thresholds sit a
// little below what the shipped pack reaches (docs: feeds/README.md), so a change that
// makes the pack worse fails here.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "newswatch/config/config.hpp"
#include "newswatch/matcher/watch_set.hpp"
#include "test_paths.hpp"

namespace newswatch::matcher {
namespace {

struct labelled_item {
    std::string watch;
    bool positive = false;
    std::string title;
    std::string lede;
    bool held_back = false;
    int line = 0;
};

// watch<TAB>pos|neg<TAB>title<TAB>lede; within each watch, row k with k % 3 == 2 is held back.
std::vector<labelled_item> load_labelled() {
    std::ifstream in(testing::source_dir() / "tests/data/matcher/nato-ukraine-labelled.tsv");
    EXPECT_TRUE(in) << "labelled set missing";
    std::vector<labelled_item> out;
    std::map<std::string, int> rows;
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
        ++n;
        if (line.empty() || line[0] == '#') continue;
        std::vector<std::string> cols;
        std::stringstream ss(line);
        for (std::string col; std::getline(ss, col, '\t');) cols.push_back(col);
        EXPECT_EQ(cols.size(), 4u) << "line " << n;
        if (cols.size() != 4) continue;
        EXPECT_TRUE(cols[1] == "pos" || cols[1] == "neg") << "line " << n;
        out.push_back({cols[0], cols[1] == "pos", cols[2], cols[3], rows[cols[0]]++ % 3 == 2, n});
    }
    return out;
}

watch_set compile_specs(const std::vector<watch_spec>& specs) {
    query_error err;
    auto set = watch_set::compile(specs, &err);
    if (!set) throw std::runtime_error(err.to_string());
    return std::move(set).value();
}

// NEWSWATCH_PACK_FILE=path evaluates another version of the pack (the "before" figures: the
// pack as it was before #15, from git); its missing watches count as never firing.
std::vector<watch_spec> pack_specs() {
    const char* other = std::getenv("NEWSWATCH_PACK_FILE");
    const auto cfg = config::load_configuration(other ? std::filesystem::path(other)
                                                      : testing::source_dir() / "feeds/nato-ukraine.toml");
    std::vector<watch_spec> specs;
    for (const auto& w : cfg.watches) specs.push_back(w.spec);
    return specs;
}

// One evaluated case: a document and whether the watch should fire on it.
struct test_case {
    std::string watch;
    bool positive = false;
    std::string title, summary, content;
    std::string label;  // for failure messages
};

struct tally {
    int tp = 0, fp = 0, fn = 0, tn = 0;
    std::string errors;
    double precision() const { return tp + fp == 0 ? 1.0 : static_cast<double>(tp) / (tp + fp); }
    double recall() const { return tp + fn == 0 ? 1.0 : static_cast<double>(tp) / (tp + fn); }
};

std::map<std::string, tally> evaluate(const watch_set& set, const std::vector<test_case>& cases) {
    std::map<std::string, tally> out;
    for (const auto& c : cases) {
        document doc;
        doc.title = c.title;
        doc.summary = c.summary;
        doc.content = c.content;
        bool hit = false;
        for (const auto& r : set.match(doc)) hit |= set.specs()[r.watch_index].name == c.watch;
        auto& t = out[c.watch];
        if (hit && c.positive)
            ++t.tp;
        else if (hit)
            ++t.fp, t.errors += "\n  false positive: " + c.label;
        else if (c.positive)
            ++t.fn, t.errors += "\n  missed: " + c.label;
        else
            ++t.tn;
    }
    return out;
}

void print(const char* what, const std::map<std::string, tally>& result) {
    std::printf("%s\n", what);
    for (const auto& [watch, t] : result)
        std::printf("  %-13s precision %.3f recall %.3f (tp %d fp %d fn %d tn %d)\n", watch.c_str(),
                    t.precision(), t.recall(), t.tp, t.fp, t.fn, t.tn);
}

std::vector<test_case> title_lede_cases(bool held_back) {
    std::vector<test_case> out;
    for (const auto& e : load_labelled())
        if (e.held_back == held_back)
            out.push_back({e.watch, e.positive, e.title, e.lede, "",
                           "line " + std::to_string(e.line) + ": " + e.title});
    return out;
}

// Plain text of Readability.js's expected output for a shared article page (tags dropped,
// entities left as they are: only word counts and the absence of the topic matter here).
std::string page_text(const std::filesystem::path& expected_html) {
    const std::string html = testing::read_file(expected_html);
    std::string text;
    bool in_tag = false;
    for (char c : html) {
        if (c == '<')
            in_tag = true;
        else if (c == '>')
            in_tag = false, text += ' ';
        else if (!in_tag)
            text += c == '\n' ? ' ' : c;
    }
    std::string squeezed;
    for (char c : text)
        if (!(c == ' ' && !squeezed.empty() && squeezed.back() == ' ')) squeezed += c;
    return squeezed;
}

// Long English bodies from ../shared/data/article-pages (800+ words) with no word of the
// pack's topics, sorted by case name so the construction is deterministic.
std::vector<std::string> filler_bodies(const std::filesystem::path& shared, const watch_set& set) {
    std::vector<std::filesystem::path> cases;
    for (const auto& entry : std::filesystem::directory_iterator(shared / "data/article-pages/readability"))
        if (std::filesystem::exists(entry.path() / "expected.html")) cases.push_back(entry.path());
    std::sort(cases.begin(), cases.end());
    std::vector<std::string> out;
    for (const auto& c : cases) {
        std::string text = page_text(c / "expected.html");
        document doc;
        doc.content = text;
        std::size_t words = 0;
        std::istringstream ws(text);
        for (std::string w; ws >> w;) ++words;
        if (words >= 800 && words <= 6000 && set.match(doc).empty()) out.push_back(std::move(text));
    }
    return out;
}

// Full articles: every item with a long body after its lede (same label), and every
// positive item's title and lede buried two thirds down an unrelated long article (a passing
// mention: negative for that watch).
std::vector<test_case> full_article_cases(bool held_back, const std::vector<std::string>& fillers) {
    std::vector<test_case> out;
    std::size_t k = 0;
    for (const auto& e : load_labelled()) {
        if (e.held_back != held_back) continue;
        const std::string& body = fillers[k++ % fillers.size()];
        out.push_back({e.watch, e.positive, e.title, "", e.lede + "\n\n" + body,
                       "line " + std::to_string(e.line) + " (full article): " + e.title});
        if (!e.positive) continue;
        const std::string& other = fillers[(k * 7 + 3) % fillers.size()];
        std::size_t cut = other.find(". ", other.size() * 2 / 3);
        if (cut == std::string::npos) cut = other.size();
        out.push_back({e.watch, false, "Weekend reading", "",
                       other.substr(0, cut + 1) + " " + e.title + ". " + e.lede + " " + other.substr(cut + 1),
                       "line " + std::to_string(e.line) + " (passing mention): " + e.title});
    }
    return out;
}

// Per-watch floors on the held-back third, a little below what the shipped pack reaches.
struct floor_figures {
    double precision, recall;
};
const std::map<std::string, floor_figures> title_lede_floors = {
    {"membership", {0.9, 0.75}}, {"military-aid", {0.8, 0.65}}, {"peace-talks", {0.9, 0.95}},
    {"escalation", {0.8, 0.8}},  {"sanctions", {0.95, 0.95}},   {"diplomacy", {0.95, 0.6}},
};
const std::map<std::string, floor_figures> full_article_floors = {
    {"membership", {0.9, 0.75}}, {"military-aid", {0.8, 0.65}}, {"peace-talks", {0.9, 0.95}},
    {"escalation", {0.75, 0.8}}, {"sanctions", {0.95, 0.95}},   {"diplomacy", {0.95, 0.6}},
};

void expect_floors(const std::map<std::string, tally>& result,
                   const std::map<std::string, floor_figures>& floors) {
    for (const auto& [watch, f] : floors) {
        ASSERT_TRUE(result.contains(watch)) << watch;
        const auto& t = result.at(watch);
        EXPECT_GE(t.precision(), f.precision) << watch << t.errors;
        EXPECT_GE(t.recall(), f.recall) << watch << t.errors;
    }
}

TEST(pack_evaluation, labelled_set_has_600_items_and_covers_the_six_watches) {
    const auto items = load_labelled();
    EXPECT_GE(items.size(), 600u);
    std::map<std::string, std::pair<int, int>> counts;
    for (const auto& e : items) (e.positive ? counts[e.watch].first : counts[e.watch].second)++;
    for (const char* w :
         {"membership", "military-aid", "peace-talks", "escalation", "sanctions", "diplomacy"}) {
        EXPECT_GE(counts[w].first, 40) << w;
        EXPECT_GE(counts[w].second, 40) << w;
    }
}

TEST(pack_evaluation, held_back_titles_with_ledes_meet_the_floors) {
    const auto set = compile_specs(pack_specs());
    const auto tuning = evaluate(set, title_lede_cases(false));
    print("tuning split, titles with ledes:", tuning);
    // NEWSWATCH_PACK_ERRORS=1 lists the tuning split's errors (what tuning the pack looks at).
    if (std::getenv("NEWSWATCH_PACK_ERRORS"))
        for (const auto& [watch, t] : tuning) std::printf("%s:%s\n", watch.c_str(), t.errors.c_str());
    const auto held = evaluate(set, title_lede_cases(true));
    print("held-back third, titles with ledes:", held);
    expect_floors(held, title_lede_floors);
}

TEST(pack_evaluation, held_back_full_articles_meet_the_floors) {
    NEWSWATCH_REQUIRE_SHARED(shared);
    auto specs = pack_specs();
    const auto set = compile_specs(specs);
    const auto fillers = filler_bodies(shared, set);
    ASSERT_GE(fillers.size(), 10u);
    // NEWSWATCH_DENSITY_SWEEP=1 prints the tuning split at other min_density values (how the
    // default was chosen); the held-back third is never part of that.
    if (std::getenv("NEWSWATCH_DENSITY_SWEEP")) {
        for (double d : {0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 5.0}) {
            auto swept = specs;
            for (auto& s : swept)
                if (s.scope == watch_scope::body) s.min_density = d;
            print(("tuning split, full articles, min_density " + std::to_string(d) + ":").c_str(),
                  evaluate(compile_specs(swept), full_article_cases(false, fillers)));
        }
    }
    const auto held = evaluate(set, full_article_cases(true, fillers));
    print("held-back third, full articles:", held);
    expect_floors(held, full_article_floors);
}

}  // namespace
}  // namespace newswatch::matcher
