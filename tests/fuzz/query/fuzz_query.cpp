// libFuzzer target for the query language: parse, compile and run a query over a text.
// Input: "<query>\n<item text>" (no newline: the whole input is the query and also the
// text). Must never crash, hang or leak for any bytes; errors must carry a position inside
// the query.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "newswatch/matcher/query.hpp"
#include "newswatch/matcher/watch_set.hpp"

namespace {

std::size_t code_points(std::string_view s) {
    std::size_t n = 0;
    for (unsigned char c : s)
        if ((c & 0xC0) != 0x80) ++n;
    return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > 4096) return 0;  // long inputs only repeat what short ones find, slower
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const auto newline = input.find('\n');
    const std::string_view query = newline == std::string_view::npos ? input : input.substr(0, newline);
    const std::string_view text = newline == std::string_view::npos ? input : input.substr(newline + 1);

    newswatch::matcher::query_syntax_error syntax;
    const auto tree = newswatch::matcher::parse_query(query, syntax);
    if (!tree && syntax.position > code_points(query)) std::abort();

    newswatch::matcher::watch_spec plain;
    plain.name = "plain";
    plain.query = std::string(query);
    newswatch::matcher::watch_spec options = plain;
    options.name = "options";
    options.accent_insensitive = true;
    options.language = "english";
    options.stemming = true;
    options.negated = newswatch::matcher::negated_policy::ignore;
    options.min_hits = 2;
    newswatch::matcher::query_error error;
    auto set = newswatch::matcher::watch_set::compile({plain, options}, &error);
    if (!set) {
        if (error.position > code_points(query)) std::abort();
        return 0;
    }
    if (!tree) std::abort();  // compile accepted what the parser rejected

    newswatch::matcher::document doc;
    doc.title = text.substr(0, text.size() / 3);
    doc.summary = text;
    doc.content = text.substr(text.size() / 2);
    doc.link = text;
    doc.authors = {text};
    doc.categories = {text, doc.title};
    doc.feed = doc.content;
    for (const bool explain : {false, true}) {
        for (const auto& r : set->match(doc, explain)) {
            for (const auto& h : r.hits) {
                // Offsets count code points; invalid UTF-8 bytes (which the parser never hands
                // over) count one each, so bytes bound them.
                if (h.field == "title" && h.offset >= doc.title.size()) std::abort();
                if (h.text.empty()) std::abort();
            }
            if (r.matched && r.hits.empty() && set->specs()[r.watch_index].min_hits > 0) std::abort();
        }
    }
    return 0;
}
