#include "document_scan.hpp"

#include <algorithm>

namespace newswatch::matcher {

document_scan::document_scan(const compiled_set& set, const document& doc) : set_(set) {
    add_instance(0, doc.title);
    add_instance(1, doc.summary);
    add_instance(2, doc.content);
    for (auto a : doc.authors) add_instance(3, a);
    for (auto c : doc.categories) add_instance(4, c);
    add_instance(5, doc.feed);
    add_instance(6, doc.link);
    add_instance(7, doc.article);

    const auto spaces = set_.spaces.size();
    cues_.resize(instances_.size());
    occs_.reserve(256);
    stem_arena_.assign(instances_.size() * spaces, {});
    stem_keys_.assign(instances_.size() * spaces, {});
    stemmers_.resize(spaces);
    for (std::size_t s = 0; s < spaces; ++s)
        if (!set_.spaces[s].language.empty())
            stemmers_[s] = std::make_unique<snowball_stemmer>(set_.spaces[s].language);

    for (std::uint32_t inst = 0; inst < instances_.size(); ++inst) {
        tokenize_instance(inst);
        look_up(inst);
    }
    std::sort(occs_.begin(), occs_.end());
    occs_.erase(std::unique(occs_.begin(), occs_.end()), occs_.end());
}

text::cue_marks document_scan::marks(const occurrence& o, bool ai) {
    const std::size_t a = ai ? 1 : 0;
    auto& cues = cues_[o.inst][a];
    if (!cues)
        cues = std::make_unique<text::clause_cues>(instances_[o.inst].tokens[a], text::fold_options{ai});
    return cues->marks(o.first, o.last);
}

void document_scan::add_instance(int field, std::string_view text) {
    if (text.empty() || (set_.fields_needed & (1u << field)) == 0) return;
    field_instance fi;
    fi.field = static_cast<std::uint8_t>(field);
    fi.text = text;
    instances_.push_back(std::move(fi));
}

void document_scan::tokenize_instance(std::uint32_t inst) {
    auto& fi = instances_[inst];
    if (set_.ai_needed[0]) text::tokenize(fi.text, text::fold_options{false}, fi.tokens[0]);
    if (set_.ai_needed[1]) {
        // One scan of the text; the accent-insensitive keys are derived from it.
        if (set_.ai_needed[0])
            text::refold(fi.text, fi.tokens[0], text::fold_options{true}, fi.tokens[1]);
        else
            text::tokenize(fi.text, text::fold_options{true}, fi.tokens[1]);
    }
    for (std::size_t s = 0; s < set_.spaces.size(); ++s) {
        if (!stemmers_[s]) continue;
        const auto& toks = fi.tokens[set_.spaces[s].accent_insensitive ? 1 : 0];
        const std::size_t slot = inst * set_.spaces.size() + s;
        auto& arena = stem_arena_[slot];
        auto& keys = stem_keys_[slot];
        keys.reserve(toks.tokens.size());
        for (std::size_t t = 0; t < toks.tokens.size(); ++t) {
            const std::string_view word = toks.key(t);
            const auto stem = set_.spaces[s].may_match(word) ? stemmers_[s]->stem(word) : word;
            keys.emplace_back(static_cast<std::uint32_t>(arena.size()),
                              static_cast<std::uint32_t>(stem.size()));
            arena.append(stem);
        }
    }
}

void document_scan::look_up(std::uint32_t inst) {
    const auto& fi = instances_[inst];
    for (std::size_t s = 0; s < set_.spaces.size(); ++s) {
        const auto& ks = set_.spaces[s];
        if (ks.exact.empty()) continue;
        const auto& toks = fi.tokens[ks.accent_insensitive ? 1 : 0];
        const auto n = static_cast<std::uint32_t>(toks.tokens.size());
        if (ks.language.empty()) {  // the common case, without the stem indirection
            const char* keys = toks.keys.data();
            const text::token* tk = toks.tokens.data();
            for (std::uint32_t t = 0; t < n; ++t) {
                const auto found = ks.exact.find(std::string_view(keys + tk[t].key_begin, tk[t].key_size));
                if (found.size != 0) consider(found.begin, found.size, inst, t);
            }
            continue;
        }
        for (std::uint32_t t = 0; t < n; ++t) {
            const auto found = ks.exact.find(doc_key(inst, static_cast<std::uint8_t>(s), t));
            if (found.size != 0) consider(found.begin, found.size, inst, t);
        }
    }
    for (std::size_t ai = 0; ai < 2; ++ai) {
        const auto& p = set_.prefixes[ai];
        if (p.empty) continue;
        const auto& toks = fi.tokens[ai];
        const auto n = static_cast<std::uint32_t>(toks.tokens.size());
        for (std::uint32_t t = 0; t < n; ++t)
            p.find(toks.key(t),
                   [&](const std::vector<posting>& ids) { consider(ids.data(), ids.size(), inst, t); });
    }
}

std::string_view document_scan::doc_key(std::uint32_t inst, std::uint8_t space, std::uint32_t tok) const {
    const auto& ks = set_.spaces[space];
    const auto& toks = instances_[inst].tokens[ks.accent_insensitive ? 1 : 0];
    if (ks.language.empty()) return toks.key(tok);
    const std::size_t slot = inst * set_.spaces.size() + space;
    const auto& [b, n] = stem_keys_[slot][tok];
    return std::string_view(stem_arena_[slot]).substr(b, n);
}

bool document_scan::verify(const leaf& l, std::uint32_t inst, std::uint32_t start) const {
    const auto& ks = set_.spaces[l.space];
    const auto& toks = instances_[inst].tokens[ks.accent_insensitive ? 1 : 0];
    if (start + l.tokens.size() > toks.tokens.size()) return false;
    for (std::size_t k = 1; k < l.tokens.size(); ++k) {
        const auto& t = l.tokens[k];
        const auto tok = static_cast<std::uint32_t>(start + k);
        if (t.prefix) {
            if (!toks.key(tok).starts_with(t.key)) return false;
        } else if (doc_key(inst, l.space, tok) != t.key) {
            return false;
        }
    }
    return true;
}

void document_scan::consider(const posting* ids, std::size_t count, std::uint32_t inst, std::uint32_t tok) {
    const auto field_bit = static_cast<std::uint8_t>(1u << instances_[inst].field);
    for (std::size_t k = 0; k < count; ++k) {
        const posting& p = ids[k];
        if ((p.field_mask & field_bit) == 0) continue;
        if (p.words == 1) {
            occs_.push_back({p.leaf, inst, tok, tok + 1});
            continue;
        }
        const leaf& l = set_.leaves[p.leaf];
        if (!verify(l, inst, tok)) continue;
        occs_.push_back({p.leaf, inst, tok, static_cast<std::uint32_t>(tok + l.tokens.size())});
    }
}

}  // namespace newswatch::matcher
