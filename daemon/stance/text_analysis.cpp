#include "text_analysis.hpp"

#include <libstemmer.h>
#include <utf8proc.h>

#include <array>
#include <memory>
#include <unordered_map>

#include "lexicons.hpp"

namespace newswatch::stance {

std::uint64_t stem_hash(std::string_view stem) noexcept {
    std::uint64_t h = 1469598103934665603ull;
    for (unsigned char c : stem) {
        h ^= c;
        h *= 1099511628211ull;
    }
    return h;
}

namespace {

struct stemmer_deleter {
    void operator()(sb_stemmer* s) const noexcept { sb_stemmer_delete(s); }
};

// Per-thread Snowball stemmer and a bounded cache of folded word -> stem hash + flags.
struct thread_stemmer {
    std::unique_ptr<sb_stemmer, stemmer_deleter> stemmer{sb_stemmer_new("english", "UTF_8")};
    struct entry {
        std::uint64_t hash;
        std::uint16_t flags;
    };
    std::unordered_map<std::string, entry> cache;

    std::string stem(std::string_view word) {
        if (!stemmer) return std::string(word);
        const sb_symbol* out = sb_stemmer_stem(
            stemmer.get(), reinterpret_cast<const sb_symbol*>(word.data()), static_cast<int>(word.size()));
        if (!out) return std::string(word);
        return std::string(reinterpret_cast<const char*>(out),
                           static_cast<std::size_t>(sb_stemmer_length(stemmer.get())));
    }

    entry lookup(const std::string& word) {
        auto it = cache.find(word);
        if (it != cache.end()) return it->second;
        if (cache.size() > 200000) cache.clear();  // bound memory in a long-running daemon
        std::string s = stem(word);
        entry e{stem_hash(s), lexicon_flags(word, s)};
        cache.emplace(word, e);
        return e;
    }
};

thread_stemmer& local_stemmer() {
    thread_local thread_stemmer s;
    return s;
}

bool is_word_category(utf8proc_category_t c) {
    switch (c) {
        case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
        case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
        case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL:
        case UTF8PROC_CATEGORY_NO:
            return true;
        default:
            return false;
    }
}

void append_utf8(std::string& out, utf8proc_int32_t cp) {
    utf8proc_uint8_t buf[4];
    auto n = utf8proc_encode_char(cp, buf);
    out.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(n));
}

// Sentence boundaries: . ! ? (optionally followed by closing quotes/brackets) then
// whitespace then a non-lower-case start; or any line break.
struct scanner {
    std::string_view text;

    // Decodes the code point at i; returns its length (1 for an invalid byte, cp = -1).
    std::size_t decode(std::size_t i, utf8proc_int32_t& cp) const {
        unsigned char c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            cp = c;
            return 1;
        }
        auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data() + i),
                                  static_cast<utf8proc_ssize_t>(text.size() - i), &cp);
        if (n <= 0) {
            cp = -1;
            return 1;
        }
        return static_cast<std::size_t>(n);
    }
};

bool ends_sentence_at(std::string_view text, std::size_t i) {
    // text[i] is one of . ! ? ; look past closing quotes/brackets, then need whitespace and
    // a next character that is not a lower-case ASCII letter.
    std::size_t j = i + 1;
    while (j < text.size() && (text[j] == '"' || text[j] == '\'' || text[j] == ')' || text[j] == '.'))
        ++j;
    if (j >= text.size()) return true;
    if (text[j] != ' ' && text[j] != '\n' && text[j] != '\t' && text[j] != '\r') {
        // Curly closing quote (U+201D / U+2019) followed by space.
        if (text.compare(j, 3, "\xE2\x80\x9D") == 0 || text.compare(j, 3, "\xE2\x80\x99") == 0) {
            j += 3;
            if (j >= text.size()) return true;
            if (text[j] != ' ' && text[j] != '\n') return false;
        } else {
            return false;
        }
    }
    while (j < text.size() && (text[j] == ' ' || text[j] == '\t')) ++j;
    if (j >= text.size()) return true;
    char next = text[j];
    if (next >= 'a' && next <= 'z') return false;
    // "Mr. Smith", "U.S. officials": a one- or two-letter word before the dot is an
    // abbreviation more often than a sentence end.
    if (text[i] == '.') {
        std::size_t k = i;
        std::size_t letters = 0;
        while (k > 0 && ((text[k - 1] >= 'A' && text[k - 1] <= 'Z') || (text[k - 1] >= 'a' && text[k - 1] <= 'z'))) {
            --k;
            ++letters;
        }
        if (letters > 0 && letters <= 2 && (k == 0 || text[k - 1] == ' ' || text[k - 1] == '.'))
            return false;
    }
    return true;
}

}  // namespace

std::string stem_word(std::string_view folded) { return local_stemmer().stem(folded); }

