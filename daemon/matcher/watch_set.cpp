#include "newswatch/matcher/watch_set.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <tuple>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "newswatch/core/errc.hpp"
#include "newswatch/matcher/query.hpp"
#include "newswatch/text/cue_lexicon.hpp"
#include "newswatch/text/tokenizer.hpp"
#include "key_table.hpp"
#include "snowball_stemmer.hpp"

namespace newswatch::matcher {

namespace {

constexpr std::size_t field_count = std::size(query_fields);
constexpr std::uint8_t default_field_mask = 0b111;  // title, summary, content

int field_index(std::string_view name) noexcept {
    for (std::size_t i = 0; i < field_count; ++i)
        if (query_fields[i] == name) return static_cast<int>(i);
    return -1;
}

// One word of a compiled pattern.
struct leaf_token {
    std::string key;     // folded (and stemmed, unless prefix) form
    bool prefix = false;  // key is a prefix of the folded word
};

// One term or phrase of one watch's query.
struct leaf {
    std::uint32_t watch = 0;
    std::uint8_t field_mask = default_field_mask;
    std::uint8_t space = 0;  // index into key spaces: how exact keys were made
    std::string pattern;
    std::vector<leaf_token> tokens;
};

// How document words are turned into keys: folding (with or without accents) and an
// optional stemmer. Every watch uses one space; usually there are only one or two.
struct key_space {
    bool accent_insensitive = false;
    std::string language;  // "" = not stemmed
    key_table exact;  // first token key -> leaves

    // Stemming every word is the dominant cost of a stemmed space. For stemmers that only
    // strip suffixes, a stem starts with the word's first bytes, so a word whose first
    // `head_size` bytes begin no stemmed key of this space needs no stem: it cannot match.
    std::size_t head_size = 0;  // 0 = no filter (stem every word)
    std::vector<std::uint64_t> heads = std::vector<std::uint64_t>(1024, 0);

    static std::uint32_t head_slot(std::string_view key, std::size_t n) noexcept {
        std::uint32_t h = 0;
        for (std::size_t i = 0; i < n; ++i) h = (h << 8) | static_cast<unsigned char>(key[i]);
        return (h * 0x9E3779B1u) >> 16;
    }
    bool may_match(std::string_view word) const noexcept {
        if (head_size == 0) return true;
        if (word.size() < head_size) return false;  // its stem is shorter than every key
        const auto slot = head_slot(word, head_size);
        return (heads[slot / 64] & (std::uint64_t{1} << (slot % 64))) != 0;
    }
    static bool suffix_only(const std::string& language) {
        for (const char* l : {"english", "en", "eng", "porter", "russian", "ru", "rus"})
            if (language == l) return true;
        return false;
    }
    void build_heads(const std::vector<std::string_view>& keys) {
        if (language.empty() || !suffix_only(language) || keys.empty()) return;
        std::size_t shortest = 3;
        for (const auto k : keys) shortest = std::min(shortest, k.size());
        if (shortest < 2) return;  // a one-byte stem: no filter
        head_size = shortest;
        for (const auto k : keys) {
            const auto slot = head_slot(k, head_size);
            heads[slot / 64] |= std::uint64_t{1} << (slot % 64);
        }
    }
};

// Prefix patterns grouped by their first three bytes (two for the few two-byte prefixes),
// behind bitmaps, so a word costs one or two bitmap tests and, rarely, one small lookup.
struct prefix_index {
    struct entry {
        std::string prefix;
        std::vector<posting> leaves;
    };
    static constexpr std::size_t bits = 1 << 16;
    std::vector<std::uint64_t> heads3 = std::vector<std::uint64_t>(bits / 64, 0);  // hashed first three bytes
    std::vector<std::uint64_t> heads2 = std::vector<std::uint64_t>(bits / 64, 0);  // exact first two bytes
    std::unordered_map<std::uint32_t, std::vector<entry>> by_head3;
    std::unordered_map<std::uint32_t, std::vector<entry>> by_head2;
    bool empty = true;

