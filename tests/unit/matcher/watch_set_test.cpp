#include "newswatch/matcher/watch_set.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace newswatch::matcher {
namespace {

// A spec with a name and query; options are set by the caller.
watch_spec spec_of(std::string name, std::string query) {
    watch_spec s;
    s.name = std::move(name);
    s.query = std::move(query);
    return s;
}

watch_spec with_min_hits(int n) {
    watch_spec s;
    s.min_hits = n;
    return s;
}

watch_spec with_stemming(std::string language) {
    watch_spec s;
    s.language = std::move(language);
    s.stemming = true;
    return s;
}

watch_set compile_one(const std::string& query, watch_spec spec = {}) {
    spec.name = spec.name.empty() ? "w" : spec.name;
    spec.query = query;
    query_error err;
    auto set = watch_set::compile({spec}, &err);
    if (!set) ADD_FAILURE() << err.to_string();
    return std::move(set).value();
}

document title_only(std::string_view title) {
    document d;
    d.title = title;
    return d;
}

bool matches(const std::string& query, std::string_view title, watch_spec spec = {}) {
    return !compile_one(query, std::move(spec)).match(title_only(title)).empty();
}

// --- #2: the first query language keeps its meaning -------------------------------------

TEST(watch_set_issue2, case_insensitive_whole_words) {
    EXPECT_TRUE(matches("NATO", "NATO-led forces"));
    EXPECT_TRUE(matches("NATO", "a nato summit"));
    EXPECT_TRUE(matches("Ukraine", "Ukraine's bid"));
    EXPECT_FALSE(matches("Ukraine", "Ukrainian singer wins contest"));
    EXPECT_FALSE(matches("NATO", "NATOs"));
    EXPECT_TRUE(matches("НАТО", "нато"));
    EXPECT_TRUE(matches("Україна", "УКРАЇНА"));
    EXPECT_FALSE(matches("Україна", "Украина"));  // no transliteration between spellings
    EXPECT_FALSE(matches("NATO", "НАТО"));
}

TEST(watch_set_issue2, operators_and_precedence) {
    const std::string q = "(NATO OR \"North Atlantic\") AND Ukraine";
    EXPECT_TRUE(matches(q, "North Atlantic allies back Ukraine"));
    EXPECT_TRUE(matches(q, "NATO and Ukraine"));
    EXPECT_FALSE(matches(q, "North and Atlantic Ukraine"));  // a phrase is consecutive words
    EXPECT_FALSE(matches(q, "NATO summit"));
    EXPECT_TRUE(matches("NATO Ukraine", "Ukraine asks NATO"));  // implicit AND
    EXPECT_TRUE(matches("a OR b c", "a"));                      // AND binds tighter than OR
    EXPECT_FALSE(matches("a OR b c", "b"));
    EXPECT_TRUE(matches("Ukraine NOT grain", "Ukraine wheat"));
    EXPECT_FALSE(matches("Ukraine NOT grain", "Ukraine grain exports"));
    EXPECT_TRUE(matches("war and peace", "war and peace"));  // lowercase "and" is a term
    EXPECT_FALSE(matches("war and peace", "war, peace"));
}

TEST(watch_set_issue2, searches_title_summary_and_content_by_default) {
    auto set = compile_one("Ukraine NATO");
    document d;
    d.title = "Ukraine";
    d.content = "talks with NATO";
    d.link = "https://example.org/ukraine";
    const auto r = set.match(d);
    ASSERT_EQ(r.size(), 1u);
    ASSERT_EQ(r[0].hits.size(), 2u);
    EXPECT_EQ(r[0].hits[0].field, "title");
    EXPECT_EQ(r[0].hits[1].field, "content");
    EXPECT_EQ(r[0].hits[1].offset, 11u);
    document only_link;
    only_link.link = "https://example.org/ukraine-nato";
    EXPECT_TRUE(set.match(only_link).empty());
}

TEST(watch_set_issue2, hits_carry_pattern_text_field_and_code_point_offset) {
    auto set = compile_one("\"мирні переговори\" OR nato");
    const auto r = set.match(title_only("Київ: Мирні  переговори і NATO-led"));
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].matched_patterns, (std::vector<std::string>{"мирні переговори", "nato"}));
    ASSERT_EQ(r[0].hits.size(), 2u);
    EXPECT_EQ(r[0].hits[0].pattern, "мирні переговори");
    EXPECT_EQ(r[0].hits[0].text, "Мирні  переговори");
    EXPECT_EQ(r[0].hits[0].offset, 6u);
    EXPECT_EQ(r[0].hits[1].text, "NATO");
    EXPECT_EQ(r[0].hits[1].offset, 26u);
}

