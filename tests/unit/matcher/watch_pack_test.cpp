// The NATO–Ukraine watch pack (feeds/nato-ukraine.toml) on its labelled examples (#5 item 6).
#include "newswatch/matcher/watch_set.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "newswatch/config/config.hpp"
#include "test_paths.hpp"

namespace newswatch::matcher {
namespace {

struct example {
    std::string watch;
    bool positive = false;
    std::string title;
    std::string lede;
    int line = 0;
};

std::vector<example> load_examples() {
    std::ifstream in(testing::source_dir() / "tests/data/matcher/nato-ukraine-examples.tsv");
    EXPECT_TRUE(in) << "examples file missing";
    std::vector<example> out;
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
        ++n;
        if (line.empty() || line[0] == '#') continue;
        std::vector<std::string> cols;
        std::stringstream ss(line);
        std::string col;
        while (std::getline(ss, col, '\t')) cols.push_back(col);
        EXPECT_EQ(cols.size(), 4u) << "line " << n;
        if (cols.size() != 4) continue;
        out.push_back({cols[0], cols[1] == "pos", cols[2], cols[3], n});
    }
    return out;
}

config::configuration load_pack() {
    return config::load_configuration(testing::source_dir() / "feeds/nato-ukraine.toml");
}

watch_set compile_pack(const config::configuration& cfg) {
    std::vector<watch_spec> specs;
    for (const auto& w : cfg.watches) specs.push_back(w.spec);
    query_error err;
    auto set = watch_set::compile(specs, &err);
    if (!set) throw std::runtime_error(err.to_string());
    return std::move(set).value();
}

std::vector<std::string> fired(const watch_set& set, const document& doc) {
    std::vector<std::string> names;
    for (const auto& r : set.match(doc)) names.push_back(set.specs()[r.watch_index].name);
    return names;
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

TEST(watch_pack, has_exactly_the_eight_watches_and_three_claim_watches) {
    const auto cfg = load_pack();
    std::vector<std::string> names;
    for (const auto& w : cfg.watches) names.push_back(w.spec.name);
    EXPECT_EQ(names, (std::vector<std::string>{"membership", "military-aid", "peace-talks", "escalation",
                                               "nato-russia", "summit", "sanctions", "diplomacy",
                                               "claim-nato-invitation", "claim-allied-troops", "claim-ceasefire"}));
    for (const auto& w : cfg.watches) EXPECT_EQ(w.claim.has_value(), w.spec.name.starts_with("claim-")) << w.spec.name;
}

TEST(watch_pack, examples_cover_every_watch_with_15_positives_and_15_negatives) {
    std::map<std::string, std::pair<int, int>> counts;
    for (const auto& e : load_examples()) (e.positive ? counts[e.watch].first : counts[e.watch].second)++;
    EXPECT_EQ(counts.size(), 6u);
    for (const auto& [watch, c] : counts) {
        EXPECT_GE(c.first, 15) << watch;
        EXPECT_GE(c.second, 15) << watch;
    }
}

TEST(watch_pack, precision_and_recall_at_least_0_9_per_watch) {
    const auto cfg = load_pack();
    const auto set = compile_pack(cfg);
    struct tally {
        int tp = 0, fp = 0, fn = 0, tn = 0;
        std::vector<std::string> errors;
    };
    std::map<std::string, tally> per_watch;
    for (const auto& e : load_examples()) {
        document doc;
        doc.title = e.title;
        doc.summary = e.lede;
        const bool hit = contains(fired(set, doc), e.watch);
        auto& t = per_watch[e.watch];
        if (hit && e.positive) ++t.tp;
        else if (hit) ++t.fp, t.errors.push_back("false positive, line " + std::to_string(e.line) + ": " + e.title);
        else if (e.positive) ++t.fn, t.errors.push_back("missed, line " + std::to_string(e.line) + ": " + e.title);
        else ++t.tn;
    }
    for (const auto& [watch, t] : per_watch) {
        const double precision = t.tp + t.fp == 0 ? 0.0 : static_cast<double>(t.tp) / (t.tp + t.fp);
        const double recall = t.tp + t.fn == 0 ? 0.0 : static_cast<double>(t.tp) / (t.tp + t.fn);
        std::string detail;
        for (const auto& s : t.errors) detail += "\n  " + s;
        std::printf("%-13s precision %.3f recall %.3f (tp %d fp %d fn %d tn %d)\n", watch.c_str(), precision, recall,
                    t.tp, t.fp, t.fn, t.tn);
        EXPECT_GE(precision, 0.9) << watch << detail;
        EXPECT_GE(recall, 0.9) << watch << detail;
    }
}

TEST(watch_pack, seed_article_fires_membership_and_peace_talks) {
    NEWSWATCH_REQUIRE_SHARED(shared);
    const std::string text = testing::read_file(shared / "data/seed-article.txt");
    const auto set = compile_pack(load_pack());
    // As content only, and with its first sentence as the title.
    document doc;
    doc.content = text;
    auto names = fired(set, doc);
    EXPECT_TRUE(contains(names, "membership"));
    EXPECT_TRUE(contains(names, "peace-talks"));
    const auto dot = text.find(". ");
    const std::string title = text.substr(0, dot);
    doc.title = title;
    doc.content = std::string_view(text).substr(dot + 2);
    names = fired(set, doc);
    EXPECT_TRUE(contains(names, "membership"));
    EXPECT_TRUE(contains(names, "peace-talks"));
}

// Issue #15: the claim watch's query is the topical gate in front of the stance model.
TEST(watch_pack, the_claim_watch_query_passes_the_invitation_but_not_the_issue_near_misses) {
    const auto set = compile_pack(load_pack());
    const auto fires_claim = [&](const char* title) {
        document doc;
        doc.title = title;
        return contains(fired(set, doc), "claim-nato-invitation");
    };
    EXPECT_TRUE(fires_claim("NATO formally invites Ukraine to join the alliance"));
    EXPECT_FALSE(fires_claim("Ukraine wins Eurovision; NATO HQ staff celebrate"));
    EXPECT_FALSE(fires_claim("Zelensky asks NATO allies for more Patriot systems"));
    document patriots;
    patriots.title = "Zelensky urged NATO members to send more Patriot systems";
    EXPECT_FALSE(contains(fired(set, patriots), "membership"));
    EXPECT_TRUE(contains(fired(set, patriots), "military-aid"));
}

TEST(watch_pack, near_misses_from_the_issue_do_not_fire) {
    const auto set = compile_pack(load_pack());
    for (const char* title : {"Ukraine grain exports rise", "NATO summit venue announced",
                              "Ukrainian singer wins contest", "NATO summit catering contract"}) {
        document doc;
        doc.title = title;
        EXPECT_TRUE(fired(set, doc).empty()) << title;
    }
}

}  // namespace
}  // namespace newswatch::matcher
