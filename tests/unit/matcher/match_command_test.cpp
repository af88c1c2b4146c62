// `newswatch match` end to end: the real binary on a feed file written to a temp dir.
#include "newswatch/matcher/watch_set.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "test_paths.hpp"

namespace newswatch::matcher {
namespace {

namespace fs = std::filesystem;

class match_command : public ::testing::Test {
protected:
    void SetUp() override {
        binary_ = testing::bin_dir() / "newswatch";
        if (!fs::exists(binary_)) GTEST_SKIP() << "build the newswatch binary first: " << binary_;
        testing::write_file(dir_.path() / "watches.toml", R"(
[[watch]]
name = "nato"
query = 'NATO AND (Ukraine OR Україна)'

[[watch]]
name = "grain"
query = 'grain'
)");
        testing::write_file(dir_.path() / "feed.xml", R"(<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Test</title><link>http://x/</link><description>d</description>
<item><guid>a</guid><title>Україна і NATO: нові кроки</title><description>text</description></item>
<item><guid>b</guid><title>Weather</title><description>Sunny</description></item>
</channel></rss>)");
    }

    testing::command_result run(const std::string& args) {
        return testing::run_command(binary_.string() + " match --config " + (dir_.path() / "watches.toml").string() +
                                    " " + args);
    }

    static std::vector<boost::json::value> lines(const std::string& out) {
        std::vector<boost::json::value> v;
        std::istringstream in(out);
        std::string line;
        while (std::getline(in, line))
            if (!line.empty()) v.push_back(boost::json::parse(line));
        return v;
    }

    fs::path binary_;
    testing::temp_dir dir_;
};

TEST_F(match_command, json_lines_list_only_matching_watches) {
    const auto r = run("--json " + (dir_.path() / "feed.xml").string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto v = lines(r.out);
    ASSERT_EQ(v.size(), 2u);
    const auto& first = v[0].as_object();
    EXPECT_EQ(first.at("item").at("id").as_string(), "a");
    const auto& matches = first.at("matches").as_array();
    ASSERT_EQ(matches.size(), 1u);
    EXPECT_EQ(matches[0].at("watch").as_string(), "nato");
    EXPECT_EQ(matches[0].at("matched").as_bool(), true);
    const auto& hits = matches[0].at("hits").as_array();
    ASSERT_EQ(hits.size(), 2u);
    EXPECT_EQ(hits[0].at("pattern").as_string(), "Україна");
    EXPECT_EQ(hits[0].at("offset").as_int64(), 0);
    EXPECT_EQ(hits[1].at("text").as_string(), "NATO");
    EXPECT_EQ(hits[1].at("offset").as_int64(), 10);  // code points, not bytes (18)
    EXPECT_EQ(hits[1].at("field").as_string(), "title");
    EXPECT_TRUE(v[1].at("matches").as_array().empty());
}

TEST_F(match_command, explain_lists_every_watch_with_a_reason) {
    const auto r = run("--json --explain " + (dir_.path() / "feed.xml").string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto v = lines(r.out);
    ASSERT_EQ(v.size(), 2u);
    const auto& matches = v[1].at("matches").as_array();
    ASSERT_EQ(matches.size(), 2u);
    for (const auto& m : matches) {
        EXPECT_FALSE(m.at("matched").as_bool());
        EXPECT_FALSE(m.at("reason").as_string().empty());
    }
}

TEST_F(match_command, text_output_and_exit_codes) {
    auto r = run((dir_.path() / "feed.xml").string());
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_NE(r.out.find("MATCH"), std::string::npos);
    r = run((dir_.path() / "missing.xml").string());
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("missing.xml"), std::string::npos);
    r = testing::run_command(binary_.string() + " match " + (dir_.path() / "feed.xml").string());
    EXPECT_EQ(r.exit_code, 2);
    testing::write_file(dir_.path() / "bad.toml", "[[watch]]\nname = \"x\"\nquery = 'NATO AND'\n");
    r = testing::run_command(binary_.string() + " match --config " + (dir_.path() / "bad.toml").string() + " " +
                             (dir_.path() / "feed.xml").string());
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("query position 8"), std::string::npos) << r.err;
}

TEST_F(match_command, the_pack_loads_on_its_own) {
    const auto r = testing::run_command(binary_.string() + " match --json --config " +
                                        (testing::source_dir() / "feeds/nato-ukraine.toml").string() + " " +
                                        (dir_.path() / "feed.xml").string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(lines(r.out).size(), 2u);
}

TEST_F(match_command, a_watch_with_a_claim_gets_a_stance_verdict) {
    const auto model = testing::source_dir() / "feeds/models/stance-1.bin";
    if (!fs::exists(model)) GTEST_SKIP() << "no stance model at " << model;
    testing::write_file(dir_.path() / "claim.toml",
                        "[stance]\nmodel = \"" + model.string() +
                            "\"\n[[watch]]\nname = \"c\"\nquery = 'NATO'\nclaim = \"NATO will admit Ukraine\"\n");
    const auto r = testing::run_command(binary_.string() + " match --json --config " +
                                        (dir_.path() / "claim.toml").string() + " " + (dir_.path() / "feed.xml").string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto v = lines(r.out);
    ASSERT_EQ(v.size(), 2u);
    const auto& m = v[0].at("matches").as_array();
    ASSERT_EQ(m.size(), 1u);
    const auto& stance = m[0].at("stance").as_object();
    EXPECT_EQ(stance.at("claim").as_string(), "NATO will admit Ukraine");
    const std::string label(stance.at("label").as_string());
    EXPECT_TRUE(label == "agree" || label == "disagree" || label == "discuss" || label == "unrelated") << label;
    const double confidence = stance.at("confidence").as_double();
    EXPECT_GE(confidence, 0.0);
    EXPECT_LE(confidence, 1.0);
}

}  // namespace
}  // namespace newswatch::matcher
