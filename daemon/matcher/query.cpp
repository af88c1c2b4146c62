#include "newswatch/matcher/query.hpp"

#include <algorithm>
#include <cctype>

#include "newswatch/text/tokenizer.hpp"

namespace newswatch::matcher {

namespace {

enum class lex_kind { end, word, phrase, lparen, rparen, op_and, op_or, op_not, op_near, sentence_open, field };

struct lexeme {
    lex_kind kind = lex_kind::end;
    std::size_t position = 0;  // code points
    std::string text;          // word / phrase text / field name
    int distance = 0;
};

std::size_t utf8_length(std::string_view s) noexcept {
    std::size_t n = 0;
    for (unsigned char c : s)
        if ((c & 0xC0) != 0x80) ++n;
    return n;
}

bool is_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

bool is_known_field(std::string_view name) noexcept {
    return std::find(std::begin(query_fields), std::end(query_fields), name) != std::end(query_fields);
}

std::string field_list() {
    std::string s;
    for (auto f : query_fields) {
        if (!s.empty()) s += ", ";
        s += std::string(f) + ":";
    }
    return s;
}

class parser {
public:
    parser(std::string_view q, query_syntax_error& err) : q_(q), err_(err) {}

    std::optional<query_node> run() {
        if (!lex()) return std::nullopt;
        if (lexemes_.size() == 1) return fail(0, "the query is empty", "write at least one term, e.g. NATO");
        auto node = parse_or(0);
        if (!node) return std::nullopt;
        if (peek().kind == lex_kind::rparen)
            return fail(peek().position, "unexpected ')'", "remove it or add the matching '('");
        if (peek().kind != lex_kind::end)
            return fail(peek().position, "unexpected " + describe(peek()), "");
        return node;
    }

private:
    std::string_view q_;
    query_syntax_error& err_;
    std::vector<lexeme> lexemes_;
    std::size_t at_ = 0;
    bool has_lowercase_operator_ = false;

    std::nullopt_t fail(std::size_t position, std::string message, std::string hint) {
        err_.position = position;
        err_.message = std::move(message);
        if (hint.empty() && has_lowercase_operator_)
            hint = "operators are uppercase: write AND, OR, NOT (lowercase and/or/not are search terms)";
        err_.hint = std::move(hint);
        return std::nullopt;
    }

    static std::string describe(const lexeme& l) {
        switch (l.kind) {
            case lex_kind::end: return "end of query";
            case lex_kind::word: return "'" + l.text + "'";
            case lex_kind::phrase: return "phrase \"" + l.text + "\"";
            case lex_kind::lparen: return "'('";
            case lex_kind::rparen: return "')'";
            case lex_kind::op_and: return "AND";
            case lex_kind::op_or: return "OR";
            case lex_kind::op_not: return "NOT";
            case lex_kind::op_near: return "NEAR/" + std::to_string(l.distance);
            case lex_kind::sentence_open: return "SENTENCE(";
            case lex_kind::field: return "'" + l.text + ":'";
        }
        return "?";
    }

    // 'w' for messages. (Built by appending: GCC 12 at -O3 warns falsely, -Wrestrict, about
    // "'" + std::string(...).)
    static std::string quoted(std::string_view w) {
        std::string s;
        s.reserve(w.size() + 2);
        s.push_back('\'');
        s.append(w);
        s.push_back('\'');
        return s;
    }

    // Checks one whitespace-free word of a term or phrase; sets prefix.
    bool check_word(std::string_view w, std::size_t position, query_node::word& out) {
        const auto star = w.find('*');
        if (star != std::string_view::npos && star + 1 != w.size())
            return (fail(position + utf8_length(w.substr(0, star)), "'*' inside a word",
                         "a wildcard goes at the end of a word: ukrain*"),
                    false);
        out.prefix = star != std::string_view::npos;
        out.text = std::string(w.substr(0, out.prefix ? star : w.size()));
        const auto tokens = text::tokenize(out.text);
        if (tokens.tokens.empty())
            return (fail(position, quoted(w) + " has no letters or digits",
                         "a term needs at least one letter or digit; quote punctuation-only text is not searchable"),
                    false);
        if (out.prefix) {
            const auto& last = tokens.tokens.back();
            if (last.end != out.text.size())
                return (fail(position, "'*' must directly follow a letter or digit", "write ukrain*"), false);
            if (utf8_length(tokens.key(last)) < 2)
                return (fail(position, "a wildcard needs at least 2 letters before '*'", "write ukr*, not u*"), false);
        }
        return true;
    }

