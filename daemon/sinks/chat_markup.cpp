#include "newswatch/sinks/chat_markup.hpp"

#include <boost/url/parse.hpp>

#include "newswatch/sinks/alert_text.hpp"
#include "newswatch/text/word_cut.hpp"

namespace newswatch::sinks {

namespace {

constexpr std::string_view zero_width_space = "\u200B";
constexpr std::size_t max_link_length = 2000;

bool is_blank(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// The markdown characters of CommonMark, Discord and Mattermost that can start or end
// formatting, a link or image (with [ and ] escaped, "(" and "!" start nothing), a list, a
// heading, a quote, a table, a spoiler or (Mattermost) LaTeX.
bool is_markdown_character(char c) noexcept {
    static constexpr std::string_view specials = "\\`*_{}[]#+-|~<>$";
    return specials.find(c) != std::string_view::npos;
}

// Mentions made inert; &, <, > as entities; with `markdown`, a backslash before the other
// markdown characters.
std::string entities_escaped(std::string_view text, bool markdown) {
    std::string out;
    for (const char c : without_mentions(text)) {
        if (c == '&')
            out += "&amp;";
        else if (c == '<')
            out += "&lt;";
        else if (c == '>')
            out += "&gt;";
        else if (markdown && is_markdown_character(c))
            out += std::string("\\") + c;
        else
            out += c;
    }
    return out;
}

}  // namespace

std::size_t utf16_length(std::string_view text) noexcept {
    std::size_t n = 0;
    for (const char c : text) {
        const auto b = static_cast<unsigned char>(c);
        if ((b & 0xC0) == 0x80) continue;  // a continuation byte
        n += b >= 0xF0 ? 2 : 1;            // four-byte sequences are surrogate pairs
    }
    return n;
}

std::string cut_to_fit(std::string_view text, std::size_t max_units, text_escaper escape) {
    auto render = [&](std::size_t chars) {
        std::string cut = text::cut_at_word(text, chars);
        return escape != nullptr ? escape(cut) : cut;
    };
    std::size_t chars = max_units;
    std::string out = render(chars);
    // Escaping and surrogate pairs only add units, so each round removes at least the
    // excess; a handful of rounds at most.
    while (utf16_length(out) > max_units && chars > 1) {
        const std::size_t excess = utf16_length(out) - max_units;
        chars = excess < chars ? chars - excess : 1;
        out = render(chars);
    }
    return out;
}

std::string without_mentions(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 8);
    for (std::size_t i = 0; i < text.size(); ++i) {
        out += text[i];
        if (text[i] == '@' && i + 1 < text.size() && !is_blank(text[i + 1])) out += zero_width_space;
    }
    return out;
}

std::string slack_escaped(std::string_view text) {
    return entities_escaped(text, false);
}

std::string markdown_escaped(std::string_view text) {
    std::string out;
    for (const char c : without_mentions(text)) {
        if (is_markdown_character(c)) out += '\\';
        out += c;
    }
    return out;
}

std::string mattermost_escaped(std::string_view text) {
    return entities_escaped(text, true);
}

std::string telegram_escaped(std::string_view text) {
    return html_escaped(without_mentions(text));
}

std::string link_target(std::string_view url) {
    if (url.empty() || url.size() > max_link_length) return {};
    auto parsed = boost::urls::parse_uri(url);
    if (!parsed || parsed->host().empty()) return {};
    const auto scheme = parsed->scheme();
    if (scheme != "http" && scheme != "https") return {};
    static constexpr std::string_view unsafe = " \"'<>()[]|\\`{}^";
    std::string out;
    for (const char c : url) {
        if (unsafe.find(c) != std::string_view::npos) {
            static constexpr char digits[] = "0123456789ABCDEF";
            out += '%';
            out += digits[static_cast<unsigned char>(c) >> 4];
            out += digits[static_cast<unsigned char>(c) & 15];
        } else {
            out += c;
        }
    }
    return out;
}

std::vector<std::pair<std::string, std::string>> chat_facts(const alert_view& v) {
    std::vector<std::pair<std::string, std::string>> facts;
    auto add = [&](const char* label, std::string value) {
        if (!value.empty()) facts.emplace_back(label, std::move(value));
    };
    add(v.watches.size() > 1 ? "Watches" : "Watch", v.watch_names());
    add("Stance", v.stance_text());
    add("Reason", v.reason);
    add("Feed", v.feed_name());
    return facts;
}

std::size_t entries_not_shown(const alert_view& v, std::size_t shown) {
    std::size_t left = v.entries.size() > shown ? v.entries.size() - shown : 0;
    if (v.event == "storm" && v.folded > v.entries.size()) left += v.folded - v.entries.size();
    return left;
}

std::string more_line(std::size_t more) {
    return "\u2026and " + std::to_string(more) + " more";
}

std::string list_within(const std::vector<std::string>& items, std::size_t extra, std::size_t budget,
                        std::string_view separator, const std::function<std::string(std::size_t)>& more) {
    const std::size_t separator_units = utf16_length(separator);
    std::string out;
    std::size_t used = 0, shown = 0;
    for (const auto& item : items) {
        const std::size_t left_after = items.size() - shown - 1 + extra;
        const std::size_t cost = (shown > 0 ? separator_units : 0) + utf16_length(item);
        const std::size_t reserve = left_after > 0 ? separator_units + utf16_length(more(left_after)) : 0;
        if (used + cost + reserve > budget) break;
        if (shown > 0) out += separator;
        out += item;
        used += cost;
        ++shown;
    }
    const std::size_t left = items.size() - shown + extra;
    if (left > 0) {
        if (shown > 0) out += separator;
        out += more(left);
    }
    return out;
}

}  // namespace newswatch::sinks
