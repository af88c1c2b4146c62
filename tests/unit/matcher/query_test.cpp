#include "newswatch/matcher/query.hpp"

#include <gtest/gtest.h>

#include <string>

namespace newswatch::matcher {
namespace {

// A compact rendering of the tree: terms as written, operators as words.
std::string show(const query_node& n) {
    auto list = [&](const char* op) {
        std::string s = std::string("(") + op;
        for (const auto& c : n.children) s += " " + show(c);
        return s + ")";
    };
    switch (n.op) {
        case query_op::term: {
            std::string s = n.field.empty() ? "" : n.field + ":";
            s += n.words.size() > 1 ? "\"" + n.pattern + "\"" : n.pattern;
            return s;
        }
        case query_op::all_of: return list("AND");
        case query_op::any_of: return list("OR");
        case query_op::none_of: return list("NOT");
        case query_op::near: return list(("NEAR/" + std::to_string(n.distance)).c_str());
        case query_op::sentence: return list("SENTENCE");
    }
    return "?";
}

std::string parse(std::string_view q) {
    query_syntax_error err;
    const auto n = parse_query(q, err);
    if (!n) return "error@" + std::to_string(err.position) + ": " + err.message;
    return show(*n);
}

query_syntax_error error_of(std::string_view q) {
    query_syntax_error err;
    EXPECT_FALSE(parse_query(q, err).has_value()) << q;
    return err;
}

TEST(query_parser, precedence_not_over_and_over_or) {
    EXPECT_EQ(parse("a OR b c"), "(OR a (AND b c))");
    EXPECT_EQ(parse("a AND NOT b OR c"), "(OR (AND a (NOT b)) c)");
    EXPECT_EQ(parse("(NATO OR \"North Atlantic\") AND Ukraine"), "(AND (OR NATO \"North Atlantic\") Ukraine)");
    EXPECT_EQ(parse("NOT NOT a"), "(NOT (NOT a))");
}

TEST(query_parser, lowercase_operators_are_terms) {
    EXPECT_EQ(parse("war and peace"), "(AND war and peace)");
    EXPECT_EQ(parse("a or b"), "(AND a or b)");
}

TEST(query_parser, near_sentence_fields_and_wildcards) {
    EXPECT_EQ(parse("Ukraine NEAR/5 membership"), "(NEAR/5 Ukraine membership)");
    EXPECT_EQ(parse("a NEAR/2 b c"), "(AND (NEAR/2 a b) c)");
    EXPECT_EQ(parse("SENTENCE(NATO Ukraine)"), "(SENTENCE (AND NATO Ukraine))");
    EXPECT_EQ(parse("title:NATO summary:\"peace talks\""), "(AND title:NATO summary:\"peace talks\")");
    EXPECT_EQ(parse("title:(NATO OR EU) x"), "(AND (OR title:NATO title:EU) x)");
    EXPECT_EQ(parse("ukrain*"), "ukrain*");
    query_syntax_error err;
    const auto n = parse_query("\"peace talk*\"", err);
    ASSERT_TRUE(n);
    ASSERT_EQ(n->words.size(), 2u);
    EXPECT_TRUE(n->words[1].prefix);
    EXPECT_EQ(n->words[1].text, "talk");
}

TEST(query_parser, errors_have_position_message_and_hint) {
    auto e = error_of("NATO AND");
    EXPECT_EQ(e.position, 8u);
    EXPECT_NE(e.message.find("after AND"), std::string::npos);

    e = error_of("(NATO OR EU");
    EXPECT_EQ(e.position, 11u);
    EXPECT_NE(e.message.find("expected ')'"), std::string::npos);

    e = error_of("NATO and OR");
    EXPECT_NE(e.hint.find("uppercase"), std::string::npos);

    e = error_of("НАТО \"мирні переговори");
    EXPECT_EQ(e.position, 5u);  // code points, not bytes
    EXPECT_NE(e.message.find("unterminated"), std::string::npos);

    e = error_of("headline:NATO");
    EXPECT_NE(e.hint.find("title:"), std::string::npos);

    e = error_of("uk*raine");
    EXPECT_EQ(e.position, 2u);
    e = error_of("u*");
    EXPECT_FALSE(e.hint.empty());
    e = error_of("a NEAR/x b");
    EXPECT_EQ(e.position, 2u);
    e = error_of("a NEAR/3 NOT b");
    EXPECT_EQ(e.position, 9u);
    e = error_of("");
    EXPECT_NE(e.message.find("empty"), std::string::npos);
    e = error_of("a )");
    EXPECT_EQ(e.position, 2u);
    e = error_of("\"\"");
    e = error_of("- *");
    e = error_of("SENTENCE NATO");
    EXPECT_FALSE(e.hint.empty());
}

TEST(query_parser, deep_nesting_is_an_error_not_a_crash) {
    std::string q(5000, '(');
    EXPECT_NE(parse(q + "a" + std::string(5000, ')')).find("error"), std::string::npos);
    std::string nots;
    for (int i = 0; i < 5000; ++i) nots += "NOT ";
    EXPECT_NE(parse(nots + "a").find("error"), std::string::npos);
}

}  // namespace
}  // namespace newswatch::matcher