    bool lex() {
        std::size_t i = 0;
        std::size_t cp = 0;
        auto advance = [&](std::size_t bytes) {
            cp += utf8_length(q_.substr(i, bytes));
            i += bytes;
        };
        while (i < q_.size()) {
            const char c = q_[i];
            if (is_space(c)) {
                advance(1);
                continue;
            }
            lexeme l;
            l.position = cp;
            if (c == '(') {
                l.kind = lex_kind::lparen;
                advance(1);
            } else if (c == ')') {
                l.kind = lex_kind::rparen;
                advance(1);
            } else if (c == '"') {
                const auto close = q_.find('"', i + 1);
                if (close == std::string_view::npos)
                    return fail(cp, "unterminated phrase: no closing '\"'", "close the phrase with \""), false;
                l.kind = lex_kind::phrase;
                l.text = std::string(q_.substr(i + 1, close - i - 1));
                advance(close + 1 - i);
            } else {
                std::size_t j = i;
                while (j < q_.size() && !is_space(q_[j]) && q_[j] != '(' && q_[j] != ')' && q_[j] != '"') ++j;
                std::string_view w = q_.substr(i, j - i);
                // field:  -> a scope for what follows directly
                const auto colon = w.find(':');
                if (colon != std::string_view::npos && colon > 0) {
                    const std::string_view name = w.substr(0, colon);
                    const bool letters = std::all_of(name.begin(), name.end(), [](char ch) {
                        return std::isalpha(static_cast<unsigned char>(ch)) != 0;
                    });
                    if (letters) {
                        if (!is_known_field(name))
                            return fail(cp, "unknown field '" + std::string(name) + ":'",
                                        "fields are " + field_list()),
                                   false;
                        const bool followed = colon + 1 < w.size() || (j < q_.size() && (q_[j] == '(' || q_[j] == '"'));
                        if (!followed)
                            return fail(cp, "expected a term, phrase or '(' right after '" + std::string(name) + ":'",
                                        "no space after the colon: title:NATO"),
                                   false;
                        l.kind = lex_kind::field;
                        l.text = std::string(name);
                        lexemes_.push_back(l);
                        advance(colon + 1);
                        continue;
                    }
                }
                if (w == "AND") l.kind = lex_kind::op_and;
                else if (w == "OR") l.kind = lex_kind::op_or;
                else if (w == "NOT") l.kind = lex_kind::op_not;
                else if (w == "SENTENCE" && j < q_.size() && q_[j] == '(') {
                    l.kind = lex_kind::sentence_open;
                    ++j;
                } else if (w == "SENTENCE") {
                    return fail(cp, "expected '(' right after SENTENCE", "write SENTENCE(NATO Ukraine)"), false;
                } else if (w.rfind("NEAR", 0) == 0 && (w.size() == 4 || w[4] == '/')) {
                    const std::string_view digits = w.size() > 5 ? w.substr(5) : std::string_view{};
                    const bool ok = !digits.empty() && digits.size() <= 4 &&
                                    std::all_of(digits.begin(), digits.end(),
                                                [](char ch) { return ch >= '0' && ch <= '9'; });
                    if (!ok)
                        return fail(cp, "expected a number of words after NEAR/",
                                    "write NEAR/5 for at most 5 words between"),
                               false;
                    l.kind = lex_kind::op_near;
                    l.distance = std::stoi(std::string(digits));
                } else {
                    if (w == "and" || w == "or" || w == "not") has_lowercase_operator_ = true;
                    l.kind = lex_kind::word;
                    l.text = std::string(w);
                }
                advance(j - i);
            }
            lexemes_.push_back(std::move(l));
        }
        lexeme end;
        end.position = cp;
        lexemes_.push_back(end);
        return true;
    }

    const lexeme& peek() const { return lexemes_[at_]; }

    static bool starts_operand(lex_kind k) noexcept {
        return k == lex_kind::word || k == lex_kind::phrase || k == lex_kind::lparen || k == lex_kind::op_not ||
               k == lex_kind::field || k == lex_kind::sentence_open;
    }

    std::optional<query_node> expect_operand(int depth, const char* after) {
        if (!starts_operand(peek().kind)) {
            std::string msg = std::string("expected a term, phrase or '(' ") + after + ", found " + describe(peek());
            return fail(peek().position, std::move(msg), "");
        }
        return parse_and(depth);
    }

    std::optional<query_node> parse_or(int depth) {
        if (depth > 100) return fail(peek().position, "the query nests too deeply", "use at most 100 levels");
        auto first = expect_operand(depth, "");
        if (!first) return std::nullopt;
        if (peek().kind != lex_kind::op_or) return first;
        query_node node;
        node.op = query_op::any_of;
        node.position = first->position;
        node.children.push_back(std::move(*first));
        while (peek().kind == lex_kind::op_or) {
            ++at_;
            if (!starts_operand(peek().kind))
                return fail(peek().position, "expected a term, phrase or '(' after OR, found " + describe(peek()), "");
            auto next = parse_and(depth);
            if (!next) return std::nullopt;
            node.children.push_back(std::move(*next));
        }
        return node;
    }

