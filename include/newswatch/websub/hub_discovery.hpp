#pragma once
// WebSub discovery (W3C WebSub §4): the hubs a feed names and the topic URL to subscribe
// to, from the HTTP Link headers of its response and the links in the document. Pure
// functions, no I/O; never throw for bad input.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "newswatch/core/item.hpp"

namespace newswatch::websub {

struct hub_links {
    std::vector<std::string> hubs;    // absolute http(s) URLs, in the order given
    std::optional<std::string> self;  // rel="self": the topic URL
};

// The rel="hub" and rel="self" targets of Link header values (RFC 8288:
// `<https://hub.example/>; rel="hub", <https://a.example/feed>; rel=self`). Only absolute
// http and https targets count.
hub_links parse_link_headers(const std::vector<std::string>& values);

// §4: Link headers first; the document's links when the headers name no hub. The topic is
// the self link that goes with the hubs found, else `fetched_url`.
struct discovery {
    std::vector<std::string> hubs;
    std::string topic;
};
discovery discover(const std::vector<std::string>& link_headers, const core::feed_meta& document,
                   std::string_view fetched_url);

}  // namespace newswatch::websub
