// Topic centrality of watches (issue #15 item 2): scope = lede | body | any, min_density and
// hold_back, on the real watch_set.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "newswatch/matcher/watch_set.hpp"

namespace newswatch::matcher {
namespace {

watch_set compile_one(watch_spec spec) {
    query_error err;
    auto set = watch_set::compile({std::move(spec)}, &err);
    EXPECT_TRUE(set) << err.to_string();
    return std::move(set).value();
}

watch_spec spec_of(const std::string& query, watch_scope scope, double min_density = default_min_density) {
    watch_spec s;
    s.name = "w";
    s.query = query;
    s.scope = scope;
    s.min_density = min_density;
    return s;
}

// A long body about something else: `words` words of filler, no watch term. (A document
// holds string_views: every text is kept in a std::string that outlives it.)
std::string filler(std::size_t words) {
    std::string out;
    for (std::size_t i = 0; i < words; ++i) out += (i % 12 == 11) ? "harvest. " : "Farmers gathered grain ";
    return out;
}

bool fires(const watch_set& set, const document& doc) {
    return !set.match(doc).empty();
}

TEST(topic_centrality, a_passing_mention_deep_in_a_long_body_fires_only_with_scope_any) {
    const std::string body = "Farmers met in the valley. Prices were stable. " + filler(300) +
                             "Russia attacked Kyiv overnight, one farmer said. " + filler(300);
    document doc;
    doc.title = "Harvest festival draws crowds";
    doc.content = body;
    EXPECT_TRUE(fires(compile_one(spec_of("(Russia OR Kyiv) AND attacked", watch_scope::any)), doc));
    EXPECT_FALSE(fires(compile_one(spec_of("(Russia OR Kyiv) AND attacked", watch_scope::body)), doc));
    EXPECT_FALSE(fires(compile_one(spec_of("(Russia OR Kyiv) AND attacked", watch_scope::lede)), doc));
    // min_density 0 keeps every match.
    EXPECT_TRUE(fires(compile_one(spec_of("(Russia OR Kyiv) AND attacked", watch_scope::body, 0.0)), doc));
}

TEST(topic_centrality, the_same_words_in_the_title_or_lede_fire_with_every_scope) {
    for (const auto scope : {watch_scope::any, watch_scope::body, watch_scope::lede}) {
        const auto set = compile_one(spec_of("(Russia OR Kyiv) AND attacked", scope));
        document in_title;
        in_title.title = "Russia attacked Kyiv overnight";
        const std::string long_body = filler(600);
        in_title.content = long_body;
        EXPECT_TRUE(fires(set, in_title));
        // The second sentence of the content is still the lede (no summary).
        document in_lede;
        in_lede.title = "Overnight";
        const std::string lede_body =
            "Sirens sounded at 3 a.m. in the capital. Russia attacked Kyiv with drones. " + long_body;
        in_lede.content = lede_body;
        EXPECT_TRUE(fires(set, in_lede));
        // The summary is the lede when there is one; the content is then the body.
        document in_summary;
        in_summary.title = "Overnight";
        in_summary.summary = "Russia attacked Kyiv with drones.";
        in_summary.content = long_body;
        EXPECT_TRUE(fires(set, in_summary));
    }
}

TEST(topic_centrality, the_third_sentence_is_body_not_lede) {
    document doc;
    doc.title = "Overnight";
    const std::string body =
        "Sirens sounded. People sheltered. Russia attacked Kyiv with drones. " + filler(600);
    doc.content = body;
    EXPECT_FALSE(fires(compile_one(spec_of("Russia AND attacked", watch_scope::lede)), doc));
    EXPECT_TRUE(fires(compile_one(spec_of("Russia AND attacked", watch_scope::any)), doc));
}

TEST(topic_centrality, a_body_dense_with_the_topic_fires_with_scope_body) {
    std::string body = "Sirens sounded. People sheltered. ";
    for (int i = 0; i < 20; ++i)
        body += "Russia attacked again near the river, and drones attacked the port. ";
    document doc;
    doc.title = "A long night";
    doc.content = body;
    const auto set = compile_one(spec_of("Russia AND attacked", watch_scope::body));
    EXPECT_TRUE(fires(set, doc));
    // Not dense enough once the same text is diluted in a long unrelated body.
    const std::string diluted = "Sirens sounded. People sheltered. Russia attacked the port. " + filler(2000);
    doc.content = diluted;
    EXPECT_FALSE(fires(set, doc));
    EXPECT_TRUE(fires(compile_one(spec_of("Russia AND attacked", watch_scope::body, 0.02)), doc));
}

TEST(topic_centrality, hold_back_holds_features_back_by_their_title_and_lede) {
    auto spec = spec_of("Kyiv AND (attack OR strike)", watch_scope::any);
    spec.hold_back = "title:(portrait OR remembers) OR \"this is her story\"";
    const auto set = compile_one(spec);
    document news;
    news.title = "Missile strike on Kyiv kills three";
    news.summary = "Rescuers searched the rubble.";
    EXPECT_TRUE(fires(set, news));
    document feature;
    feature.title = "Portrait: the Kyiv ballerina who dances between air raids";
    feature.summary = "She was in the studio during the strike.";
    EXPECT_FALSE(fires(set, feature));
    document testimony;
    testimony.title = "A survivor of the Kyiv strike";
    testimony.summary = "Olena lost her flat in the attack; this is her story.";
    EXPECT_FALSE(fires(set, testimony));
    // A cue deep in the body does not hold a development back.
    document late_cue;
    late_cue.title = "Missile strike on Kyiv kills three";
    late_cue.summary = "Rescuers searched the rubble.";
    const std::string late_body = filler(200) + " A neighbour remembers the night. this is her story.";
    late_cue.content = late_body;
    EXPECT_TRUE(fires(set, late_cue));
}

TEST(topic_centrality, explain_says_why_a_watch_was_held_back_or_not_central) {
    auto spec = spec_of("Russia AND attacked", watch_scope::body);
    spec.hold_back = "title:portrait";
    const auto set = compile_one(spec);
    document passing;
    passing.title = "Harvest";
    const std::string passing_body =
        "Farmers met. Prices held. " + filler(400) + " Russia attacked, someone said. " + filler(400);
    passing.content = passing_body;
    auto r = set.match(passing, true);
    ASSERT_EQ(r.size(), 1u);
    EXPECT_FALSE(r[0].matched);
    EXPECT_NE(r[0].reason.find("scope = body"), std::string::npos) << r[0].reason;
    EXPECT_NE(r[0].reason.find("min_density"), std::string::npos) << r[0].reason;
    document feature;
    feature.title = "Portrait of a village";
    feature.summary = "Russia attacked it in 2022.";
    r = set.match(feature, true);
    ASSERT_EQ(r.size(), 1u);
    EXPECT_FALSE(r[0].matched);
    EXPECT_NE(r[0].reason.find("held back"), std::string::npos) << r[0].reason;
    EXPECT_TRUE(set.match(feature).empty());
    document news;
    news.title = "Russia attacked Kharkiv";
    r = set.match(news, true);
    ASSERT_EQ(r.size(), 1u);
    EXPECT_TRUE(r[0].matched);
    EXPECT_NE(r[0].reason.find("central"), std::string::npos) << r[0].reason;
}

TEST(topic_centrality, a_hold_back_syntax_error_names_the_watch) {
    auto spec = spec_of("Kyiv", watch_scope::any);
    spec.hold_back = "portrait AND";
    query_error err;
    EXPECT_FALSE(watch_set::compile({spec}, &err));
    EXPECT_EQ(err.watch, "w (hold_back)");
}

}  // namespace
}  // namespace newswatch::matcher
