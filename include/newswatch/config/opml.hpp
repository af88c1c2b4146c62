#pragma once
// OPML 1.0/2.0 subscription lists <-> feeds. A pure parser (bytes in, values out; no I/O,
// no logging) like the feed parser, fuzzed by tests/fuzz/opml.
//
// Reading: every <outline> with an xmlUrl is a feed, at any depth. The texts of the
// folder outlines around it and its `category` attribute (comma-separated, each a
// "/a/b" path) become its tags. A URL seen before is reported, not read twice.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "newswatch/core/result.hpp"

namespace newswatch::config {

struct opml_feed {
    std::string url;
    std::optional<std::string> title;
    std::vector<std::string> tags;
    std::optional<std::string> html_url;  // the site (htmlUrl)
    int line = 0;                         // where it is in the document (1-based)
};

// Something read but not taken: a duplicate URL, an outline whose xmlUrl is not http(s).
struct opml_notice {
    int line = 0;
    std::string message;
};

struct opml_document {
    std::optional<std::string> title;  // <head><title>
    std::vector<opml_feed> feeds;      // in document order
    std::vector<opml_notice> notices;
};

// An error (not XML, not OPML) carries the line in its message.
core::result<opml_document> parse_opml(std::string_view bytes);

// An OPML 2.0 document: feeds grouped in one folder outline per first tag (in order of
// first appearance), the other tags as `category` paths, so parse_opml reads the same
// tags back.
std::string write_opml(const std::vector<opml_feed>& feeds, std::string_view title);

// The feeds as TOML [[feed]] tables (url, title, tags), ready for a config file.
std::string feed_tables_toml(const std::vector<opml_feed>& feeds);

}  // namespace newswatch::config
