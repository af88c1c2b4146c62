#include "newswatch/stance/stance_evaluation.hpp"

#include <gtest/gtest.h>

namespace newswatch::stance {
namespace {

TEST(stance_evaluation, fnc_score_f1_and_calibration) {
    stance_evaluation e;
    e.add(stance_label::agree, stance_label::agree);          // 1.0 of 1.0
    e.add(stance_label::disagree, stance_label::discuss);     // 0.25 of 1.0
    e.add(stance_label::unrelated, stance_label::unrelated);  // 0.25 of 0.25
    e.add(stance_label::discuss, stance_label::unrelated);    // 0 of 1.0
    EXPECT_DOUBLE_EQ(e.raw_score(), 1.5);
    EXPECT_DOUBLE_EQ(e.max_score(), 3.25);
    EXPECT_DOUBLE_EQ(e.f1(stance_label::agree), 1.0);
    EXPECT_DOUBLE_EQ(e.f1(stance_label::disagree), 0.0);
    EXPECT_DOUBLE_EQ(e.f1(stance_label::unrelated), 2.0 / 3.0);
    EXPECT_DOUBLE_EQ(e.macro_f1(), (1.0 + 0 + 0 + 2.0 / 3.0) / 4.0);
    EXPECT_DOUBLE_EQ(e.brier(), 1.0);  // two right (0), two wrong (2 each)
    EXPECT_DOUBLE_EQ(e.ece(), 0.5);    // confidence 1, accuracy 0.5
    EXPECT_EQ(e.confusion()[1][2], 1u);
    EXPECT_NE(e.report().find("FNC-1 score: 46.15%"), std::string::npos) << e.report();
}

}  // namespace
}  // namespace newswatch::stance
