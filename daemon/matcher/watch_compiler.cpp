#include "watch_compiler.hpp"

#include <algorithm>
#include <string_view>
#include <utility>
#include <vector>

#include "newswatch/text/tokenizer.hpp"

namespace newswatch::matcher {

namespace {

posting make_posting(std::uint32_t id, const leaf& l) {
    posting p;
    p.leaf = id;
    p.field_mask = l.field_mask;
    p.words = static_cast<std::uint8_t>(std::min<std::size_t>(l.tokens.size(), 255));
    return p;
}

bool has_positive(const query_node& q, bool negated) {
    switch (q.op) {
        case query_op::term:
            return !negated;
        case query_op::none_of:
            return has_positive(q.children.front(), !negated);
        default:
            for (const auto& c : q.children)
                if (has_positive(c, negated)) return true;
            return false;
    }
}

}  // namespace

std::uint8_t watch_compiler::space_for(bool ai, const std::string& language) {
    auto& spaces = set_.spaces;
    for (std::size_t i = 0; i < spaces.size(); ++i)
        if (spaces[i].accent_insensitive == ai && spaces[i].language == language)
            return static_cast<std::uint8_t>(i);
    key_space s;
    s.accent_insensitive = ai;
    s.language = language;
    spaces.push_back(std::move(s));
    return static_cast<std::uint8_t>(spaces.size() - 1);
}

bool watch_compiler::compile_node(const query_node& q, std::uint32_t watch, std::uint8_t space,
                                  std::uint8_t watch_mask, snowball_stemmer& stemmer, eval_node& out,
                                  query_error& err) {
    out.op = q.op;
    out.distance = q.distance;
    if (q.op != query_op::term) {
        out.children.resize(q.children.size());
        for (std::size_t i = 0; i < q.children.size(); ++i)
            if (!compile_node(q.children[i], watch, space, watch_mask, stemmer, out.children[i], err))
                return false;
        return true;
    }
    leaf l;
    l.watch = watch;
    l.space = space;
    l.pattern = q.pattern;
    if (q.field.empty()) {
        l.field_mask = watch_mask;
    } else {
        l.field_mask = static_cast<std::uint8_t>(1u << field_index(q.field));
    }
    const text::fold_options fold{set_.spaces[space].accent_insensitive};
    for (const auto& w : q.words) {
        const auto toks = text::tokenize(w.text, fold);
        for (std::size_t i = 0; i < toks.tokens.size(); ++i) {
            leaf_token t;
            t.prefix = w.prefix && i + 1 == toks.tokens.size();
            t.key = std::string(toks.key(i));
            if (!t.prefix && stemmer.valid()) t.key = std::string(stemmer.stem(t.key));
            l.tokens.push_back(std::move(t));
        }
    }
    if (l.tokens.empty()) {  // the parser rejects these; keep the invariant anyway
        err.position = q.position;
        err.message = "'" + q.pattern + "' has no letters or digits";
        return false;
    }
    out.leaf = static_cast<std::uint32_t>(set_.leaves.size());
    set_.fields_needed |= l.field_mask;
    const auto id = out.leaf;
    const auto& first = l.tokens.front();
    if (first.prefix) {
        set_.prefixes[fold.accent_insensitive ? 1 : 0].add(first.key, make_posting(id, l));
    } else {
        set_.spaces[space].exact.add(first.key, make_posting(id, l));
    }
    set_.leaves.push_back(std::move(l));
    return true;
}

bool watch_compiler::compile_watch(std::uint32_t index, query_error& err) {
    const watch_spec& spec = set_.specs[index];
    err.watch = spec.name;
    err.position = 0;
    if (spec.name.empty()) {
        err.message = "a watch has no name";
        err.hint = "give every [[watch]] a name";
        return false;
    }
    for (std::uint32_t i = 0; i < index; ++i)
        if (set_.specs[i].name == spec.name) {
            err.message = "a second watch with the same name";
            err.hint = "watch names must be unique";
            return false;
        }
    std::uint8_t mask = 0;
    for (const auto& f : spec.fields) {
        const int fi = field_index(f);
        if (fi < 0) {
            std::string all;
            for (auto n : query_fields) all += (all.empty() ? "" : ", ") + std::string(n);
            err.message = "unknown field '" + f + "' in fields";
            err.hint = "fields are " + all;
            return false;
        }
        mask |= static_cast<std::uint8_t>(1u << fi);
    }
    if (mask == 0) mask = default_field_mask;
    std::string language;
    if (spec.stemming) {
        if (spec.language.empty()) {
            err.message = "stemming = true needs a language";
            err.hint = "set language = \"english\" (or another Snowball language)";
            return false;
        }
        snowball_stemmer probe(spec.language);
        if (!probe.valid()) {
            err.message = "no stemmer for language '" + spec.language + "'";
            err.hint = "languages: " + snowball_stemmer::available();
            return false;
        }
        language = spec.language;
    }
    query_syntax_error syntax;
    const auto parsed = parse_query(spec.query, syntax);
    if (!parsed) {
        err.position = syntax.position;
        err.message = syntax.message;
        err.hint = syntax.hint;
        return false;
    }
    if (!has_positive(*parsed, false)) {
        err.message = "the query has no term that is not negated, so it can never match";
        err.hint = "add a term to look for: Ukraine NOT grain";
        return false;
    }
    compiled_watch w;
    w.accent_insensitive = spec.accent_insensitive;
    w.space = space_for(spec.accent_insensitive, language);
    set_.ai_needed[spec.accent_insensitive ? 1 : 0] = true;
    w.first_leaf = static_cast<std::uint32_t>(set_.leaves.size());
    snowball_stemmer stemmer(language);
    if (!compile_node(*parsed, index, w.space, mask, stemmer, w.root, err)) return false;
    w.leaf_end = static_cast<std::uint32_t>(set_.leaves.size());
    if (spec.min_hits <= 0) set_.min_hits_zero.push_back(index);
    set_.watches.push_back(std::move(w));
    return true;
}

void watch_compiler::finish() {
    for (std::size_t i = 0; i < set_.spaces.size(); ++i) {
        std::vector<std::string_view> stemmed;
        for (const auto& l : set_.leaves)
            if (l.space == i)
                for (const auto& t : l.tokens)
                    if (!t.prefix) stemmed.push_back(t.key);
        set_.spaces[i].build_heads(stemmed);
        set_.spaces[i].exact.finish();
    }
}

}  // namespace newswatch::matcher
