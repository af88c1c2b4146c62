// libFuzzer target: find_feed_links (newswatch discover) must never crash, hang or trip a
// sanitizer on any page, and keeps its promises: at most max_links, no duplicate URL,
// no empty URL.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string_view>

#include "newswatch/parser/feed_links.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view html(reinterpret_cast<const char*>(data), size);
    const auto links = newswatch::parser::find_feed_links(html, "https://example.org/blog/post?id=1", 20);
    if (links.size() > 20) __builtin_trap();
    std::set<std::string> urls;
    for (const auto& link : links)
        if (link.url.empty() || !urls.insert(link.url).second) __builtin_trap();
    return 0;
}
