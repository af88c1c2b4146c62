#include "newswatch/stance/csv_reader.hpp"

#include "newswatch/core/errc.hpp"

namespace newswatch::stance {

namespace {

core::error csv_error(std::size_t line, const std::string& what) {
    return core::error{core::errc::parse_error, "CSV line " + std::to_string(line) + ": " + what};
}

bool blank(const csv_row& row) { return row.size() == 1 && row[0].empty(); }

}  // namespace

core::result<csv_table> parse_csv(std::string_view text) {
    if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    csv_table table;
    bool have_header = false;
    csv_row row;
    std::string field;
    std::size_t line = 1;
    std::size_t row_line = 1;
    bool row_quoted = false;  // a quoted field makes a record non-blank even if empty
    std::size_t i = 0;
    const std::size_t n = text.size();

    auto finish_row = [&] {
        row.push_back(std::move(field));
        field.clear();
        if (!(blank(row) && !row_quoted)) {
            if (!have_header) {
                table.header = std::move(row);
                have_header = true;
            } else {
                table.rows.push_back(std::move(row));
                table.row_lines.push_back(row_line);
            }
        }
        row = csv_row{};
        row_quoted = false;
    };

    while (i < n) {
        char c = text[i];
        if (field.empty() && c == '"') {
            // A quoted field: runs to the closing quote; "" is one quote.
            row_quoted = true;
            std::size_t start_line = line;
            ++i;
            bool closed = false;
            while (i < n) {
                char q = text[i];
                if (q == '"') {
                    if (i + 1 < n && text[i + 1] == '"') {
                        field.push_back('"');
                        i += 2;
                        continue;
                    }
                    closed = true;
                    ++i;
                    break;
                }
                if (q == '\n') ++line;
                field.push_back(q);
                ++i;
            }
            if (!closed)
                return csv_error(start_line, "quoted field is never closed");
            // After the closing quote: a separator, a line end or the end of input.
            if (i < n && text[i] != ',' && text[i] != '\n' &&
                !(text[i] == '\r' && (i + 1 >= n || text[i + 1] == '\n')))
                return csv_error(line, "unexpected text after a closing quote");
            // Mark the field as consumed even when it is empty: keep it from being
            // re-entered as a quoted field.
            if (i < n && text[i] == ',') {
                row.push_back(std::move(field));
                field.clear();
                ++i;
            }
            continue;
        }
        if (c == ',') {
            row.push_back(std::move(field));
            field.clear();
            ++i;
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < n && text[i + 1] == '\n') ++i;
            ++i;
            finish_row();
            ++line;
            row_line = line;
        } else {
            field.push_back(c);
            ++i;
        }
    }
    if (!field.empty() || !row.empty() || row_quoted) finish_row();
    return table;
}

std::string csv_escape(std::string_view field) {
    // A leading UTF-8 BOM is quoted too: a reader would drop it at the start of a document.
    if (field.find_first_of(",\"\r\n") == std::string_view::npos && field.substr(0, 3) != "\xEF\xBB\xBF")
        return std::string(field);
    std::string out;
    out.reserve(field.size() + 2);
    out.push_back('"');
    for (char c : field) {
        if (c == '"') out.push_back('"');
        out.push_back(c);
    }
    out.push_back('"');
    return out;
}

std::string csv_format_row(const std::vector<std::string_view>& fields) {
    // A record of one empty field would be a blank line, which readers skip: quote it.
    if (fields.size() == 1 && fields[0].empty()) return "\"\"\n";
    std::string out;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i) out.push_back(',');
        out += csv_escape(fields[i]);
    }
    out.push_back('\n');
    return out;
}

}  // namespace newswatch::stance
