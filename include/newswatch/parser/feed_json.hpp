#pragma once
// The JSON shape `newswatch parse --json` prints for one input (issue #4, item 7):
// {"file", "format", "encoding", "warnings", "feed": {...}, "items": [...]} or
// {"file", "error"}. Absent scalars are null, absent lists [], present-but-empty "".
#include <boost/json/object.hpp>

#include <string_view>

#include "newswatch/parser/feed_parser.hpp"

namespace newswatch::parser {

boost::json::object to_json(const parse_result& result, std::string_view file);

// {"file": file, "error": why}
boost::json::object error_json(std::string_view file, std::string_view why);

}  // namespace newswatch::parser
