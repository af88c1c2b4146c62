#include "newswatch/text/cue_lexicon.hpp"

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

struct lexicon {
    std::unordered_map<std::string, cue_kind> words;
    explicit lexicon(const fold_options& options) {
        for (auto w : negation_words) words.emplace(fold(w, options), cue_kind::negation);
        for (auto w : hedge_words) words.emplace(fold(w, options), cue_kind::hedge);
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
    const auto& words = lexicon_for(options).words;
    const auto it = words.find(std::string(folded_key));
    return it == words.end() ? cue_kind::none : it->second;
}

cue_marks scan_clause(const token_list& tokens, std::size_t first, std::size_t last,
                      const fold_options& options) {
    cue_marks marks;
    if (first >= last || last > tokens.tokens.size()) return marks;
    const std::uint32_t clause = tokens.tokens[first].clause;
    std::size_t begin = first;
    while (begin > 0 && tokens.tokens[begin - 1].clause == clause) --begin;
    std::size_t end = last;
    while (end < tokens.tokens.size() && tokens.tokens[end].clause == clause) ++end;
    for (std::size_t i = begin; i < end; ++i) {
        if (i >= first && i < last) continue;
        const std::string_view k = tokens.key(i);
        // "rules out", "ruled out": a negation although neither word is one alone.
        if (is_rule_word(k) && i + 1 < end && tokens.key(i + 1) == "out") {
            marks.negated = true;
            continue;
        }
        switch (single_word_cue(k, options)) {
            case cue_kind::negation: marks.negated = true; break;
            case cue_kind::hedge: marks.hedged = true; break;
            case cue_kind::none: break;
        }
    }
    return marks;
}

}  // namespace newswatch::text
