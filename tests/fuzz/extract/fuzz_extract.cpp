// libFuzzer target: extract_article must never crash, hang or trip a sanitizer on any bytes,
// with or without a content_selector and an HTTP charset; its text is always valid UTF-8.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "newswatch/extract/article_extractor.hpp"
#include "newswatch/text/html_text.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace newswatch;
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    static constexpr std::string_view content_types[] = {
        "", "text/html; charset=iso-8859-1", "text/html; charset=utf-8", "text/html; charset=windows-1251"};
    static const auto selector =
        extract::css_selector::parse("article p, .content, #main[role=main]").value();
    extract::extract_options options;
    options.base_url = "https://example.org/news/1";
    if (!bytes.empty()) {
        const auto first = static_cast<unsigned char>(bytes[0]);
        options.content_type = content_types[first % 4];
        if (first & 0x10) options.content_selector = &selector;
    }
    const extract::article a = extract::extract_article(bytes, options);
    if (!text::is_valid_utf8(a.text)) __builtin_trap();
    if (a.title && !text::is_valid_utf8(*a.title)) __builtin_trap();
    if (a.byline && !text::is_valid_utf8(*a.byline)) __builtin_trap();
    // The selector parser on the same bytes.
    (void)extract::css_selector::parse(bytes.substr(0, 256));
    return 0;
}
