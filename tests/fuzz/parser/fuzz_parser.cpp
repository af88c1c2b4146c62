// libFuzzer target: parse_feed must never crash, hang or trip a sanitizer on any bytes,
// with or without an HTTP charset, and every result must be self-consistent.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "newswatch/parser/feed_parser.hpp"
#include "newswatch/text/html_text.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    using namespace newswatch;
    // The first byte picks an HTTP Content-Type, so charset fallbacks are explored too.
    static constexpr std::string_view content_types[] = {
        "", "text/xml; charset=iso-8859-1", "application/rss+xml; charset=utf-8",
        "text/xml; charset=windows-1251", "text/xml; charset=koi8-r", "application/json"};
    parser::parse_options options;
    if (!bytes.empty()) options.content_type = content_types[static_cast<unsigned char>(bytes[0]) % 6];
    options.base_url = "https://example.org/feed/";
    const parser::parse_result r = parser::parse_feed(bytes, options);
    if (r.ok()) {
        for (const auto& item : r.items) {
            if (item.id.empty()) __builtin_trap();  // every item has an identity
            if (item.summary && !text::is_valid_utf8(*item.summary)) __builtin_trap();
            if (item.title && !text::is_valid_utf8(*item.title)) __builtin_trap();
        }
    } else if (r.error.empty()) {
        __builtin_trap();
    }
    // The text functions on raw bytes as well.
    (void)text::html_to_text(bytes);
    (void)text::clean_text(bytes);
    return 0;
}
