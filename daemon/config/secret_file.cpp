#include "newswatch/config/secret_file.hpp"

#include <fstream>

#include "newswatch/config/config_error.hpp"

namespace newswatch::config {

std::string read_secret_file(const std::filesystem::path& file, const std::string& what) {
    std::ifstream in(file);
    if (!in) throw config_error(what + ": " + file.string() + " cannot be read");
    std::string line;
    std::getline(in, line);
    // Only the line ending goes: a password may begin or end with a blank.
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
    if (line.empty()) throw config_error(what + ": the first line of " + file.string() + " is empty");
    return line;
}

}  // namespace newswatch::config
