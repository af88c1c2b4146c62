#pragma once
// The JSON shape `newswatch parse --json` prints for one input (issue #4, item 7):
// {"file", "format", "encoding", "warnings", "feed": {...}, "items": [...]} or
// {"file", "error"}. Absent scalars are null, absent lists [], present-but-empty "".
#include <boost/json/object.hpp>

#include <string>
#include <string_view>

#include "newswatch/parser/feed_parser.hpp"

namespace newswatch::parser {

boost::json::object to_json(const parse_result& result, std::string_view file);

// The same JSON text as boost::json::serialize(to_json(...)), appended to `out` without
// building a value first: `newswatch parse --json` spent more time building and
// serialising the value tree than parsing the feed (issue 16).
void append_json(std::string& out, const parse_result& result, std::string_view file);
void append_error_json(std::string& out, std::string_view file, std::string_view why);

// `s` as a JSON string literal, escaped as Boost.JSON escapes it.
void append_json_string(std::string& out, std::string_view s);

// {"file": file, "error": why}
boost::json::object error_json(std::string_view file, std::string_view why);

}  // namespace newswatch::parser
