// libFuzzer target for the stance module's RFC 4180 CSV reader and the FNC-1 loader.
// Properties: never crashes; whatever parses re-formats and re-parses to the same records.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "newswatch/stance/csv_reader.hpp"
#include "newswatch/stance/fnc_data.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto table = newswatch::stance::parse_csv(text);
    if (table.ok()) {
        std::string again;
        auto add = [&](const newswatch::stance::csv_row& row) {
            std::vector<std::string_view> fields(row.begin(), row.end());
            again += newswatch::stance::csv_format_row(fields);
        };
        if (!table->header.empty()) add(table->header);
        for (const auto& row : table->rows) add(row);
        auto reparsed = newswatch::stance::parse_csv(again);
        if (!reparsed.ok() || reparsed->rows != table->rows ||
            (!table->header.empty() && reparsed->header != table->header))
            std::abort();
    }
    // The same bytes as a pairs file against a fixed bodies file.
    (void)newswatch::stance::parse_fnc("Body ID,articleBody\n1,\"a body\"\n", text);
    return 0;
}
