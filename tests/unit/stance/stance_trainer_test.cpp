#include "newswatch/stance/stance_trainer.hpp"

#include <gtest/gtest.h>

#include "newswatch/stance/batch_classifier.hpp"
#include "newswatch/stance/stance_evaluation.hpp"
#include "test_paths.hpp"

namespace newswatch::stance {
namespace {

train_options small_options() {
    train_options o;
    o.related_rounds = 8;
    o.stance_rounds = 8;
    o.related_depth = 3;
    o.stance_depth = 2;
    o.min_cue_claims = 1;
    return o;
}

// An invented dataset: claims about made-up events, bodies that confirm, deny or discuss.
fnc_dataset invented() {
    std::string bodies = "Body ID,articleBody\n";
    std::string pairs = "Headline,Body ID,Stance\n";
    const char* subjects[] = {"lighthouse", "volcano", "museum", "river", "festival", "bridge"};
    int id = 0;
    for (int s = 0; s < 6; ++s) {
        const std::string subj = subjects[s];
        const std::string kinds[3][2] = {
            {"agree", "Officials confirmed the " + subj + " was closed. The " + subj + " closure is now official."},
            {"disagree", "Officials denied that the " + subj + " was closed. The report about the " + subj +
                             " is a hoax, they said."},
            {"discuss", "Reports claim the " + subj + " may have closed. It is unclear whether the " + subj +
                            " closure is real."}};
        for (const auto& kind : kinds) {
            bodies += std::to_string(id) + ",\"" + kind[1] + "\"\n";
            pairs += "The " + subj + " has closed," + std::to_string(id) + "," + kind[0] + "\n";
            pairs += std::string("The ") + subjects[(s + 1) % 6] + " has closed," + std::to_string(id) + ",unrelated\n";
            ++id;
        }
    }
    auto d = parse_fnc(bodies, pairs);
    EXPECT_TRUE(d.ok()) << (d.ok() ? "" : d.err().message);
    return d.ok() ? std::move(d.value()) : fnc_dataset{};
}

TEST(stance_trainer, same_data_and_seed_give_the_same_bytes) {
    const auto data = invented();
    auto a = train_stance_model(data, small_options(), nullptr);
    auto b = train_stance_model(data, small_options(), nullptr);
    ASSERT_TRUE(a.ok()) << a.err().message;
    ASSERT_TRUE(b.ok());
    EXPECT_EQ(a.value(), b.value());
    auto other_seed = small_options();
    other_seed.seed = 99;
    auto c = train_stance_model(data, other_seed, nullptr);
    ASSERT_TRUE(c.ok());
    EXPECT_NE(a.value(), c.value());  // the seed is really used (row/column sampling)

    auto model = stance_model::from_bytes(a.value(), "trained");
    ASSERT_TRUE(model.ok()) << model.err().message;
    // It learned something from the invented data: related pairs are told from unrelated.
    stance_evaluation eval;
    const auto predictions = classify_dataset(model.value(), data);
    for (std::size_t i = 0; i < predictions.size(); ++i) eval.add(*data.pairs[i].gold, predictions[i]);
    EXPECT_GT(eval.fnc_score(), 0.5);
}

TEST(stance_trainer, refuses_unlabelled_data) {
    auto d = parse_fnc("Body ID,articleBody\n1,x\n", "Headline,Body ID\nh,1\n");
    ASSERT_TRUE(d.ok());
    EXPECT_FALSE(train_stance_model(d.value(), small_options(), nullptr).ok());
}

TEST(stance_trainer, small_fnc1_slice_trains_deterministically) {
    NEWSWATCH_REQUIRE_SHARED(shared);
    const auto dir = shared / "data" / "fnc1";
    auto full = load_fnc(dir / "train_bodies.csv", dir / "train_stances.csv");
    ASSERT_TRUE(full.ok()) << full.err().message;
    // A small slice (1/80 of the claims, ~500 pairs) keeps this fast under ASan too.
    const fnc_dataset slice = slice_by_claim(full.value(), 80);
    ASSERT_GT(slice.pairs.size(), 50u);
    ASSERT_LT(slice.pairs.size(), 2000u);
    auto options = small_options();
    options.augment_short = false;
    auto a = train_stance_model(slice, options, nullptr);
    auto b = train_stance_model(slice, options, nullptr);
    ASSERT_TRUE(a.ok()) << a.err().message;
    ASSERT_TRUE(b.ok());
    EXPECT_EQ(a.value(), b.value());
}

}  // namespace
}  // namespace newswatch::stance
