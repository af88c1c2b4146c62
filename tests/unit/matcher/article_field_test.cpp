// Issue #15: the fetched article's text is the query field `article`, and unscoped terms
// search it under the default fields.
#include "newswatch/matcher/watch_set.hpp"

#include <gtest/gtest.h>

#include "newswatch/matcher/document_builder.hpp"

namespace newswatch::matcher {
namespace {

watch_spec spec(std::string name, std::string query, std::vector<std::string> fields = {}) {
    watch_spec w;
    w.name = std::move(name);
    w.query = std::move(query);
    w.fields = std::move(fields);
    return w;
}

TEST(article_field, scoped_and_unscoped_terms_find_the_article_and_explicit_fields_leave_it_out) {
    query_error error;
    auto compiled = watch_set::compile(
        {spec("scoped", "article:\"membership action plan\""), spec("unscoped", "\"membership action plan\""),
         spec("title_only", "\"membership action plan\"", {"title", "summary"}),
         spec("listed", "\"membership action plan\"", {"article"})},
        &error);
    ASSERT_TRUE(compiled) << error.to_string();
    const watch_set& set = *compiled;
    document doc;
    doc.title = "Allies meet";
    doc.summary = "Ministers gathered.";
    EXPECT_TRUE(set.match(doc).empty());  // no article: nothing
    doc.article = "Officials said a membership action plan was discussed.";
    const auto results = set.match(doc);
    std::vector<std::string> names;
    for (const auto& r : results) names.push_back(set.specs()[r.watch_index].name);
    EXPECT_EQ(names, (std::vector<std::string>{"scoped", "unscoped", "listed"}));
    ASSERT_FALSE(results.empty());
    ASSERT_EQ(results[0].hits.size(), 1u);
    EXPECT_EQ(results[0].hits[0].field, "article");
    EXPECT_EQ(results[0].hits[0].offset, 17u);
}

TEST(article_field, the_text_budget_keeps_the_article_after_title_summary_and_content) {
    document doc;
    doc.title = "title";
    doc.summary = "summary";
    doc.article = "article text";
    doc.link = "https://example.org/x";
    const auto cut = limit_text(doc, 17);
    EXPECT_TRUE(cut.cut());
    EXPECT_EQ(doc.article, "artic");
    EXPECT_TRUE(doc.link.empty());
}

}  // namespace
}  // namespace newswatch::matcher
