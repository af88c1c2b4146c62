#include "newswatch/text/tokenizer.hpp"

#include <algorithm>
#include <array>
#include <limits>

#include <utf8proc.h>

namespace newswatch::text {

namespace {

enum class char_class : unsigned char {
    other,        // separates words
    letter,       // letters and combining marks
    digit,
    apostrophe,   // ' ’ ʼ: kept inside a word between letters
    decimal,      // . or , : kept between digits ("1,000", "2.5")
    clause_end,   // , ; : ( ) [ ] – —
    sentence_end, // . ! ? … and line breaks
};

struct decoded {
    std::int32_t cp = -1;  // -1: an invalid byte
    std::uint32_t size = 1;
};

decoded decode(std::string_view text, std::size_t i) noexcept {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) return {c, 1};
    // Two-byte letters (Latin, Greek, Cyrillic) without a utf8proc call; C0/C1 are overlong.
    if (c >= 0xC2 && c <= 0xDF && i + 1 < text.size()) {
        const auto c1 = static_cast<unsigned char>(text[i + 1]);
        if ((c1 & 0xC0) == 0x80) return {((c & 0x1F) << 6) | (c1 & 0x3F), 2};
    }
    utf8proc_int32_t cp = 0;
    const auto len = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data() + i),
                                      static_cast<utf8proc_ssize_t>(text.size() - i), &cp);
    if (len <= 0) return {-1, 1};
    return {cp, static_cast<std::uint32_t>(len)};
}

constexpr std::array<char_class, 128> make_ascii_table() {
    std::array<char_class, 128> t{};
    for (auto& c : t) c = char_class::other;
    for (int c = 'a'; c <= 'z'; ++c) t[static_cast<std::size_t>(c)] = char_class::letter;
    for (int c = 'A'; c <= 'Z'; ++c) t[static_cast<std::size_t>(c)] = char_class::letter;
    for (int c = '0'; c <= '9'; ++c) t[static_cast<std::size_t>(c)] = char_class::digit;
    t['\''] = char_class::apostrophe;
    t[','] = char_class::clause_end;  // or decimal between digits, decided in context
    t[';'] = char_class::clause_end;
    t[':'] = char_class::clause_end;
    t['('] = char_class::clause_end;
    t[')'] = char_class::clause_end;
    t['['] = char_class::clause_end;
    t[']'] = char_class::clause_end;
    t['.'] = char_class::sentence_end;  // or decimal / abbreviation, decided in context
    t['!'] = char_class::sentence_end;
    t['?'] = char_class::sentence_end;
    t['\n'] = char_class::sentence_end;
    return t;
}
constexpr auto ascii_table = make_ascii_table();

char_class classify_slow(std::int32_t cp) noexcept {
    if (cp < 0) return char_class::other;
    if (cp < 0x80) return ascii_table[static_cast<std::size_t>(cp)];
    switch (cp) {
        case 0x2019: case 0x02BC: return char_class::apostrophe;
        case 0x2013: case 0x2014: case 0xFF0C: case 0xFF1B: case 0x3001: return char_class::clause_end;
        case 0x2026: case 0x3002: case 0xFF01: case 0xFF1F: case 0x2029: case 0x2028: return char_class::sentence_end;
        default: break;
    }
    switch (utf8proc_category(cp)) {
        case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
        case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
        case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
            return char_class::letter;
        case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
            return char_class::digit;
        default:
            return char_class::other;
    }
}

// classify_slow() of every code point below U+0800, computed once: a Cyrillic word costs one
// table load per letter instead of a utf8proc_category call.
struct two_byte_classes {
    std::array<char_class, 0x800> of{};
    two_byte_classes() noexcept {
        for (std::int32_t cp = 0; cp < 0x800; ++cp) of[static_cast<std::size_t>(cp)] = classify_slow(cp);
    }
};

// A function-local static: lexicons elsewhere may tokenize during static initialisation.
const two_byte_classes& two_byte_table() noexcept {
    static const two_byte_classes table;
    return table;
}

char_class classify(std::int32_t cp) noexcept {
    if (cp >= 0 && cp < 0x800) return two_byte_table().of[static_cast<std::size_t>(cp)];
    return classify_slow(cp);
}

bool is_word(char_class c) noexcept { return c == char_class::letter || c == char_class::digit; }

