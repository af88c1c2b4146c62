#pragma once
// bytes (+ HTTP Content-Type) -> feed + items. A pure function: no I/O, no logging.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "newswatch/core/item.hpp"

namespace newswatch::parser {

enum class feed_format { unknown, rss20, rss10, rss09x, atom10, atom03, jsonfeed };

// "rss20", "rss10", "rss09x", "atom10", "atom03", "jsonfeed" ("unknown" for unknown).
std::string_view to_string(feed_format format) noexcept;

enum class parse_status {
    ok,          // parsed; `warnings` may still say what was recovered
    not_a_feed,  // the bytes are no feed format we know (or are empty)
    failed,      // a feed, but nothing could be read from it
};

struct parse_result {
    parse_status status = parse_status::failed;
    std::string error;          // why, when status != ok
    std::size_t error_offset = 0;  // byte offset of the problem, when known
    feed_format format = feed_format::unknown;
    std::string encoding;       // lowercase IANA name of the source encoding, e.g. "utf-8"
    std::vector<std::string> warnings;  // recoveries and fallbacks; empty for a well-formed feed
    core::feed_meta feed;
    std::vector<core::item> items;  // in document order

    bool ok() const noexcept { return status == parse_status::ok; }
};

inline constexpr std::size_t default_max_items = 10'000;

struct parse_options {
    std::string_view content_type;  // HTTP Content-Type header value, may be empty
    std::string_view base_url;      // the URL the bytes came from, to resolve relative links
    // Items read at most, in document order; the rest are dropped with a warning. Real feeds
    // carry tens to a few thousand; this bounds the time and memory of a hostile one.
    std::size_t max_items = default_max_items;
};

// Never throws for bad input; never crashes on any byte sequence (fuzzed).
parse_result parse_feed(std::string_view bytes, const parse_options& options = {});

}  // namespace newswatch::parser