    static std::uint32_t head(std::string_view key, std::size_t n) noexcept {
        std::uint32_t h = 0;
        for (std::size_t i = 0; i < n; ++i) h = (h << 8) | static_cast<unsigned char>(key[i]);
        return h;
    }
    static std::uint32_t slot3(std::uint32_t h) noexcept { return (h * 0x9E3779B1u) >> 16; }
    static bool test(const std::vector<std::uint64_t>& bitmap, std::uint32_t i) noexcept {
        return (bitmap[i / 64] & (std::uint64_t{1} << (i % 64))) != 0;
    }
    static void add_to(std::vector<entry>& list, const std::string& prefix, posting leaf) {
        auto it = std::find_if(list.begin(), list.end(), [&](const entry& e) { return e.prefix == prefix; });
        if (it == list.end()) it = list.insert(list.end(), entry{prefix, {}});
        it->leaves.push_back(leaf);
    }
    void add(const std::string& prefix, posting leaf) {
        empty = false;
        if (prefix.size() >= 3) {
            const auto h = head(prefix, 3);
            heads3[slot3(h) / 64] |= std::uint64_t{1} << (slot3(h) % 64);
            add_to(by_head3[h], prefix, leaf);
        } else {
            const auto h = head(prefix, 2);
            heads2[h / 64] |= std::uint64_t{1} << (h % 64);
            add_to(by_head2[h], prefix, leaf);
        }
    }
    // Calls f(leaves) for every prefix pattern `key` starts with.
    template <class F>
    void find(std::string_view key, F&& f) const {
        if (key.size() < 2) return;
        if (!by_head2.empty()) {
            const auto h = head(key, 2);
            if (test(heads2, h)) {
                const auto it = by_head2.find(h);
                if (it != by_head2.end())
                    for (const auto& e : it->second)
                        if (key.starts_with(e.prefix)) f(e.leaves);
            }
        }
        if (key.size() < 3) return;
        const auto h = head(key, 3);
        if (!test(heads3, slot3(h))) return;
        const auto it = by_head3.find(h);
        if (it == by_head3.end()) return;
        for (const auto& e : it->second)
            if (key.starts_with(e.prefix)) f(e.leaves);
    }
};

struct eval_node {
    query_op op = query_op::term;
    int distance = 0;
    std::uint32_t leaf = 0;
    std::vector<eval_node> children;
};

struct compiled_watch {
    eval_node root;
    std::uint32_t first_leaf = 0;
    std::uint32_t leaf_end = 0;
    std::uint8_t space = 0;
    bool accent_insensitive = false;
};

// ---- per-match state -------------------------------------------------------------------

struct field_instance {
    std::uint8_t field = 0;
    std::string_view text;
    std::array<text::token_list, 2> tokens;  // by accent_insensitive
};

struct occurrence {
    std::uint32_t leaf = 0;
    std::uint32_t inst = 0;
    std::uint32_t first = 0;  // token index
    std::uint32_t last = 0;   // one past
    bool operator<(const occurrence& o) const noexcept {
        return std::tie(leaf, inst, first, last) < std::tie(o.leaf, o.inst, o.first, o.last);
    }
    bool operator==(const occurrence& o) const noexcept {
        return leaf == o.leaf && inst == o.inst && first == o.first && last == o.last;
    }
};

struct span {
    std::uint32_t inst = 0;
    std::uint32_t first = 0;
    std::uint32_t last = 0;
    // The occurrences that make up the span: pool[occ_begin, occ_begin + occ_count) of the
    // evaluation (an append-only pool, so combining spans never copies vectors around).
    std::uint32_t occ_begin = 0;
    std::uint32_t occ_count = 0;
};

struct outcome {
    bool truth = false;
    std::vector<span> spans;
};

struct filter {
    bool active = false;
    std::uint32_t inst = 0;
    std::uint32_t sentence = 0;
};

}  // namespace

std::string query_error::to_string() const {
    std::string s = "watch '" + watch + "': query position " + std::to_string(position) + ": " + message;
    if (!hint.empty()) s += " (" + hint + ")";
    return s;
}

struct watch_set::impl {
    std::vector<watch_spec> specs;
    std::vector<compiled_watch> watches;
    std::vector<leaf> leaves;
    std::vector<key_space> spaces;
    std::array<prefix_index, 2> prefixes;
    std::array<bool, 2> ai_needed{false, false};
    std::uint8_t fields_needed = 0;
    std::vector<std::uint32_t> min_hits_zero;  // watches that can match without a hit

