#pragma once
// One item's fields, tokenized once per folding, and every place where some pattern of the
// compiled set occurs in them. The first step of matching; the watches are then evaluated
// over these occurrences. Internal to the matcher; one per match() call.
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "compiled_set.hpp"
#include "newswatch/matcher/watch_set.hpp"
#include "newswatch/text/clause_cues.hpp"
#include "newswatch/text/tokenizer.hpp"
#include "snowball_stemmer.hpp"

namespace newswatch::matcher {

// One field value of the item (an item has several author and category instances).
struct field_instance {
    std::uint8_t field = 0;  // index into query_fields
    std::string_view text;
    std::array<text::token_list, 2> tokens;  // by accent_insensitive
};

// One pattern (leaf) found at tokens [first, last) of one field instance.
struct occurrence {
    std::uint32_t leaf = 0;
    std::uint32_t inst = 0;
    std::uint32_t first = 0;  // token index
    std::uint32_t last = 0;   // one past
    bool operator<(const occurrence& o) const noexcept {
        return std::tie(leaf, inst, first, last) < std::tie(o.leaf, o.inst, o.first, o.last);
    }
    bool operator==(const occurrence& o) const noexcept = default;
};

class document_scan {
public:
    // Tokenizes the fields some pattern looks at and collects the occurrences. `set` and
    // the text `doc` points to must outlive the scan.
    document_scan(const compiled_set& set, const document& doc);

    // Sorted by (leaf, inst, first, last), without duplicates: each watch's occurrences are
    // one contiguous run, since its leaves are.
    const std::vector<occurrence>& occurrences() const noexcept { return occs_; }
    const field_instance& instance(std::uint32_t inst) const noexcept { return instances_[inst]; }
    const text::token& first_token(const occurrence& o, bool accent_insensitive) const noexcept {
        return instances_[o.inst].tokens[accent_insensitive ? 1 : 0].tokens[o.first];
    }

    // Negation and hedge marks of an occurrence; amortised O(1) (each clause counted once).
    text::cue_marks marks(const occurrence& o, bool accent_insensitive);

private:
    void add_instance(int field, std::string_view text);
    void tokenize_instance(std::uint32_t inst);
    void look_up(std::uint32_t inst);
    std::string_view doc_key(std::uint32_t inst, std::uint8_t space, std::uint32_t tok) const;
    bool verify(const leaf& l, std::uint32_t inst, std::uint32_t start) const;
    void consider(const posting* ids, std::size_t count, std::uint32_t inst, std::uint32_t tok);

    const compiled_set& set_;
    std::vector<field_instance> instances_;
    std::vector<occurrence> occs_;
    // Stemmed keys per (instance, space): arena + (begin, size) per token.
    std::vector<std::string> stem_arena_;
    std::vector<std::vector<std::pair<std::uint32_t, std::uint32_t>>> stem_keys_;
    std::vector<std::unique_ptr<snowball_stemmer>> stemmers_;  // by space; null = not stemmed
    std::vector<std::array<std::unique_ptr<text::clause_cues>, 2>>
        cues_;  // per instance, by accent_insensitive
};

}  // namespace newswatch::matcher
