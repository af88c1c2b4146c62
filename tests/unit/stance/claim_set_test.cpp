// The stance model on feed text (issue #15 item 3): the synthetic NATO–Ukraine claim set
// (tests/data/stance/nato-ukraine-claims.tsv), scored on its held-out third only (the other
// two thirds fitted the short-text layer). Floors sit a little below the measured figures
// (docs/STANCE.md), so a change that makes stance on feed items worse fails here.
#include <gtest/gtest.h>

#include <string>

#include "newswatch/stance/claim_set.hpp"
#include "newswatch/stance/model_path.hpp"
#include "newswatch/stance/stance_evaluation.hpp"
#include "newswatch/stance/stance_model.hpp"
#include "test_paths.hpp"

namespace newswatch::stance {
namespace {

const stance_model& model() {
    static stance_model m = [] {
        auto loaded = stance_model::load(testing::source_dir() / "feeds" / "models" /
                                         std::string(default_model_file_name()));
        if (!loaded) throw std::runtime_error(loaded.err().message);
        return std::move(loaded.value());
    }();
    return m;
}

std::vector<claim_pair> claim_set() {
    auto set = load_claim_set(testing::source_dir() / "tests/data/stance/nato-ukraine-claims.tsv");
    if (!set) throw std::runtime_error(set.err().message);
    return std::move(set).value();
}

stance_evaluation evaluate(bool held_out, bool with_lede) {
    stance_evaluation eval;
    for (const auto& p : claim_set())
        if (p.held_out == held_out)
            eval.add(p.gold, model().classify(p.claim, with_lede ? p.title + "\n" + p.lede : p.title));
    return eval;
}

TEST(claim_set, has_300_pairs_40_in_ukrainian_or_russian_and_every_label) {
    const auto set = claim_set();
    EXPECT_GE(set.size(), 300u);
    std::size_t cyrillic = 0, held = 0, labels[4] = {0, 0, 0, 0};
    for (const auto& p : set) {
        cyrillic += p.title.find("\xD0") != std::string::npos || p.title.find("\xD1") != std::string::npos;
        held += p.held_out;
        ++labels[static_cast<int>(p.gold)];
    }
    EXPECT_GE(cyrillic, 40u);
    EXPECT_EQ(held, set.size() / 3);
    for (auto n : labels) EXPECT_GE(n, 40u);
}

TEST(claim_set, held_out_macro_f1_title_only_and_with_lede_meet_the_floors) {
    const auto title = evaluate(true, false);
    const auto lede = evaluate(true, true);
    std::printf("held-out, title only (%zu pairs):\n%s\nheld-out, title + lede:\n%s\n", title.count(),
                title.report().c_str(), lede.report().c_str());
    // Measured with the predicate gate, fitted on the claim set and FNC-1 pairs weighing half as
    // much (--fnc-weight 0.5 --l2 0.001): 0.469 / 0.553, unrelated F1 0.619 / 0.657, ECE 0.107 /
    // 0.069 (FNC-1 weighing as much: 0.481 / 0.547; the layer before the predicate gate, fitted
    // on the claim set only: 0.527 / 0.621; trees only, before the short-text layer: 0.318 /
    // 0.356, unrelated F1 0.19 / 0.20, ECE 0.36 / 0.31).
    EXPECT_GE(title.macro_f1(), 0.44);
    EXPECT_GE(lede.macro_f1(), 0.53);
    EXPECT_GE(title.f1(stance_label::unrelated), 0.58);
    EXPECT_GE(lede.f1(stance_label::unrelated), 0.62);
    EXPECT_LE(title.ece(), 0.14);
    EXPECT_LE(lede.ece(), 0.10);
}

TEST(claim_set, the_issue_examples_against_ukraine_will_join_nato) {
    const std::string claim = "Ukraine will join NATO";
    const auto eurovision = model().classify(claim, "Ukraine wins Eurovision; NATO HQ staff celebrate");
    const auto patriots = model().classify(claim, "Zelensky asks NATO allies for more Patriot systems");
    const auto invited = model().classify(claim, "NATO formally invites Ukraine to join the alliance");
    // Shares both names with the claim but not its predicate (join): unrelated wins.
    EXPECT_EQ(eurovision.label, stance_label::unrelated);
    EXPECT_GT(eurovision.probabilities[3], 0.5);
    EXPECT_NE(patriots.label, stance_label::agree);
    EXPECT_EQ(invited.label, stance_label::agree);
    EXPECT_GT(invited.probabilities[0], patriots.probabilities[0]);
    EXPECT_GT(invited.probabilities[0], eurovision.probabilities[0]);
}

// The predicate may come as a paraphrase from the event lexicon (join: accession, membership);
// the hard rule then stays open and the item is not called unrelated on that ground.
TEST(claim_set, a_paraphrased_predicate_keeps_the_item_related) {
    const std::string claim = "Ukraine will join NATO";
    const auto accession =
        model().classify(claim, "Allies approve Ukraine's NATO accession protocol at Vilnius summit");
    const auto eurovision = model().classify(claim, "Ukraine wins Eurovision; NATO HQ staff celebrate");
    EXPECT_LT(accession.probabilities[3], eurovision.probabilities[3]);
    EXPECT_GT(accession.probabilities[0], eurovision.probabilities[0]);
    const std::string ceasefire = "A ceasefire agreement between Russia and Ukraine has been reached";
    const auto truce = model().classify(
        ceasefire, "Russia and Ukraine sign truce in Istanbul, guns fall silent along the front");
    // Same names, no event word of the claim: unrelated.
    const auto match =
        model().classify(ceasefire, "Russia and Ukraine meet in World Cup qualifier in Warsaw");
    EXPECT_LT(truce.probabilities[3], match.probabilities[3]);
    EXPECT_GT(truce.probabilities[0], match.probabilities[0]);
    EXPECT_EQ(match.label, stance_label::unrelated);
}

}  // namespace
}  // namespace newswatch::stance