    std::uint8_t space_for(bool ai, const std::string& language) {
        for (std::size_t i = 0; i < spaces.size(); ++i)
            if (spaces[i].accent_insensitive == ai && spaces[i].language == language)
                return static_cast<std::uint8_t>(i);
        key_space s;
        s.accent_insensitive = ai;
        s.language = language;
        spaces.push_back(std::move(s));
        return static_cast<std::uint8_t>(spaces.size() - 1);
    }

    // ---- compile ---------------------------------------------------------------------

    bool compile_node(const query_node& q, std::uint32_t watch, std::uint8_t space, std::uint8_t watch_mask,
                      snowball_stemmer& stemmer, eval_node& out, query_error& err) {
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
        const text::fold_options fold{spaces[space].accent_insensitive};
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
        out.leaf = static_cast<std::uint32_t>(leaves.size());
        fields_needed |= l.field_mask;
        const auto id = out.leaf;
        const auto& first = l.tokens.front();
        if (first.prefix) {
            prefixes[fold.accent_insensitive ? 1 : 0].add(first.key, make_posting(id, l));
        } else {
            spaces[space].exact.add(first.key, make_posting(id, l));
        }
        leaves.push_back(std::move(l));
        return true;
    }

    static posting make_posting(std::uint32_t id, const leaf& l) {
        posting p;
        p.leaf = id;
        p.field_mask = l.field_mask;
        p.words = static_cast<std::uint8_t>(std::min<std::size_t>(l.tokens.size(), 255));
        return p;
    }

    static bool has_positive(const query_node& q, bool negated) {
        switch (q.op) {
            case query_op::term: return !negated;
            case query_op::none_of: return has_positive(q.children.front(), !negated);
            default:
                for (const auto& c : q.children)
                    if (has_positive(c, negated)) return true;
                return false;
        }
    }

