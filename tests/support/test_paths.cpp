#include "test_paths.hpp"

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

namespace newswatch::testing {

namespace fs = std::filesystem;

fs::path source_dir() {
    if (const char* env = std::getenv("NEWSWATCH_SOURCE_DIR")) return env;
    return NEWSWATCH_SOURCE_DIR;
}

fs::path bin_dir() {
    if (const char* env = std::getenv("NEWSWATCH_BIN_DIR")) return env;
    return NEWSWATCH_BIN_DIR;
}

std::optional<fs::path> shared_dir() {
    if (const char* env = std::getenv("NEWSWATCH_SHARED_DIR")) {
        if (fs::is_directory(env)) return fs::path(env);
        return std::nullopt;
    }
    const fs::path candidate = source_dir().parent_path() / "shared";
    if (fs::is_directory(candidate / "data")) return candidate;
    return std::nullopt;
}

temp_dir::temp_dir() {
    std::random_device rd;
    for (int attempt = 0; attempt < 100; ++attempt) {
        fs::path candidate = fs::temp_directory_path() / ("newswatch-test-" + std::to_string(rd()));
        std::error_code ec;
        if (fs::create_directory(candidate, ec)) {
            path_ = candidate;
            return;
        }
    }
    throw std::runtime_error("cannot create a temp dir");
}

temp_dir::~temp_dir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path.string());
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void write_file(const fs::path& path, const std::string& content) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write " + path.string());
    out << content;
}

command_result run_command(const std::string& command_line) {
    temp_dir tmp;
    const auto out_path = tmp.path() / "out";
    const auto err_path = tmp.path() / "err";
    const std::string full = command_line + " >'" + out_path.string() + "' 2>'" + err_path.string() + "'";
    const int status = std::system(full.c_str());
    command_result result;
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    result.out = read_file(out_path);
    result.err = read_file(err_path);
    return result;
}

}  // namespace newswatch::testing
