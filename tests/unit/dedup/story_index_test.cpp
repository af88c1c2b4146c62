#include "newswatch/dedup/story_index.hpp"

#include <gtest/gtest.h>

namespace newswatch::dedup {
namespace {

const core::timestamp t0{core::seconds{1'720'000'000}};
const core::timestamp long_ago{};
constexpr double threshold = default_similarity_threshold;

const std::string lede =
    "NATO defence ministers agreed on Thursday in Brussels to send additional air defence systems to "
    "Ukraine, "
    "a senior alliance official said, after Russian missile strikes hit power stations in Kyiv and Lviv "
    "overnight.";

story_fingerprint story(const std::string& title, const std::string& link, const std::string& text = lede) {
    return fingerprint_of(title, link, text);
}

TEST(story_index, finds_a_repeat_by_link_title_or_similar_text) {
    story_index index;
    index.remember("w", "", story("NATO sends more air defence to Ukraine", "https://a.example/1"), "A", t0);

    // B: the same link with tracking parameters, another title and text.
    auto b = index.find("w", "",
                        story("Something else entirely happened here", "https://a.example/1?utm_source=x",
                              "Unrelated words about football and the weather in spring."),
                        long_ago, threshold);
    ASSERT_TRUE(b);
    EXPECT_EQ(b->original_alert_id, "A");
    EXPECT_EQ(b->rule, duplicate_rule::link);

    // C: another link, the title with an outlet suffix, another text.
    auto c = index.find("w", "",
                        story("NATO sends more air defence to Ukraine - BBC News", "https://b.example/9",
                              "Unrelated words about football and the weather in spring."),
                        long_ago, threshold);
    ASSERT_TRUE(c);
    EXPECT_EQ(c->rule, duplicate_rule::title);

    // D: another link and title, one word of the lede changed.
    std::string changed = lede;
    changed.replace(changed.find("agreed"), 6, "decided");
    auto d =
        index.find("w", "", story("NATO sends extra air defence to Ukraine", "https://c.example/x", changed),
                   long_ago, threshold);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->rule, duplicate_rule::similar);
    EXPECT_GE(d->similarity, threshold);
    EXPECT_LT(d->similarity, 1.0);

    // A different story on the same topic.
    EXPECT_FALSE(index.find(
        "w", "",
        story("Zelensky urges faster deliveries", "https://c.example/y",
              "Ukraine's president urged NATO defence ministers on Thursday to speed up deliveries "
              "of air defence systems, saying Russian drones had struck energy sites in Odesa "
              "and Kharkiv, officials in Kyiv said."),
        long_ago, threshold));
}

TEST(story_index, keeps_watches_and_stances_apart) {
    story_index index;
    const auto s = story("NATO sends more air defence to Ukraine", "https://a.example/1");
    index.remember("w", "agree", s, "A", t0);
    EXPECT_TRUE(index.find("w", "agree", s, long_ago, threshold));
    EXPECT_FALSE(index.find("w", "disagree", s, long_ago, threshold));
    EXPECT_FALSE(index.find("w", "", s, long_ago, threshold));
    EXPECT_FALSE(index.find("other", "agree", s, long_ago, threshold));
}

TEST(story_index, forgets_outside_the_window) {
    story_index index;
    const auto s = story("NATO sends more air defence to Ukraine", "https://a.example/1");
    index.remember("w", "", s, "A", t0);
    EXPECT_TRUE(index.find("w", "", s, t0, threshold));
    EXPECT_FALSE(index.find("w", "", s, t0 + core::seconds{1}, threshold));  // remembered before `since`
    index.forget_before(t0 + core::seconds{1});
    EXPECT_EQ(index.size(), 0u);
    EXPECT_FALSE(index.find("w", "", s, long_ago, threshold));
}

TEST(story_index, stays_correct_through_rebuilds) {
    story_index index;
    // Many stories, most forgotten: the table is rebuilt, and the rest are still found.
    for (int i = 0; i < 5000; ++i)
        index.remember("w", "",
                       story("Story number " + std::to_string(i) + " about the alliance summit",
                             "https://a.example/" + std::to_string(i), ""),
                       std::to_string(i), t0 + core::seconds{i});
    index.forget_before(t0 + core::seconds{4000});
    EXPECT_EQ(index.size(), 1000u);
    for (int i : {3999, 4000, 4500, 4999}) {
        const auto found = index.find("w", "", story("x", "https://a.example/" + std::to_string(i), ""),
                                      long_ago, threshold);
        if (i < 4000) {
            EXPECT_FALSE(found) << i;
        } else {
            ASSERT_TRUE(found) << i;
            EXPECT_EQ(found->original_alert_id, std::to_string(i));
        }
    }
    index.remember("w", "", story("A late story about the alliance summit", "https://a.example/late", ""),
                   "late", t0 + core::seconds{6000});
    EXPECT_TRUE(index.find("w", "", story("x", "https://a.example/late", ""), long_ago, threshold));
}

TEST(story_index, ignores_items_with_nothing_to_compare) {
    story_index index;
    index.remember("w", "", story("Short", "", ""), "A", t0);
    EXPECT_EQ(index.size(), 0u);
    EXPECT_FALSE(index.find("w", "", story("Short", "", ""), long_ago, threshold));
}

}  // namespace
}  // namespace newswatch::dedup
