#include "newswatch/text/word_cut.hpp"

namespace newswatch::text {
namespace {

bool is_continuation(char c) noexcept {
    return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

bool is_blank(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string collapse_blanks(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    bool pending_space = false;
    for (const char c : text) {
        if (is_blank(c)) {
            pending_space = !out.empty();
            continue;
        }
        if (pending_space) out += ' ';
        pending_space = false;
        out += c;
    }
    return out;
}

}  // namespace

std::size_t count_code_points(std::string_view text) noexcept {
    std::size_t n = 0;
    for (const char c : text) n += is_continuation(c) ? 0 : 1;
    return n;
}

std::string cut_at_word(std::string_view text, std::size_t max_chars, std::string_view ellipsis) {
    std::string flat = collapse_blanks(text);
    if (count_code_points(flat) <= max_chars) return flat;
    const std::size_t room =
        max_chars > count_code_points(ellipsis) ? max_chars - count_code_points(ellipsis) : 0;
    // The byte offset just after `room` code points.
    std::size_t end = 0, seen = 0;
    while (end < flat.size()) {
        if (!is_continuation(flat[end])) {
            if (seen == room) break;
            ++seen;
        }
        ++end;
    }
    // Back to the last space within the budget; a single long word is cut where it is.
    std::size_t cut = end;
    if (end < flat.size() && flat[end] != ' ') {
        const auto space = flat.rfind(' ', end);
        if (space != std::string::npos && space > 0) cut = space;
    }
    while (cut > 0 && flat[cut - 1] == ' ') --cut;
    flat.resize(cut);
    flat += ellipsis;
    return flat;
}

}  // namespace newswatch::text
