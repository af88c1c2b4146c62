#include "newswatch/stance/stance_model.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "newswatch/core/errc.hpp"
#include "newswatch/stance/model_path.hpp"  // default_model_file_name
#include "test_paths.hpp"

namespace newswatch::stance {
namespace {

namespace fs = std::filesystem;

fs::path committed_model() {
    return testing::source_dir() / "feeds" / "models" / std::string(default_model_file_name());
}

const stance_model& model() {
    static stance_model m = [] {
        auto loaded = stance_model::load(committed_model());
        if (!loaded) throw std::runtime_error(loaded.err().message);
        return std::move(loaded.value());
    }();
    return m;
}

constexpr const char* denial =
    "NATO officials on Tuesday denied reports that Ukraine will join the alliance this year. "
    "A spokesman said the claim that Ukraine would join NATO was false and that no invitation "
    "had been issued. Diplomats dismissed the report as baseless.";
constexpr const char* recipe =
    "Preheat the oven to 180 degrees. Mix the flour, sugar and cocoa, then fold in the eggs. "
    "Bake the cake for thirty minutes and let it cool before serving.";

void expect_distribution(const stance_prediction& p) {
    double sum = 0;
    for (double x : p.probabilities) {
        EXPECT_GE(x, 0.0);
        EXPECT_LE(x, 1.0);
        sum += x;
    }
    EXPECT_NEAR(sum, 1.0, 1e-9);
    EXPECT_DOUBLE_EQ(p.confidence, p.probabilities[static_cast<int>(p.label)]);
    for (double x : p.probabilities) EXPECT_LE(x, p.confidence);
}

TEST(stance_model, committed_model_loads_with_version_and_provenance) {
    EXPECT_EQ(model().version().substr(0, 2), "1.");
    EXPECT_NE(model().provenance().find("FNC-1"), std::string_view::npos);
}

TEST(stance_model, classifies_known_examples) {
    const auto off_topic = model().classify("Ukraine will join NATO", recipe);
    EXPECT_EQ(off_topic.label, stance_label::unrelated);
    expect_distribution(off_topic);

    const auto denied = model().classify("Ukraine will join NATO", denial, true);
    EXPECT_NE(denied.label, stance_label::unrelated);
    EXPECT_GT(denied.probabilities[static_cast<int>(stance_label::disagree)],
              denied.probabilities[static_cast<int>(stance_label::agree)]);
    expect_distribution(denied);
    ASSERT_FALSE(denied.evidence.empty());
    bool has_denied_cue = false;
    for (const auto& e : denied.evidence)
        for (const auto& c : e.cues) has_denied_cue |= c == "denied" || c == "false" || c == "baseless";
    EXPECT_TRUE(has_denied_cue);
    EXPECT_NE(denied.evidence.front().sentence.find("Ukraine"), std::string::npos);
}

TEST(stance_model, classify_all_equals_classify) {
    const std::vector<std::string_view> claims = {"Ukraine will join NATO", "Cake baked for thirty minutes",
                                                  "NATO denies Ukraine report"};
    const auto many = model().classify_all(claims, denial);
    ASSERT_EQ(many.size(), claims.size());
    for (std::size_t i = 0; i < claims.size(); ++i) {
        const auto one = model().classify(claims[i], denial);
        EXPECT_EQ(one.label, many[i].label);
        for (int k = 0; k < 4; ++k) EXPECT_DOUBLE_EQ(one.probabilities[k], many[i].probabilities[k]);
    }
}

TEST(stance_model, any_input_is_safe) {
    const std::string garbage("\xff\xfe\x00\x80 \xe2\x80 ... ?? \"\" \n\n\r", 20);
    for (const auto& [claim, article] : std::vector<std::pair<std::string, std::string>>{
             {"", ""}, {"Ukraine will join NATO", ""}, {"", denial}, {garbage, garbage}, {"x", std::string(5000, '.')}}) {
        const auto p = model().classify(claim, article, true);
        expect_distribution(p);
    }
    EXPECT_EQ(model().classify("", "").label, stance_label::unrelated);
}

TEST(stance_model, seed_article_is_not_unrelated_to_the_membership_claim) {
    NEWSWATCH_REQUIRE_SHARED(shared);
    const std::string article = testing::read_file(shared / "data" / "seed-article.txt");
    const auto p = model().classify("Ukraine will join NATO", article, true);
    EXPECT_NE(p.label, stance_label::unrelated) << "p(unrelated) = " << p.probabilities[3];
    EXPECT_FALSE(p.evidence.empty());
}

// Load errors: each names the file and what is wrong.
class stance_model_errors : public ::testing::Test {
protected:
    testing::temp_dir dir;
    std::string good = testing::read_file(committed_model());
    core::error load_bytes(const std::string& bytes) {
        const fs::path p = dir.path() / "model.bin";
        testing::write_file(p, bytes);
        auto m = stance_model::load(p);
        EXPECT_FALSE(m.ok());
        return m.ok() ? core::error{} : m.err();
    }
};

TEST_F(stance_model_errors, missing_file) {
    auto m = stance_model::load(dir.path() / "nope.bin");
    ASSERT_FALSE(m.ok());
    EXPECT_EQ(m.err().code, core::errc::model_error);
    EXPECT_NE(m.err().message.find("nope.bin"), std::string::npos);
}

TEST_F(stance_model_errors, bad_magic_wrong_version_truncated_corrupt) {
    EXPECT_NE(load_bytes("hello world, not a model").message.find("bad magic"), std::string::npos);
    std::string v2 = good;
    v2[8] = 2;
    auto e = load_bytes(v2);
    EXPECT_NE(e.message.find("format version 2"), std::string::npos) << e.message;
    EXPECT_NE(e.message.find("model.bin"), std::string::npos);
    EXPECT_NE(load_bytes(good.substr(0, good.size() - 10)).message.find("truncated"), std::string::npos);
    std::string flipped = good;
    flipped[flipped.size() / 2] ^= 0x40;
    EXPECT_NE(load_bytes(flipped).message.find("checksum"), std::string::npos);
}

}  // namespace
}  // namespace newswatch::stance
