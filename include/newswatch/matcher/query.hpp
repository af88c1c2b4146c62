#pragma once
// The query language (docs/QUERIES.md): a parser from text to a syntax tree. Pure; errors
// come back as values with the Unicode character position where the query went wrong.
//
//   query    := or_expr
//   or_expr  := and_expr { "OR" and_expr }
//   and_expr := near_expr { ["AND"] near_expr }          (juxtaposition = AND)
//   near_expr:= unary { "NEAR/" n unary }                 (any order, <= n words between)
//   unary    := "NOT" unary | primary
//   primary  := [field ":"] ( word | '"' words '"' | "(" or_expr ")" )
//             | "SENTENCE(" or_expr ")"
//   word     := letters/digits, optionally ending in "*" (prefix wildcard)
// Precedence: NOT > NEAR > AND > OR. Operators are the uppercase words only.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace newswatch::matcher {

enum class query_op { term, all_of, any_of, none_of, near, sentence };

struct query_node {
    query_op op = query_op::term;
    std::size_t position = 0;  // Unicode character index of the node in the query
    // term: the pattern as written (a phrase without its quotes), its scope and its words
    // (each a raw, unfolded word of the pattern; `prefix` marks a trailing "*").
    std::string pattern;
    std::string field;  // "" = the watch's fields
    struct word {
        std::string text;
        bool prefix = false;
    };
    std::vector<word> words;
    int distance = 0;  // near: at most this many words between
    // all_of / any_of / near / sentence: operands; none_of: exactly one operand (NOT).
    std::vector<query_node> children;
};

struct query_syntax_error {
    std::size_t position = 0;  // Unicode character index
    std::string message;
    std::string hint;
};

// The fields a scope may name, in the order hits are reported. "article" is the main text
// of the item's linked page when the daemon fetched it (fetch_article); empty otherwise.
inline constexpr std::string_view query_fields[] = {"title", "summary", "content", "author", "category",
                                                    "feed",  "link",    "article"};

// Parses one query. Never throws for any input (fuzzed); nesting deeper than 100 levels
// is an error.
std::optional<query_node> parse_query(std::string_view query, query_syntax_error& error);

}  // namespace newswatch::matcher
