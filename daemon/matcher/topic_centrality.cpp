#include "topic_centrality.hpp"

namespace newswatch::matcher {

namespace {

bool space(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// "a.m. in", "U.S. officials": a lower-case word after the dot continues the sentence.
bool lower_case_follows(std::string_view text, std::size_t i) noexcept {
    while (i < text.size() && space(text[i])) ++i;
    return i < text.size() && text[i] >= 'a' && text[i] <= 'z';
}

}  // namespace

std::string_view first_sentences(std::string_view text, std::size_t n) noexcept {
    if (n == 0) return {};
    std::size_t found = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        std::size_t end = std::string_view::npos;
        const char c = text[i];
        if (c == '\n')
            end = i;
        else if ((c == '.' || c == '!' || c == '?') && (i + 1 == text.size() || space(text[i + 1])) &&
                 !lower_case_follows(text, i + 1))
            end = i + 1;
        else if (text.compare(i, 3, "\xE2\x80\xA6") == 0 && (i + 3 == text.size() || space(text[i + 3])))
            end = i + 3;
        if (end == std::string_view::npos) continue;
        // A line break right after the punctuation ends the same sentence, not another one.
        if (c == '\n' &&
            (i == 0 || text[i - 1] == '\n' || text[i - 1] == '.' || text[i - 1] == '!' || text[i - 1] == '?'))
            continue;
        if (++found == n) return text.substr(0, end);
    }
    return text;
}

document lede_document(const document& doc) noexcept {
    document lede = doc;
    if (!doc.summary.empty()) {
        lede.summary = first_sentences(doc.summary, lede_sentences);
        lede.content = {};
    } else {
        lede.content = first_sentences(doc.content, lede_sentences);
    }
    return lede;
}

std::size_t word_count(const document& doc) noexcept {
    std::size_t words = 0;
    for (std::string_view field : {doc.title, doc.summary, doc.content}) {
        bool in_word = false, has_alnum = false;
        for (char c : field) {
            if (space(c)) {
                if (in_word && has_alnum) ++words;
                in_word = has_alnum = false;
                continue;
            }
            in_word = true;
            const auto u = static_cast<unsigned char>(c);
            if (u >= 0x80 || (u >= '0' && u <= '9') || ((u | 0x20) >= 'a' && (u | 0x20) <= 'z'))
                has_alnum = true;
        }
        if (in_word && has_alnum) ++words;
    }
    return words;
}

double hit_density(std::size_t hits, std::size_t words) noexcept {
    return words == 0 ? 0.0 : 100.0 * static_cast<double>(hits) / static_cast<double>(words);
}

}  // namespace newswatch::matcher
