#include "newswatch/dedup/minhash_signature.hpp"

#include <gtest/gtest.h>

namespace newswatch::dedup {
namespace {

// A 34-word lede, as agencies write them.
const std::string lede =
    "NATO defence ministers agreed on Thursday in Brussels to send additional air defence systems to "
    "Ukraine, "
    "a senior alliance official said, after Russian missile strikes hit power stations in Kyiv and Lviv "
    "overnight.";

double sim(const std::string& a, const std::string& b) {
    const auto sa = minhash_of(signature_words(a, 200)), sb = minhash_of(signature_words(b, 200));
    EXPECT_TRUE(sa && sb);
    return sa && sb ? similarity(*sa, *sb) : 0.0;
}

TEST(minhash_signature, one_or_two_changed_words_in_a_30_word_lede_stay_above_the_threshold) {
    ASSERT_GE(signature_words(lede, 200).size(), 30u);
    EXPECT_EQ(sim(lede, lede), 1.0);
    std::string one = lede;
    one.replace(one.find("agreed"), 6, "decided");
    std::string two = one;
    two.replace(two.find("overnight"), 9, "on Wednesday");
    EXPECT_GE(sim(lede, one), default_similarity_threshold);
    EXPECT_GE(sim(lede, two), default_similarity_threshold);
}

TEST(minhash_signature, a_different_story_on_the_same_topic_stays_below_the_threshold) {
    const std::string other =
        "Ukraine's president urged NATO defence ministers on Thursday to speed up deliveries of air defence "
        "systems, saying Russian drones had struck energy sites in Odesa and Kharkiv, officials in Kyiv "
        "said.";
    EXPECT_LT(sim(lede, other), default_similarity_threshold);
}

TEST(minhash_signature, short_texts_have_no_signature) {
    EXPECT_FALSE(minhash_of(signature_words("NATO summit opens in Vilnius today", 200)));
    EXPECT_FALSE(minhash_of({}));
}

TEST(minhash_signature, survives_storage_as_bytes) {
    const auto s = minhash_of(signature_words(lede, 200));
    ASSERT_TRUE(s);
    const std::string bytes = to_bytes(*s);
    EXPECT_EQ(bytes.size(), minhash_size * 4);
    EXPECT_EQ(signature_from_bytes(bytes), s);
    EXPECT_FALSE(signature_from_bytes(bytes.substr(1)));
}

TEST(minhash_signature, is_stable_across_builds) {
    // Stored signatures depend on the hash functions: this value must never change.
    const auto s = minhash_of(signature_words(lede, 200));
    ASSERT_TRUE(s);
    EXPECT_EQ(s->values[0], 119040689u);
}

}  // namespace
}  // namespace newswatch::dedup