analysed_text analyse_text(std::string_view text) {
    analysed_text out;
    thread_stemmer& stemmer = local_stemmer();
    scanner sc{text};
    std::string word;
    std::uint32_t word_begin = 0;
    bool word_capital = false;
    std::uint32_t sentence = 0;
    std::uint32_t sentence_begin = 0;
    bool sentence_has_tokens = false;
    out.tokens.reserve(text.size() / 5);

    auto flush_word = [&](std::uint32_t end) {
        if (word.empty()) return;
        // "didn't" -> "did" + a negation token; other apostrophes are dropped.
        bool negated = false;
        std::size_t apos = word.find('\'');
        if (apos != std::string::npos) {
            std::string tail = word.substr(apos + 1);
            std::string head = word.substr(0, apos);
            if (tail == "t" && !head.empty() && head.back() == 'n') {
                negated = true;
                head.pop_back();
                if (head == "ca") head = "can";
                if (head == "wo") head = "will";
                word = head;
            } else if (tail == "s" || tail == "d" || tail == "ll" || tail == "re" || tail == "ve" || tail == "m") {
                word = head;
            } else {
                word = head + tail;
            }
        }
        if (!word.empty()) {
            auto e = stemmer.lookup(word);
            token t{e.hash, word_begin, end, sentence, e.flags};
            if (word_capital) t.flags |= flag_capital;
            out.tokens.push_back(t);
            sentence_has_tokens = true;
        }
        if (negated) {
            auto e = stemmer.lookup("not");
            out.tokens.push_back(token{e.hash, word_begin, end, sentence, e.flags});
            sentence_has_tokens = true;
        }
        word.clear();
    };
    auto end_sentence = [&](std::uint32_t at) {
        if (!sentence_has_tokens) {
            sentence_begin = at;
            return;
        }
        std::uint32_t first = out.sentences.empty() ? 0 : out.sentences.back().last_token;
        out.sentences.push_back(sentence_span{first, static_cast<std::uint32_t>(out.tokens.size()),
                                              sentence_begin, at});
        ++sentence;
        sentence_begin = at;
        sentence_has_tokens = false;
    };

    std::size_t i = 0;
    while (i < text.size()) {
        utf8proc_int32_t cp;
        std::size_t len = sc.decode(i, cp);
        auto pos = static_cast<std::uint32_t>(i);
        bool in_word = false;
        if (cp >= 0 && cp < 0x80) {
            char c = static_cast<char>(cp);
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                if (word.empty()) { word_begin = pos; word_capital = false; }
                word.push_back(c);
                in_word = true;
            } else if (c >= 'A' && c <= 'Z') {
                if (word.empty()) { word_begin = pos; word_capital = true; }
                word.push_back(static_cast<char>(c - 'A' + 'a'));
                in_word = true;
            } else if (c == '\'' && !word.empty() && i + 1 < text.size() &&
                       ((text[i + 1] >= 'a' && text[i + 1] <= 'z') || (text[i + 1] >= 'A' && text[i + 1] <= 'Z'))) {
                word.push_back('\'');
                in_word = true;
            }
        } else if (cp == 0x2019 && !word.empty() && i + len < text.size() &&
                   ((text[i + len] >= 'a' && text[i + len] <= 'z') || (text[i + len] >= 'A' && text[i + len] <= 'Z'))) {
            word.push_back('\'');  // curly apostrophe inside a word
            in_word = true;
        } else if (cp > 0 && is_word_category(utf8proc_category(cp))) {
            if (word.empty()) {
                word_begin = pos;
                word_capital = utf8proc_category(cp) == UTF8PROC_CATEGORY_LU;
            }
            utf8proc_int32_t buf[8];
            int boundclass = UTF8PROC_BOUNDCLASS_START;
            auto n = utf8proc_decompose_char(
                cp, buf, 8,
                static_cast<utf8proc_option_t>(UTF8PROC_CASEFOLD | UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK | UTF8PROC_COMPAT),
                &boundclass);
            for (utf8proc_ssize_t k = 0; k > -1 && k < n && k < 8; ++k) append_utf8(word, buf[k]);
            in_word = true;
        }
        if (!in_word) {
            flush_word(pos);
            if (cp == '?') ++out.question_marks;
            if (cp == '"' || cp == 0x201C || cp == 0x201D) ++out.quote_marks;
            if (cp == '\n') {
                end_sentence(pos);
            } else if ((cp == '.' || cp == '!' || cp == '?') && ends_sentence_at(text, i)) {
                end_sentence(pos + 1);
            }
        }
        i += len;
    }
    flush_word(static_cast<std::uint32_t>(text.size()));
    end_sentence(static_cast<std::uint32_t>(text.size()));
    return out;
}

std::string first_sentences(std::string_view text, std::size_t n) {
    analysed_text a = analyse_text(text);
    if (n == 0) return {};
    if (a.sentences.size() <= n) return std::string(text);
    std::uint32_t end = a.sentences[n - 1].end;
    std::uint32_t begin = a.sentences.front().begin;
    return std::string(text.substr(begin, end - begin));
}

}  // namespace newswatch::stance
