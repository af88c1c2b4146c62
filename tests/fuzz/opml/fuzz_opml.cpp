// libFuzzer target: parse_opml must never crash, hang or trip a sanitizer on any bytes, and
// what it reads must survive write_opml -> parse_opml unchanged (URLs, titles, tags).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "newswatch/config/opml.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace newswatch::config;
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    const auto doc = parse_opml(bytes);
    if (!doc) {
        if (doc.err().message.empty()) __builtin_trap();
        return 0;
    }
    for (const auto& feed : doc->feeds)
        if (feed.url.rfind("http", 0) != 0 || feed.line < 1) __builtin_trap();
    (void)feed_tables_toml(doc->feeds);
    const auto again = parse_opml(write_opml(doc->feeds, doc->title.value_or("")));
    if (!again || again->feeds.size() != doc->feeds.size()) __builtin_trap();
    return 0;
}
