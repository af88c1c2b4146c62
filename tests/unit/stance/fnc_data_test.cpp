#include "newswatch/stance/fnc_data.hpp"

#include <gtest/gtest.h>

#include <set>

namespace newswatch::stance {
namespace {

// Three invented claims (A, B, C), each with two headlines and two bodies, plus unrelated
// pairs across claims.
fnc_dataset toy() {
    std::string bodies = "Body ID,articleBody\n";
    std::string pairs = "Headline,Body ID,Stance\n";
    const char* claims[] = {"A", "B", "C"};
    for (int c = 0; c < 3; ++c)
        for (int b = 0; b < 2; ++b)
            bodies += std::to_string(c * 10 + b) + ",\"Body " + claims[c] + std::to_string(b) + ".\"\n";
    for (int c = 0; c < 3; ++c)
        for (int h = 0; h < 2; ++h) {
            for (int b = 0; b < 2; ++b)
                pairs += std::string("Headline ") + claims[c] + std::to_string(h) + "," + std::to_string(c * 10 + b) +
                         (b ? ",agree\n" : ",discuss\n");
            pairs += std::string("Headline ") + claims[c] + std::to_string(h) + "," + std::to_string(((c + 1) % 3) * 10) +
                     ",unrelated\n";
        }
    auto d = parse_fnc(bodies, pairs);
    EXPECT_TRUE(d.ok());
    return d.ok() ? std::move(d.value()) : fnc_dataset{};
}

TEST(fnc_data, parses_labels_and_rejects_unknown_ones) {
    auto d = toy();
    EXPECT_TRUE(d.has_gold);
    EXPECT_EQ(d.pairs.size(), 18u);
    EXPECT_EQ(d.bodies.size(), 6u);
    auto bad = parse_fnc("Body ID,articleBody\n1,x\n", "Headline,Body ID,Stance\nh,1,maybe\n", "b.csv", "p.csv");
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.err().message.find("p.csv:2"), std::string::npos) << bad.err().message;
    auto missing = parse_fnc("Body ID,articleBody\n1,x\n", "Headline,Body ID\nh,7\n", "b.csv", "p.csv");
    ASSERT_FALSE(missing.ok());
    EXPECT_NE(missing.err().message.find("'7'"), std::string::npos);
    auto unlabeled = parse_fnc("Body ID,articleBody\n1,x\n", "Headline,Body ID\nh,1\n");
    ASSERT_TRUE(unlabeled.ok());
    EXPECT_FALSE(unlabeled->has_gold);
    EXPECT_FALSE(unlabeled->pairs[0].gold.has_value());
}

TEST(fnc_data, dev_split_shares_no_headline_and_no_body_with_train) {
    auto d = toy();
    auto split = split_by_claim(d, 0.3, 7);
    ASSERT_FALSE(split.dev.pairs.empty());
    ASSERT_FALSE(split.train.pairs.empty());
    std::set<std::string> train_heads, train_bodies;
    for (const auto& p : split.train.pairs) {
        train_heads.insert(p.headline);
        train_bodies.insert(p.body_id);
    }
    for (const auto& p : split.dev.pairs) {
        EXPECT_FALSE(train_heads.count(p.headline)) << p.headline;
        EXPECT_FALSE(train_bodies.count(p.body_id)) << p.body_id;
    }
    EXPECT_EQ(split.train.pairs.size() + split.dev.pairs.size() + split.dropped_pairs, d.pairs.size());
    // Same seed, same split.
    auto again = split_by_claim(d, 0.3, 7);
    ASSERT_EQ(again.dev.pairs.size(), split.dev.pairs.size());
    for (std::size_t i = 0; i < again.dev.pairs.size(); ++i)
        EXPECT_EQ(again.dev.pairs[i].headline, split.dev.pairs[i].headline);
}

TEST(fnc_data, csv_round_trip) {
    auto d = toy();
    auto back = parse_fnc(bodies_to_csv(d), pairs_to_csv(d));
    ASSERT_TRUE(back.ok()) << back.err().message;
    EXPECT_EQ(back->bodies, d.bodies);
    ASSERT_EQ(back->pairs.size(), d.pairs.size());
    for (std::size_t i = 0; i < d.pairs.size(); ++i) {
        EXPECT_EQ(back->pairs[i].headline, d.pairs[i].headline);
        EXPECT_EQ(back->pairs[i].gold, d.pairs[i].gold);
    }
}

}  // namespace
}  // namespace newswatch::stance