// Abbreviations after which "." does not end a sentence (folded).
bool is_abbreviation(std::string_view key) noexcept {
    static constexpr std::string_view list[] = {
        "mr", "mrs", "ms", "dr", "st", "gen", "lt", "col", "sgt", "capt", "maj", "adm", "prof",
        "rep", "sen", "gov", "pres", "jr", "sr", "inc", "ltd", "co", "corp", "vs", "etc",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
        "approx", "dept", "est", "fig", "mt", "ft", "gov't", "ген", "г", "гг", "им", "т", "др",
        "тис", "млн", "млрд", "тыс", "ст"};
    if (key.size() == 1) return true;  // initials and "U.S.", "E.U."
    return std::find(std::begin(list), std::end(list), key) != std::end(list);
}

// Conjunctions that start a new clause (folded).
constexpr std::string_view clause_conjunctions[] = {
    "but", "however", "although", "though", "whereas", "while", "yet", "despite",
    "але", "проте", "однак", "хоча", "утім", "втім", "натомість",
    "но", "однако", "хотя", "зато", "впрочем"};

// (length, first byte) pairs of the list: nearly every word is rejected by one bit test.
struct conjunction_filter {
    std::array<std::uint32_t, 256> lengths{};  // bit n set: some conjunction has n bytes
    constexpr conjunction_filter() {
        for (auto w : clause_conjunctions)
            lengths[static_cast<unsigned char>(w[0])] |= std::uint32_t{1} << w.size();
    }
};
constexpr conjunction_filter conjunctions{};

bool is_clause_conjunction(std::string_view key) noexcept {
    if (key.empty() || key.size() > 31 ||
        (conjunctions.lengths[static_cast<unsigned char>(key[0])] & (std::uint32_t{1} << key.size())) == 0)
        return false;
    return std::find(std::begin(clause_conjunctions), std::end(clause_conjunctions), key) !=
           std::end(clause_conjunctions);
}

bool is_lowercase_letter(std::int32_t cp) noexcept {
    if (cp < 0) return false;
    if (cp < 0x80) return cp >= 'a' && cp <= 'z';
    return utf8proc_category(cp) == UTF8PROC_CATEGORY_LL;
}

}  // namespace

