#pragma once
// The feeds a web page announces: <link rel="alternate" type="application/rss+xml" ...>
// (also Atom, RDF and JSON Feed types), hrefs resolved against the page URL or its
// <base href>. A pure function over bytes like the feed parser: no I/O, never throws
// for bad input; tolerant of HTML as found (unquoted attributes, any case, no </head>).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace newswatch::parser {

struct feed_link {
    std::string url;  // absolute when the page URL allowed resolving it
    std::optional<std::string> title;
    std::string type;  // the declared media type, lowercase
};

// At most `max_links` links, duplicates (same URL) dropped, in document order.
std::vector<feed_link> find_feed_links(std::string_view html, std::string_view page_url,
                                       std::size_t max_links = 100);

// The paths tried when a page announces no feed: /feed, /rss.xml, /atom.xml, ...
const std::vector<std::string_view>& common_feed_paths();

}  // namespace newswatch::parser