TEST(watch_set_issue2, syntax_errors_name_watch_position_and_expectation) {
    watch_spec ok = spec_of("good", "NATO");
    watch_spec bad = spec_of("broken", "NATO AND (Ukraine");
    query_error err;
    const auto set = watch_set::compile({ok, bad}, &err);
    ASSERT_FALSE(set);
    EXPECT_EQ(err.watch, "broken");
    EXPECT_EQ(err.position, 17u);
    EXPECT_NE(err.to_string().find("watch 'broken': query position 17: expected ')'"), std::string::npos)
        << err.to_string();
    EXPECT_NE(set.err().message.find("broken"), std::string::npos);
}

// --- #5 ----------------------------------------------------------------------------------

TEST(watch_set_issue5, prefix_wildcards) {
    EXPECT_TRUE(matches("ukrain*", "Ukrainian singer"));
    EXPECT_TRUE(matches("ukrain*", "Ukraine"));
    EXPECT_FALSE(matches("ukrain*", "Kyiv"));
    EXPECT_TRUE(matches("\"peace talk*\"", "peace talks resume"));
    EXPECT_TRUE(matches("українськ*", "Українські війська"));
}

TEST(watch_set_issue5, near_counts_words_between_in_any_order) {
    EXPECT_TRUE(matches("Ukraine NEAR/3 membership", "Ukraine seeks NATO membership"));
    EXPECT_TRUE(matches("Ukraine NEAR/3 membership", "membership for Ukraine"));
    EXPECT_FALSE(matches("Ukraine NEAR/1 membership", "Ukraine seeks NATO membership"));
    EXPECT_TRUE(matches("Ukraine NEAR/0 membership", "Ukraine membership"));
    EXPECT_TRUE(matches("(Ukraine OR Kyiv) NEAR/2 \"peace talks\"", "Kyiv joins peace talks"));
    // NEAR never crosses fields.
    auto set = compile_one("Ukraine NEAR/5 membership");
    document d;
    d.title = "Ukraine";
    d.summary = "membership";
    EXPECT_TRUE(set.match(d).empty());
}

TEST(watch_set_issue5, sentence_needs_everything_in_one_sentence) {
    EXPECT_TRUE(matches("SENTENCE(NATO membership)", "Rutte said NATO membership is far off. Talks go on."));
    EXPECT_FALSE(matches("SENTENCE(NATO membership)", "NATO met. Membership was not discussed."));
    EXPECT_TRUE(matches("SENTENCE(NATO NOT Russia)", "NATO met. Russia objected."));
    EXPECT_FALSE(matches("SENTENCE(NATO NOT Russia)", "NATO and Russia met."));
    EXPECT_FALSE(matches("SENTENCE(NATO membership)", "The U.S. backs NATO. Membership later."));
    EXPECT_TRUE(matches("SENTENCE(NATO membership)", "The U.S. backs NATO membership."));
}

TEST(watch_set_issue5, field_scopes_and_fields_option) {
    auto set = compile_one("title:NATO author:Smith category:diplomacy feed:Reuters link:nato");
    document d;
    d.title = "NATO";
    d.authors = {"Jane Smith"};
    d.categories = {"World", "Diplomacy"};
    d.feed = "Reuters World";
    d.link = "https://www.nato.int/news";
    const auto r = set.match(d);
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].hits.size(), 5u);
    EXPECT_EQ(r[0].hits[1].field, "author");
    EXPECT_EQ(r[0].hits[1].offset, 5u);
    d.title = "";
    d.summary = "NATO";
    EXPECT_TRUE(set.match(d).empty());

    watch_spec titles;
    titles.fields = {"title"};
    auto only_titles = compile_one("Ukraine", titles);
    document c;
    c.content = "Ukraine";
    EXPECT_TRUE(only_titles.match(c).empty());
    c.title = "Ukraine";
    EXPECT_FALSE(only_titles.match(c).empty());

    query_error err;
    EXPECT_FALSE(watch_set::compile({[] { auto s = spec_of("x", "a"); s.fields = {"body"}; return s; }()}, &err));
    EXPECT_NE(err.hint.find("title"), std::string::npos);
}

TEST(watch_set_issue5, min_hits_counts_distinct_hits) {
    const watch_spec two = with_min_hits(2);
    EXPECT_FALSE(matches("NATO OR Ukraine", "NATO summit", two));
    EXPECT_TRUE(matches("NATO OR Ukraine", "NATO and Ukraine", two));
    EXPECT_TRUE(matches("NATO", "NATO, NATO", two));
    auto set = compile_one("NATO OR Ukraine", two);
    const auto r = set.match(title_only("NATO summit"), true);
    ASSERT_EQ(r.size(), 1u);
    EXPECT_FALSE(r[0].matched);
    EXPECT_NE(r[0].reason.find("min_hits"), std::string::npos);
}

