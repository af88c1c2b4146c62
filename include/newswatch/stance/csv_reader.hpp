#pragma once
// RFC 4180 CSV: quoted fields with embedded commas, doubled quotes and line breaks.
// Pure functions over bytes; never throws on input, errors are values with a line number.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "newswatch/core/result.hpp"

namespace newswatch::stance {

using csv_row = std::vector<std::string>;

struct csv_table {
    csv_row header;             // the first record
    std::vector<csv_row> rows;  // every later record, in input order
    std::vector<std::size_t> row_lines;  // 1-based line where each row starts (for errors)
};

// Parses a whole document. Accepts LF or CRLF line ends, a UTF-8 BOM, and a missing final
// line break; blank lines are skipped. Lenient where FNC-1 files need it (a quote inside
// an unquoted field is kept as a character). Errors (an unterminated quoted field, text
// after a closing quote) name the line.
core::result<csv_table> parse_csv(std::string_view text);

// One field quoted only when it must be (comma, quote, CR or LF inside), per RFC 4180.
std::string csv_escape(std::string_view field);

// A record from fields, joined with commas and terminated by "\n".
std::string csv_format_row(const std::vector<std::string_view>& fields);

}  // namespace newswatch::stance
