#include "newswatch/stance/claim_set.hpp"

#include <fstream>

#include "newswatch/core/errc.hpp"
#include "newswatch/stance/fnc_data.hpp"

namespace newswatch::stance {

core::result<std::vector<claim_pair>> load_claim_set(const std::filesystem::path& path) {
    std::ifstream in(path);
    if (!in) return core::error{core::errc::io_error, "cannot open claim set " + path.string()};
    std::vector<claim_pair> out;
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
        ++number;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || line[0] == '#') continue;
        std::vector<std::string> cols;
        std::size_t start = 0;
        for (std::size_t tab; (tab = line.find('\t', start)) != std::string::npos; start = tab + 1)
            cols.push_back(line.substr(start, tab - start));
        cols.push_back(line.substr(start));
        const std::string where = path.string() + ":" + std::to_string(number) + ": ";
        if (cols.size() != 4)
            return core::error{core::errc::parse_error, where + "expected 4 tab-separated columns, found " +
                                                            std::to_string(cols.size())};
        const auto label = parse_stance_label(cols[1]);
        if (!label)
            return core::error{core::errc::parse_error, where + "unknown stance label '" + cols[1] + "'"};
        claim_pair p{std::move(cols[0]),  *label, std::move(cols[2]), std::move(cols[3]),
                     out.size() % 3 == 2, number};
        out.push_back(std::move(p));
    }
    return out;
}

}  // namespace newswatch::stance
