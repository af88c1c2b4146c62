#pragma once
// JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1) -> the core model.
#include <string_view>

#include "newswatch/parser/feed_parser.hpp"

namespace newswatch::parser {

class json_feed_reader {
public:
    explicit json_feed_reader(const parse_options& options) : options_(options) {}

    // `utf8` is the whole document. Sets status/format/items/feed in `out`.
    void read(std::string_view utf8, parse_result& out);

private:
    const parse_options& options_;
};

}  // namespace newswatch::parser
