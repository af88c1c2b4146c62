#include "newswatch/text/cue_lexicon.hpp"

#include "newswatch/text/clause_cues.hpp"

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

cue_kind token_cue(const token_list& tokens, std::size_t i, const fold_options& options) {
    const std::string_view k = tokens.key(i);
    // "rule(s|d) out": a negation over two words, marked on its first.
    if (is_rule_word(k) && i + 1 < tokens.tokens.size() && tokens.key(i + 1) == "out" &&
        tokens.tokens[i + 1].clause == tokens.tokens[i].clause)
        return cue_kind::negation;
    return single_word_cue(k, options);
}

cue_marks scan_clause(const token_list& tokens, std::size_t first, std::size_t last,
                      const fold_options& options) {
    return clause_cues(tokens, options).marks(first, last);
}

}  // namespace newswatch::text