    bool compile_watch(std::uint32_t index, query_error& err) {
        const watch_spec& spec = specs[index];
        err.watch = spec.name;
        err.position = 0;
        if (spec.name.empty()) {
            err.message = "a watch has no name";
            err.hint = "give every [[watch]] a name";
            return false;
        }
        for (std::uint32_t i = 0; i < index; ++i)
            if (specs[i].name == spec.name) {
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
        ai_needed[spec.accent_insensitive ? 1 : 0] = true;
        w.first_leaf = static_cast<std::uint32_t>(leaves.size());
        snowball_stemmer stemmer(language);
        if (!compile_node(*parsed, index, w.space, mask, stemmer, w.root, err)) return false;
        w.leaf_end = static_cast<std::uint32_t>(leaves.size());
        if (spec.min_hits <= 0) min_hits_zero.push_back(index);
        watches.push_back(std::move(w));
        return true;
    }

    // ---- match -----------------------------------------------------------------------

    struct match_state {
        std::vector<field_instance> instances;
        std::vector<occurrence> occs;
        // stemmed keys per (instance, space): arena + (begin, size) per token
        std::vector<std::string> stem_arena;
        std::vector<std::vector<std::pair<std::uint32_t, std::uint32_t>>> stem_keys;
        std::vector<std::array<std::vector<unsigned char>, 2>> cue_cache;  // per instance, by accent_insensitive

        text::cue_marks marks(const occurrence& o, bool ai) {
            const std::size_t a = ai ? 1 : 0;
            return text::scan_clause(instances[o.inst].tokens[a], o.first, o.last, text::fold_options{ai},
                                     cue_cache[o.inst][a]);
        }
    };

    std::string_view doc_key(match_state& st, std::uint32_t inst, std::uint8_t space, std::uint32_t tok) const {
        const auto& ks = spaces[space];
        const auto& toks = st.instances[inst].tokens[ks.accent_insensitive ? 1 : 0];
        if (ks.language.empty()) return toks.key(tok);
        const std::size_t slot = inst * spaces.size() + space;
        const auto& [b, n] = st.stem_keys[slot][tok];
        return std::string_view(st.stem_arena[slot]).substr(b, n);
    }

    bool verify(match_state& st, const leaf& l, std::uint32_t inst, std::uint32_t start) const {
        const auto& ks = spaces[l.space];
        const auto& toks = st.instances[inst].tokens[ks.accent_insensitive ? 1 : 0];
        if (start + l.tokens.size() > toks.tokens.size()) return false;
        for (std::size_t k = 1; k < l.tokens.size(); ++k) {
            const auto& t = l.tokens[k];
            const auto tok = static_cast<std::uint32_t>(start + k);
            if (t.prefix) {
                if (!toks.key(tok).starts_with(t.key)) return false;
            } else if (doc_key(st, inst, l.space, tok) != t.key) {
                return false;
            }
        }
        return true;
    }

    void consider(match_state& st, const posting* ids, std::size_t count, std::uint32_t inst,
                  std::uint32_t tok) const {
        const auto field_bit = static_cast<std::uint8_t>(1u << st.instances[inst].field);
        for (std::size_t k = 0; k < count; ++k) {
            const posting& p = ids[k];
            if ((p.field_mask & field_bit) == 0) continue;
            if (p.words == 1) {
                st.occs.push_back({p.leaf, inst, tok, tok + 1});
                continue;
            }
            const leaf& l = leaves[p.leaf];
            if (!verify(st, l, inst, tok)) continue;
            st.occs.push_back({p.leaf, inst, tok, static_cast<std::uint32_t>(tok + l.tokens.size())});
        }
    }

    void add_instance(match_state& st, int field, std::string_view text) const {
        if (text.empty() || (fields_needed & (1u << field)) == 0) return;
        field_instance fi;
        fi.field = static_cast<std::uint8_t>(field);
        fi.text = text;
        st.instances.push_back(std::move(fi));
    }

    void scan(match_state& st, const document& doc) const {
        add_instance(st, 0, doc.title);
        add_instance(st, 1, doc.summary);
        add_instance(st, 2, doc.content);
        for (auto a : doc.authors) add_instance(st, 3, a);
        for (auto c : doc.categories) add_instance(st, 4, c);
        add_instance(st, 5, doc.feed);
        add_instance(st, 6, doc.link);

        st.cue_cache.assign(st.instances.size(), {});
        st.occs.reserve(256);
        st.stem_arena.assign(st.instances.size() * spaces.size(), {});
        st.stem_keys.assign(st.instances.size() * spaces.size(), {});
        std::vector<std::unique_ptr<snowball_stemmer>> stemmers(spaces.size());
        for (std::size_t s = 0; s < spaces.size(); ++s)
            if (!spaces[s].language.empty()) stemmers[s] = std::make_unique<snowball_stemmer>(spaces[s].language);

        for (std::uint32_t inst = 0; inst < st.instances.size(); ++inst) {
            auto& fi = st.instances[inst];
            if (ai_needed[0]) text::tokenize(fi.text, text::fold_options{false}, fi.tokens[0]);
            if (ai_needed[1]) {
                // One scan of the text; the accent-insensitive keys are derived from it.
                if (ai_needed[0]) text::refold(fi.text, fi.tokens[0], text::fold_options{true}, fi.tokens[1]);
                else text::tokenize(fi.text, text::fold_options{true}, fi.tokens[1]);
            }
            for (std::size_t s = 0; s < spaces.size(); ++s) {
                if (!stemmers[s]) continue;
                const auto& toks = fi.tokens[spaces[s].accent_insensitive ? 1 : 0];
                const std::size_t slot = inst * spaces.size() + s;
                auto& arena = st.stem_arena[slot];
                auto& keys = st.stem_keys[slot];
                keys.reserve(toks.tokens.size());
                for (std::size_t t = 0; t < toks.tokens.size(); ++t) {
                    const std::string_view word = toks.key(t);
                    const auto stem = spaces[s].may_match(word) ? stemmers[s]->stem(word) : word;
                    keys.emplace_back(static_cast<std::uint32_t>(arena.size()), static_cast<std::uint32_t>(stem.size()));
                    arena.append(stem);
                }
            }
            for (std::size_t s = 0; s < spaces.size(); ++s) {
                const auto& ks = spaces[s];
                if (ks.exact.empty()) continue;
                const auto& toks = fi.tokens[ks.accent_insensitive ? 1 : 0];
                const auto n = static_cast<std::uint32_t>(toks.tokens.size());
                if (ks.language.empty()) {  // the common case, without the stem indirection
                    const char* keys = toks.keys.data();
                    const text::token* tk = toks.tokens.data();
                    for (std::uint32_t t = 0; t < n; ++t) {
                        const auto found = ks.exact.find(std::string_view(keys + tk[t].key_begin, tk[t].key_size));
                        if (found.size != 0) consider(st, found.begin, found.size, inst, t);
                    }
                    continue;
                }
                for (std::uint32_t t = 0; t < n; ++t) {
                    const auto found = ks.exact.find(doc_key(st, inst, static_cast<std::uint8_t>(s), t));
                    if (found.size != 0) consider(st, found.begin, found.size, inst, t);
                }
            }
            for (int ai = 0; ai < 2; ++ai) {
                const auto& p = prefixes[static_cast<std::size_t>(ai)];
                if (p.empty) continue;
                const auto& toks = fi.tokens[static_cast<std::size_t>(ai)];
                const auto n = static_cast<std::uint32_t>(toks.tokens.size());
                for (std::uint32_t t = 0; t < n; ++t)
                    p.find(toks.key(t), [&](const std::vector<posting>& ids) {
                        consider(st, ids.data(), ids.size(), inst, t);
                    });
            }
        }
        std::sort(st.occs.begin(), st.occs.end());
        st.occs.erase(std::unique(st.occs.begin(), st.occs.end()), st.occs.end());
    }

    // Evaluation of one watch over its occurrences.
    struct watch_eval {
        const impl& self;
        match_state& st;
        const compiled_watch& w;
        std::vector<occurrence> occs;  // kept occurrences of this watch's leaves, sorted by leaf
        std::vector<std::pair<std::uint32_t, std::uint32_t>> leaf_ranges;  // per leaf: [b, e) in occs
        mutable std::vector<std::uint32_t> pool;                          // span members (indices into occs)

        std::uint32_t sentence_of(const occurrence& o) const {
            return st.instances[o.inst].tokens[w.accent_insensitive ? 1 : 0].tokens[o.first].sentence;
        }
        bool passes(const occurrence& o, const filter& f) const {
            return !f.active || (o.inst == f.inst && sentence_of(o) == f.sentence);
        }

        outcome eval(const eval_node& n, const filter& f) const {
            outcome out;
            switch (n.op) {
                case query_op::term: {
                    const auto [b, e] = leaf_ranges[n.leaf - w.first_leaf];
                    for (auto i = b; i < e; ++i) {
                        if (!passes(occs[i], f)) continue;
                        out.spans.push_back({occs[i].inst, occs[i].first, occs[i].last,
                                             static_cast<std::uint32_t>(pool.size()), 1});
                        pool.push_back(i);
                    }
                    out.truth = !out.spans.empty();
                    return out;
                }
                case query_op::all_of: {
                    out.truth = true;
                    for (const auto& c : n.children) {
                        auto r = eval(c, f);
                        if (!r.truth) return outcome{};
                        for (auto& s : r.spans) out.spans.push_back(std::move(s));
                    }
                    return out;
                }
                case query_op::any_of: {
                    for (const auto& c : n.children) {
                        auto r = eval(c, f);
                        if (!r.truth) continue;
                        out.truth = true;
                        for (auto& s : r.spans) out.spans.push_back(std::move(s));
                    }
                    return out;
                }
                case query_op::none_of:
                    out.truth = !eval(n.children.front(), f).truth;
                    return out;
                case query_op::near: {
                    const auto a = eval(n.children[0], f);
                    if (!a.truth) return out;
                    const auto b = eval(n.children[1], f);
                    if (!b.truth) return out;
                    for (const auto& x : a.spans)
                        for (const auto& y : b.spans) {
                            if (x.inst != y.inst) continue;
                            const auto& first = x.first <= y.first ? x : y;
                            const auto& second = x.first <= y.first ? y : x;
                            const auto gap = second.first > first.last ? second.first - first.last : 0u;
                            if (gap > static_cast<std::uint32_t>(n.distance)) continue;
                            span s{x.inst, std::min(x.first, y.first), std::max(x.last, y.last),
                                   static_cast<std::uint32_t>(pool.size()), x.occ_count + y.occ_count};
                            for (std::uint32_t k = 0; k < x.occ_count; ++k) pool.push_back(pool[x.occ_begin + k]);
                            for (std::uint32_t k = 0; k < y.occ_count; ++k) pool.push_back(pool[y.occ_begin + k]);
                            out.spans.push_back(std::move(s));
                        }
                    out.truth = !out.spans.empty();
                    return out;
                }
                case query_op::sentence: {
                    std::set<std::pair<std::uint32_t, std::uint32_t>> candidates;
                    collect_sentences(n.children.front(), f, candidates);
                    for (const auto& [inst, sentence] : candidates) {
                        auto r = eval(n.children.front(), filter{true, inst, sentence});
                        if (!r.truth) continue;
                        out.truth = true;
                        for (auto& s : r.spans) out.spans.push_back(std::move(s));
                    }
                    return out;
                }
            }
            return out;
        }

        void collect_sentences(const eval_node& n, const filter& f,
                               std::set<std::pair<std::uint32_t, std::uint32_t>>& out) const {
            if (n.op == query_op::term) {
                const auto [b, e] = leaf_ranges[n.leaf - w.first_leaf];
                for (auto i = b; i < e; ++i)
                    if (passes(occs[i], f)) out.emplace(occs[i].inst, sentence_of(occs[i]));
                return;
            }
            if (n.op == query_op::none_of) return;
            for (const auto& c : n.children) collect_sentences(c, f, out);
        }
    };

    watch_result evaluate(match_state& st, std::uint32_t index, std::size_t occ_begin, std::size_t occ_end,
                          bool explain) const {
        const compiled_watch& w = watches[index];
        const watch_spec& spec = specs[index];
        watch_result res;
        res.watch_index = index;
        const std::size_t ai = w.accent_insensitive ? 1 : 0;

        watch_eval ev{*this, st, w, {}, {}, {}};
        std::size_t ignored = 0;
        // Negation marks cost a clause scan: only the ignore policy needs them before
        // evaluation; otherwise only the hits get them.
        const bool drop_negated = spec.negated == negated_policy::ignore;
        ev.occs.reserve(occ_end - occ_begin);
        for (std::size_t i = occ_begin; i < occ_end; ++i) {
            const auto& o = st.occs[i];
            if (drop_negated && st.marks(o, w.accent_insensitive).negated) {
                ++ignored;
                continue;
            }
            ev.occs.push_back(o);
        }
        ev.leaf_ranges.assign(w.leaf_end - w.first_leaf, {0, 0});
        for (std::uint32_t i = 0; i < ev.occs.size();) {
            std::uint32_t j = i;
            while (j < ev.occs.size() && ev.occs[j].leaf == ev.occs[i].leaf) ++j;
            ev.leaf_ranges[ev.occs[i].leaf - w.first_leaf] = {i, j};
            i = j;
        }

        const outcome top = ev.eval(w.root, filter{});
        // Hits: the occurrences that made the query true, once per pattern and place.
        std::vector<std::uint32_t> used;
        if (top.truth)
            for (const auto& s : top.spans)
                used.insert(used.end(), ev.pool.begin() + s.occ_begin, ev.pool.begin() + s.occ_begin + s.occ_count);
        std::sort(used.begin(), used.end());
        used.erase(std::unique(used.begin(), used.end()), used.end());
        std::sort(used.begin(), used.end(), [&](std::uint32_t a, std::uint32_t b) {
            const auto& x = ev.occs[a];
            const auto& y = ev.occs[b];
            return std::tie(x.inst, x.first, x.last, x.leaf) < std::tie(y.inst, y.first, y.last, y.leaf);
        });
        auto same_place = [&](std::uint32_t a, std::uint32_t b) {
            const auto& x = ev.occs[a];
            const auto& y = ev.occs[b];
            return x.inst == y.inst && x.first == y.first && x.last == y.last;
        };
        int distinct = 0;
        for (std::size_t k = 0; k < used.size(); ++k)
            if (k == 0 || !same_place(used[k - 1], used[k])) ++distinct;
        res.matched = top.truth && distinct >= spec.min_hits;
        if (!res.matched && !explain) return res;
        for (std::size_t k = 0; k < used.size(); ++k) {
            // One hit per place: the first pattern in query order names it (several patterns,
            // e.g. "Russia" and "russia*", may cover the same words).
            if (k > 0 && same_place(used[k - 1], used[k])) continue;
            const auto& o = ev.occs[used[k]];
            const leaf& l = leaves[o.leaf];
            const auto& fi = st.instances[o.inst];
            const auto& toks = fi.tokens[ai].tokens;
            core::hit h;
            h.pattern = l.pattern;
            h.text = std::string(fi.text.substr(toks[o.first].begin, toks[o.last - 1].end - toks[o.first].begin));
            h.field = std::string(query_fields[fi.field]);
            h.offset = toks[o.first].char_offset;
            const auto m = st.marks(o, w.accent_insensitive);
            h.negated = m.negated;
            h.hedged = m.hedged;
            res.hits.push_back(std::move(h));
        }
        // Patterns in query order (leaf ids follow the query text).
        std::vector<std::uint32_t> hit_leaves;
        for (const auto i : used) hit_leaves.push_back(ev.occs[i].leaf);
        std::sort(hit_leaves.begin(), hit_leaves.end());
        for (const auto id : hit_leaves) {
            const auto& p = leaves[id].pattern;
            if (std::find(res.matched_patterns.begin(), res.matched_patterns.end(), p) == res.matched_patterns.end())
                res.matched_patterns.push_back(p);
        }

        if (!explain) return res;

        auto join = [](const std::vector<std::string>& v) {
            constexpr std::size_t shown = 8;  // a reason stays one readable line
            std::string s;
            for (std::size_t i = 0; i < v.size() && i < shown; ++i) s += (s.empty() ? "" : ", ") + v[i];
            if (v.size() > shown) s += " and " + std::to_string(v.size() - shown) + " more";
            return s;
        };
        std::vector<std::string> found, missing;
        for (auto id = w.first_leaf; id < w.leaf_end; ++id) {
            const auto& p = leaves[id].pattern;
            const auto [b, e] = ev.leaf_ranges[id - w.first_leaf];
            auto& list = b < e ? found : missing;
            if (std::find(list.begin(), list.end(), p) == list.end()) list.push_back(p);
        }
        std::string suffix;
        if (ignored > 0)
            suffix = " (" + std::to_string(ignored) + " negated hit" + (ignored == 1 ? "" : "s") +
                     " ignored: negated = \"ignore\")";
        if (res.matched) {
            res.reason = "matched: " + join(res.matched_patterns) + suffix;
        } else if (top.truth) {
            res.reason = "only " + std::to_string(distinct) + " distinct hit" + (distinct == 1 ? "" : "s") +
                         ", min_hits is " + std::to_string(spec.min_hits) + suffix;
        } else if (found.empty()) {
            res.reason = "no term of the query occurs in the item" + suffix;
        } else {
            res.reason = "the query is false for this item: found " + join(found);
            if (!missing.empty()) res.reason += "; not found " + join(missing);
            res.reason += suffix;
        }
        return res;
    }

    // Whether the query could be true given only which leaves occur (a necessary
    // condition, cheap): most watches with some occurrence fail here and skip evaluation.
    static bool possible(const eval_node& n, const std::vector<unsigned char>& present, std::uint32_t first_leaf) {
        switch (n.op) {
            case query_op::term: return present[n.leaf - first_leaf] != 0;
            case query_op::none_of: return true;
            case query_op::any_of:
                for (const auto& c : n.children)
                    if (possible(c, present, first_leaf)) return true;
                return false;
            default:  // all_of, near, sentence
                for (const auto& c : n.children)
                    if (!possible(c, present, first_leaf)) return false;
                return true;
        }
    }

    std::vector<watch_result> match(const document& doc, bool explain) const {
        match_state st;
        scan(st, doc);
        std::vector<unsigned char> present;
        std::vector<watch_result> out;
        // Occurrences are sorted by leaf, and each watch's leaves are one contiguous range in
        // watch order. The usual case visits only the watches that have an occurrence, so the
        // cost does not grow with the number of watches that are not concerned.
        if (!explain && min_hits_zero.empty()) {
            std::size_t at = 0;
            while (at < st.occs.size()) {
                const std::uint32_t index = leaves[st.occs[at].leaf].watch;
                const auto& w = watches[index];
                std::size_t end = at;
                while (end < st.occs.size() && st.occs[end].leaf < w.leaf_end) ++end;
                present.assign(w.leaf_end - w.first_leaf, 0);
                for (std::size_t k = at; k < end; ++k) present[st.occs[k].leaf - w.first_leaf] = 1;
                if (possible(w.root, present, w.first_leaf)) {
                    auto r = evaluate(st, index, at, end, false);
                    if (r.matched) out.push_back(std::move(r));
                }
                at = end;
            }
            return out;
        }
        std::size_t at = 0;
        for (std::uint32_t index = 0; index < watches.size(); ++index) {
            const auto& w = watches[index];
            while (at < st.occs.size() && st.occs[at].leaf < w.first_leaf) ++at;
            std::size_t end = at;
            while (end < st.occs.size() && st.occs[end].leaf < w.leaf_end) ++end;
            if (end == at && !explain && specs[index].min_hits > 0) continue;
            auto r = evaluate(st, index, at, end, explain);
            at = end;
            if (r.matched || explain) out.push_back(std::move(r));
        }
        return out;
    }
};

watch_set::watch_set(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
watch_set::watch_set(watch_set&&) noexcept = default;
watch_set& watch_set::operator=(watch_set&&) noexcept = default;
watch_set::~watch_set() = default;

core::result<watch_set> watch_set::compile(std::vector<watch_spec> specs, query_error* error_out) {
    auto p = std::make_unique<impl>();
    p->specs = std::move(specs);
    for (std::uint32_t i = 0; i < p->specs.size(); ++i) {
        query_error err;
        if (!p->compile_watch(i, err)) {
            if (error_out != nullptr) *error_out = err;
            return core::error{core::errc::parse_error, err.to_string()};
        }
    }
    for (std::size_t i = 0; i < p->spaces.size(); ++i) {
        std::vector<std::string_view> stemmed;
        for (const auto& l : p->leaves)
            if (l.space == i)
                for (const auto& t : l.tokens)
                    if (!t.prefix) stemmed.push_back(t.key);
        p->spaces[i].build_heads(stemmed);
        p->spaces[i].exact.finish();
    }
    return watch_set(std::move(p));
}

std::vector<watch_result> watch_set::match(const document& doc, bool explain) const {
    return impl_->match(doc, explain);
}

const std::vector<watch_spec>& watch_set::specs() const noexcept { return impl_->specs; }

}  // namespace newswatch::matcher