TEST(watch_set_issue5, accent_insensitive_and_stemming_are_per_watch) {
    EXPECT_FALSE(matches("Burgenstock", "Bürgenstock summit"));
    EXPECT_TRUE(matches("Burgenstock", "Bürgenstock summit", [] { watch_spec s; s.accent_insensitive = true; return s; }()));
    EXPECT_FALSE(matches("negotiation", "negotiations resume"));
    EXPECT_TRUE(matches("negotiation", "Negotiations resume", with_stemming("english")));
    EXPECT_TRUE(matches("переговоры", "переговорах в Стамбуле", with_stemming("russian")));
    EXPECT_TRUE(matches("\"peace negotiation\"", "peace negotiations", with_stemming("english")));
    query_error err;
    EXPECT_FALSE(watch_set::compile({[] { auto s = with_stemming("klingon"); s.name = "x"; s.query = "a"; return s; }()}, &err));
    EXPECT_NE(err.hint.find("english"), std::string::npos);
    // A stemmed and an unstemmed watch share one set.
    auto set = watch_set::compile({spec_of("plain", "talk"), [] {
        auto s = with_stemming("english");
        s.name = "stem";
        s.query = "talk";
        return s;
    }()});
    ASSERT_TRUE(set);
    const auto r = set->match(title_only("talks"));
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].watch_index, 1u);
}

TEST(watch_set_issue5, negation_and_hedge_marks_and_ignore_policy) {
    auto keep = compile_one("NATO membership");
    auto r = keep.match(title_only("Rutte rules out NATO membership for Kyiv"));
    ASSERT_EQ(r.size(), 1u);
    EXPECT_TRUE(r[0].hits[0].negated);
    r = keep.match(title_only("NATO membership may come, officials say"));
    ASSERT_EQ(r.size(), 1u);
    EXPECT_TRUE(r[0].hits[0].hedged);
    EXPECT_FALSE(r[0].hits[0].negated);

    auto ignore = compile_one("NATO membership", [] { watch_spec s; s.negated = negated_policy::ignore; return s; }());
    EXPECT_TRUE(ignore.match(title_only("Rutte rules out NATO membership")).empty());
    EXPECT_FALSE(ignore.match(title_only("Rutte backs NATO membership")).empty());
    const auto ex = ignore.match(title_only("Україна не отримає членство в NATO membership"), true);
    ASSERT_EQ(ex.size(), 1u);
    EXPECT_NE(ex[0].reason.find("ignored"), std::string::npos);
}

TEST(watch_set_issue5, explain_lists_every_watch_with_a_reason) {
    auto set = watch_set::compile({spec_of("a", "NATO"), spec_of("b", "EU AND Ukraine"), spec_of("c", "grain")});
    ASSERT_TRUE(set);
    const auto quiet = set->match(title_only("NATO and Ukraine"));
    ASSERT_EQ(quiet.size(), 1u);
    EXPECT_EQ(quiet[0].watch_index, 0u);
    const auto all = set->match(title_only("NATO and Ukraine"), true);
    ASSERT_EQ(all.size(), 3u);
    EXPECT_TRUE(all[0].matched);
    EXPECT_FALSE(all[1].matched);
    EXPECT_NE(all[1].reason.find("not found EU"), std::string::npos) << all[1].reason;
    EXPECT_NE(all[2].reason.find("no term"), std::string::npos);
}

TEST(watch_set_issue5, one_shared_matcher_for_many_watches) {
    std::vector<watch_spec> specs;
    for (int i = 0; i < 2000; ++i)
        specs.push_back(spec_of("w" + std::to_string(i), "term" + std::to_string(i) + " OR shared*"));
    auto set = watch_set::compile(specs);
    ASSERT_TRUE(set);
    auto r = set->match(title_only("term1234 here"));
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].watch_index, 1234u);
    r = set->match(title_only("shareds"));
    EXPECT_EQ(r.size(), 2000u);
}

TEST(watch_set_issue5, compile_rejects_bad_watches) {
    query_error err;
    EXPECT_FALSE(watch_set::compile({spec_of("x", "NOT Ukraine")}, &err));
    EXPECT_EQ(err.watch, "x");
    EXPECT_FALSE(watch_set::compile({spec_of("x", "a"), spec_of("x", "b")}, &err));
    EXPECT_FALSE(watch_set::compile({[] { auto s = spec_of("x", "a"); s.stemming = true; return s; }()}, &err));
    EXPECT_TRUE(watch_set::compile({}));
}

TEST(watch_set_issue5, any_input_is_safe) {
    auto set = compile_one("ukr* NEAR/2 SENTENCE(a OR b) OR \"x y\"");
    std::string junk;
    for (int i = 0; i < 512; ++i) junk.push_back(static_cast<char>((i * 37) & 0xFF));
    document d;
    d.title = junk;
    d.content = junk;
    d.authors = {junk};
    (void)set.match(d, true);
    (void)set.match(document{}, true);
    SUCCEED();
}

}  // namespace
}  // namespace newswatch::matcher