void tokenize(std::string_view text, const fold_options& options, token_list& out) {
    out.clear();
    if (text.size() > std::numeric_limits<std::uint32_t>::max() - 8)
        text = text.substr(0, std::numeric_limits<std::uint32_t>::max() - 8);
    out.tokens.reserve(text.size() / 5 + 1);
    out.keys.reserve(text.size());

    std::uint32_t sentence = 0;
    std::uint32_t clause = 0;
    bool pending_sentence = false;
    bool pending_clause = false;
    std::uint32_t chars = 0;  // code points consumed so far

    std::string raw;  // a word whose apostrophes need normalising
    const char* const p = text.data();
    std::size_t i = 0;
    const std::size_t n = text.size();
    while (i < n) {
        const auto c0 = static_cast<unsigned char>(p[i]);
        decoded d{c0, 1};
        char_class cls;
        if (c0 < 0x80) {
            cls = ascii_table[c0];
            if (cls == char_class::other || cls == char_class::apostrophe) {  // the common case: a space
                ++i;
                ++chars;
                continue;
            }
        } else {
            d = decode(text, i);
            cls = classify(d.cp);
        }
        if (!is_word(cls)) {
            if (cls == char_class::sentence_end) {
                bool ends = true;
                if (d.cp == '.') {
                    // An abbreviation right before, or a lowercase word after, keeps the sentence.
                    if (!out.tokens.empty() && out.tokens.back().end == i &&
                        is_abbreviation(out.key(out.tokens.back())))
                        ends = false;
                    std::size_t j = i + 1;
                    while (j < n && (p[j] == ' ' || p[j] == '\t')) ++j;
                    if (j < n && is_lowercase_letter(decode(text, j).cp)) ends = false;
                }
                if (ends) pending_sentence = true;  // an abbreviation's dot breaks nothing
            } else if (cls == char_class::clause_end) {
                pending_clause = true;
            }
            i += d.size;
            ++chars;
            continue;
        }

        // A word starts at i.
        const std::size_t word_begin = i;
        const std::uint32_t word_chars = chars;
        bool needs_raw = false;  // contains a non-ASCII apostrophe
        bool ascii = true;
        std::size_t last_apostrophe = std::string_view::npos;
        char_class prev = cls;
        while (i < n) {
            const auto c = static_cast<unsigned char>(p[i]);
            if (c < 0x80) {
                cls = ascii_table[c];
                if (is_word(cls)) {
                    prev = cls;
                    ++i;
                    continue;
                }
                d = decoded{c, 1};
            } else {
                d = decode(text, i);
                cls = classify(d.cp);
                if (is_word(cls)) {
                    ascii = false;
                    prev = cls;
                    i += d.size;
                    continue;
                }
            }
            // Joiners need a word character on both sides.
            if (i + d.size < n && (cls == char_class::apostrophe || d.cp == '.' || d.cp == ',')) {
                const decoded next = decode(text, i + d.size);
                const char_class next_cls = classify(next.cp);
                if (cls == char_class::apostrophe && prev == char_class::letter && next_cls == char_class::letter) {
                    if (d.cp != '\'') {
                        needs_raw = true;
                        ascii = false;
                    }
                    last_apostrophe = i;
                    i += d.size;
                    continue;
                }
                if ((d.cp == '.' || d.cp == ',') && prev == char_class::digit && next_cls == char_class::digit) {
                    i += d.size;
                    continue;
                }
            }
            break;
        }
        std::size_t word_end = i;
        std::string_view word = text.substr(word_begin, word_end - word_begin);
        if (ascii) {
            chars += static_cast<std::uint32_t>(word.size());
        } else {
            for (const unsigned char ch : word)
                if ((ch & 0xC0) != 0x80) ++chars;
        }

        if (pending_sentence) {
            if (!out.tokens.empty()) {
                ++sentence;
                ++clause;
            }
        } else if (pending_clause && !out.tokens.empty()) {
            ++clause;
        }
        pending_sentence = pending_clause = false;

        token t;
        t.begin = static_cast<std::uint32_t>(word_begin);
        t.char_offset = word_chars;
        t.key_begin = static_cast<std::uint32_t>(out.keys.size());
        if (needs_raw) {
            raw.clear();
            for (std::size_t k = 0; k < word.size();) {
                const decoded w = decode(word, k);
                if (w.cp == 0x2019 || w.cp == 0x02BC) raw.push_back('\'');
                else raw.append(word.substr(k, w.size));
                k += w.size;
            }
            word = raw;
        }
        if (ascii) {
            const std::size_t at = out.keys.size();
            out.keys.resize(at + word.size());
            char* dst = out.keys.data() + at;
            for (const unsigned char ch : word) *dst++ = static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
        } else {
            fold_append(word, options, out.keys);
        }
        std::size_t key_size = out.keys.size() - t.key_begin;
        // Possessive: "ukraine's" -> "ukraine" (the word's span ends before the apostrophe).
        if (last_apostrophe != std::string_view::npos && key_size > 2 &&
            out.keys.compare(out.keys.size() - 2, 2, "'s") == 0 && word_end - last_apostrophe <= 4 &&
            (p[word_end - 1] == 's' || p[word_end - 1] == 'S')) {
            key_size -= 2;
            out.keys.resize(out.keys.size() - 2);
            word_end = last_apostrophe;
        }
        t.end = static_cast<std::uint32_t>(word_end);
        t.key_size = static_cast<std::uint32_t>(key_size);
        if (!out.tokens.empty() && out.tokens.back().clause == clause && is_clause_conjunction(out.key(t)))
            ++clause;
        t.sentence = sentence;
        t.clause = clause;
        out.tokens.push_back(t);
    }
}

void refold(std::string_view text, const token_list& source, const fold_options& options, token_list& out) {
    out.clear();
    out.tokens = source.tokens;
    out.keys.reserve(source.keys.size());
    std::string raw;
    for (auto& t : out.tokens) {
        const std::string_view old_key = source.key(t);
        t.key_begin = static_cast<std::uint32_t>(out.keys.size());
        const std::string_view word = text.substr(t.begin, t.end - t.begin);
        bool ascii = true;
        for (const unsigned char c : old_key)
            if (c >= 0x80) ascii = false;
        if (ascii) {
            out.keys.append(old_key);
        } else {
            raw.clear();
            for (std::size_t k = 0; k < word.size();) {
                const decoded w = decode(word, k);
                if (w.cp == 0x2019 || w.cp == 0x02BC) raw.push_back('\'');
                else if (w.cp >= 0) raw.append(word.substr(k, w.size));
                k += w.size;
            }
            fold_append(raw, options, out.keys);
        }
        t.key_size = static_cast<std::uint32_t>(out.keys.size() - t.key_begin);
    }
}

token_list tokenize(std::string_view text, const fold_options& options) {
    token_list out;
    tokenize(text, options, out);
    return out;
}

}  // namespace newswatch::text