    std::optional<query_node> parse_and(int depth) {
        auto first = parse_near(depth);
        if (!first) return std::nullopt;
        query_node node;
        node.op = query_op::all_of;
        node.position = first->position;
        node.children.push_back(std::move(*first));
        for (;;) {
            if (peek().kind == lex_kind::op_and) {
                ++at_;
                if (!starts_operand(peek().kind))
                    return fail(peek().position, "expected a term, phrase or '(' after AND, found " + describe(peek()),
                                "");
            } else if (!starts_operand(peek().kind)) {
                break;
            }
            auto next = parse_near(depth);
            if (!next) return std::nullopt;
            node.children.push_back(std::move(*next));
        }
        if (node.children.size() == 1) return std::move(node.children.front());
        return node;
    }

    std::optional<query_node> parse_near(int depth) {
        auto first = parse_unary(depth);
        if (!first) return std::nullopt;
        while (peek().kind == lex_kind::op_near) {
            const lexeme op = peek();
            ++at_;
            if (first->op == query_op::none_of)
                return fail(first->position, "NEAR needs a term, phrase or group on each side, not NOT", "");
            if (!starts_operand(peek().kind) || peek().kind == lex_kind::op_not)
                return fail(peek().position,
                            "expected a term, phrase or '(' after " + describe(op) + ", found " + describe(peek()),
                            "NEAR joins two terms: Ukraine NEAR/5 membership");
            auto next = parse_unary(depth);
            if (!next) return std::nullopt;
            query_node node;
            node.op = query_op::near;
            node.position = op.position;
            node.distance = op.distance;
            node.children.push_back(std::move(*first));
            node.children.push_back(std::move(*next));
            first = std::move(node);
        }
        return first;
    }

    std::optional<query_node> parse_unary(int depth) {
        if (depth > 100) return fail(peek().position, "the query nests too deeply", "use at most 100 levels");
        if (peek().kind == lex_kind::op_not) {
            const std::size_t pos = peek().position;
            ++at_;
            if (!starts_operand(peek().kind))
                return fail(peek().position, "expected a term, phrase or '(' after NOT, found " + describe(peek()),
                            "");
            auto operand = parse_unary(depth + 1);
            if (!operand) return std::nullopt;
            query_node node;
            node.op = query_op::none_of;
            node.position = pos;
            node.children.push_back(std::move(*operand));
            return node;
        }
        return parse_primary(depth, "");
    }

    static void scope(query_node& node, const std::string& field) {
        if (node.op == query_op::term) {
            if (node.field.empty()) node.field = field;  // an inner scope wins
            return;
        }
        for (auto& c : node.children) scope(c, field);
    }

    std::optional<query_node> parse_primary(int depth, const std::string& field) {
        const lexeme l = peek();
        switch (l.kind) {
            case lex_kind::field: {
                if (!field.empty()) return fail(l.position, "a field scope inside a field scope", "write title:NATO");
                ++at_;
                auto inner = parse_primary(depth, l.text);
                if (!inner) return std::nullopt;
                scope(*inner, l.text);
                return inner;
            }
            case lex_kind::word:
            case lex_kind::phrase: {
                ++at_;
                query_node node;
                node.op = query_op::term;
                node.position = l.position;
                node.pattern = l.text;
                node.field = field;
                // Split on whitespace; a phrase's words start one character after the quote.
                std::size_t i = 0;
                const std::size_t base = l.position + (l.kind == lex_kind::phrase ? 1 : 0);
                const std::string_view t = l.text;
                while (i < t.size()) {
                    if (is_space(t[i])) {
                        ++i;
                        continue;
                    }
                    std::size_t j = i;
                    while (j < t.size() && !is_space(t[j])) ++j;
                    query_node::word w;
                    if (!check_word(t.substr(i, j - i), base + utf8_length(t.substr(0, i)), w)) return std::nullopt;
                    node.words.push_back(std::move(w));
                    i = j;
                }
                if (node.words.empty())
                    return fail(l.position, "empty phrase", "write a phrase between the quotes: \"peace talks\"");
                return node;
            }
            case lex_kind::lparen:
            case lex_kind::sentence_open: {
                ++at_;
                auto inner = parse_or(depth + 1);
                if (!inner) return std::nullopt;
                if (peek().kind != lex_kind::rparen)
                    return fail(peek().position,
                                "expected ')' to close the '(' at position " + std::to_string(l.position) +
                                    ", found " + describe(peek()),
                                "");
                ++at_;
                if (l.kind == lex_kind::lparen) return inner;
                query_node node;
                node.op = query_op::sentence;
                node.position = l.position;
                node.children.push_back(std::move(*inner));
                return node;
            }
            default:
                return fail(l.position, "expected a term, phrase or '(', found " + describe(l), "");
        }
    }
};

}  // namespace

std::optional<query_node> parse_query(std::string_view query, query_syntax_error& error) {
    parser p(query, error);
    return p.run();
}

}  // namespace newswatch::matcher
