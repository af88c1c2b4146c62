#include "newswatch/text/cue_lexicon.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

#include <functional>
#include <string>
#include <unordered_map>

namespace newswatch::text {

namespace {

// Single-word cues, written in their folded form. Ukrainian and Russian lists carry the
// forms headlines use (past tense, third person).
constexpr std::string_view negation_words[] = {
    // English
    "not", "no", "never", "neither", "nor", "none", "nobody", "nothing", "cannot",
    "don't", "doesn't", "didn't", "won't", "wouldn't", "isn't", "aren't", "wasn't", "weren't",
    "hasn't", "haven't", "hadn't", "can't", "couldn't", "shouldn't", "mustn't", "deny", "denies",
    "denied", "denying", "reject", "rejects", "rejected", "rejecting", "refuse", "refuses",
    "refused", "refusing", "dismiss", "dismisses", "dismissed", "dismissing", "excludes",
    "excluded", "unlikely", "halts", "halted", "suspends", "suspended", "blocks", "blocked",
    "vetoes", "vetoed", "opposes", "opposed",
    // Ukrainian
    "не", "ні", "ніколи", "немає", "нема", "заперечує", "заперечив", "заперечила",
    "заперечили", "спростував", "спростувала", "спростували", "відкинув", "відкинула",
    "відкинули", "відкидає", "відмовився", "відмовилася", "відмовилися", "відмовляється",
    "виключив", "виключила", "виключили", "виключає", "блокує", "заблокував", "заблокувала",
    // Russian
    "нет", "ни", "никогда", "отрицает", "отрицал", "отрицала", "отрицали", "опроверг",
    "опровергла", "опровергли", "отверг", "отвергла", "отвергли", "отвергает", "отказался",
    "отказалась", "отказались", "отказывается", "исключил", "исключила", "исключили",
    "исключает", "блокирует", "заблокировал", "заблокировала"};

constexpr std::string_view hedge_words[] = {
    // English
    "may", "might", "could", "reportedly", "allegedly", "possibly", "perhaps", "probably",
    "likely", "maybe", "purportedly", "apparently", "rumoured", "rumored", "rumours", "rumors",
    "unconfirmed", "speculation", "considering", "considers", "mulls", "mulling", "weighs",
    "weighing", "potential", "potentially", "reported", "sources", "claims", "claimed", "alleged",
    // Ukrainian
    "можливо", "ймовірно", "імовірно", "нібито", "може", "можуть", "могла", "міг", "могли",
    "мабуть", "очевидно", "джерела", "повідомляють", "розглядає", "потенційно",
    // Russian
    "возможно", "вероятно", "якобы", "может", "могут", "мог", "могла", "могли", "по-видимому",
    "видимо", "источники", "сообщают", "рассматривает", "потенциально", "предположительно"};

struct string_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

struct lexicon {
    std::unordered_map<std::string, cue_kind, string_hash, std::equal_to<>> words;
    std::size_t longest = 0;
    std::array<std::uint64_t, 256> lengths{};  // per first byte: bit n set = some cue has n bytes
    explicit lexicon(const fold_options& options) {
        for (auto w : negation_words) words.emplace(fold(w, options), cue_kind::negation);
        for (auto w : hedge_words) words.emplace(fold(w, options), cue_kind::hedge);
        for (const auto& [w, kind] : words) {
            longest = std::max(longest, w.size());
            if (w.size() < 64) lengths[static_cast<unsigned char>(w[0])] |= std::uint64_t{1} << w.size();
        }
    }
};

const lexicon& lexicon_for(const fold_options& options) {
    static const lexicon plain{fold_options{false}};
    static const lexicon stripped{fold_options{true}};
    return options.accent_insensitive ? stripped : plain;
}

bool is_rule_word(std::string_view k) noexcept {
    return k == "rule" || k == "rules" || k == "ruled" || k == "ruling";
}

}  // namespace

cue_kind single_word_cue(std::string_view folded_key, const fold_options& options) {
    const auto& lex = lexicon_for(options);
    if (folded_key.empty() || folded_key.size() > lex.longest || folded_key.size() >= 64 ||
        (lex.lengths[static_cast<unsigned char>(folded_key[0])] & (std::uint64_t{1} << folded_key.size())) == 0)
        return cue_kind::none;
    const auto it = lex.words.find(folded_key);
    return it == lex.words.end() ? cue_kind::none : it->second;
}

namespace {

constexpr unsigned char unknown = 0xFF;
constexpr unsigned char rule_out = 0x10;  // "rule(s|d) out": a negation over two words

unsigned char token_cue(const token_list& tokens, std::size_t i, const fold_options& options) {
    const std::string_view k = tokens.key(i);
    if (is_rule_word(k) && i + 1 < tokens.tokens.size() && tokens.key(i + 1) == "out" &&
        tokens.tokens[i + 1].clause == tokens.tokens[i].clause)
        return rule_out;
    return static_cast<unsigned char>(single_word_cue(k, options));
}

}  // namespace

cue_marks scan_clause(const token_list& tokens, std::size_t first, std::size_t last, const fold_options& options,
                      std::vector<unsigned char>& cache) {
    cue_marks marks;
    if (first >= last || last > tokens.tokens.size()) return marks;
    if (cache.size() != tokens.tokens.size()) cache.assign(tokens.tokens.size(), unknown);
    const std::uint32_t clause = tokens.tokens[first].clause;
    std::size_t begin = first;
    while (begin > 0 && tokens.tokens[begin - 1].clause == clause) --begin;
    std::size_t end = last;
    while (end < tokens.tokens.size() && tokens.tokens[end].clause == clause) ++end;
    for (std::size_t i = begin; i < end; ++i) {
        if (i >= first && i < last) continue;
        if (cache[i] == unknown) cache[i] = token_cue(tokens, i, options);
        switch (cache[i]) {
            case rule_out:
            case static_cast<unsigned char>(cue_kind::negation): marks.negated = true; break;
            case static_cast<unsigned char>(cue_kind::hedge): marks.hedged = true; break;
            default: break;
        }
    }
    return marks;
}

cue_marks scan_clause(const token_list& tokens, std::size_t first, std::size_t last,
                      const fold_options& options) {
    std::vector<unsigned char> cache;
    return scan_clause(tokens, first, last, options, cache);
}

}  // namespace newswatch::text
