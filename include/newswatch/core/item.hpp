#pragma once
// The core item model every module shares: what a feed says about itself and its items.
// Plain value types; text fields are UTF-8 plain text (HTML stripped, entities decoded,
// NFC) except the *_html fields, which keep the original markup.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "newswatch/core/time.hpp"

namespace newswatch::core {

struct person {
    std::optional<std::string> name;
    std::optional<std::string> email;
    std::optional<std::string> uri;
};

struct enclosure {
    std::string url;
    std::optional<std::string> type;
    std::optional<std::int64_t> length;
};

struct item {
    // Stable identity: guid/id, else link, else a hash of title + date (parser's job).
    std::string id;
    std::optional<std::string> title;
    std::optional<std::string> link;
    std::optional<timestamp> published;
    std::optional<timestamp> updated;
    std::vector<person> authors;
    std::vector<std::string> categories;
    std::optional<std::string> summary;       // plain text
    std::optional<std::string> summary_html;  // as served
    std::optional<std::string> content;       // plain text
    std::optional<std::string> content_html;  // as served
    std::vector<enclosure> enclosures;
};

struct feed_meta {
    std::optional<std::string> title;
    std::optional<std::string> link;
    std::optional<std::string> subtitle;
    std::optional<std::string> language;
    std::optional<timestamp> updated;
    // Publisher hints for scheduling (RSS <ttl>, <skipHours>, <skipDays>).
    std::optional<int> ttl_minutes;
    std::vector<int> skip_hours;  // 0..23, UTC
    std::vector<int> skip_days;   // 0 = Sunday .. 6 = Saturday
    // WebSub discovery (W3C WebSub §4): the hubs the document names (<link rel="hub">,
    // atom:link in RSS, JSON Feed "hubs") and its rel="self" URL, the topic to subscribe to.
    std::vector<std::string> hubs;
    std::optional<std::string> self_url;
};

}  // namespace newswatch::core
