#pragma once
// Where tests find things: the source tree, the built binaries, ../shared, temp dirs.
#include <filesystem>
#include <optional>
#include <string>

namespace newswatch::testing {

std::filesystem::path source_dir();  // the repository root
std::filesystem::path bin_dir();     // build/bin with newswatchd and newswatch

// ../shared beside the checkout (or $NEWSWATCH_SHARED_DIR); nullopt when absent, as in a
// user's own clone. Tests that need it call GTEST_SKIP() with a clear message then.
std::optional<std::filesystem::path> shared_dir();

#define NEWSWATCH_REQUIRE_SHARED(var)                                                      \
    const auto var##_opt = ::newswatch::testing::shared_dir();                             \
    if (!var##_opt) GTEST_SKIP() << "../shared is absent (a user's own clone): skipping"; \
    const std::filesystem::path var = *var##_opt

// A fresh directory under the system temp dir, removed (recursively) on destruction.
class temp_dir {
public:
    temp_dir();
    ~temp_dir();
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;
    const std::filesystem::path& path() const noexcept { return path_; }

private:
    std::filesystem::path path_;
};

std::string read_file(const std::filesystem::path& path);
void write_file(const std::filesystem::path& path, const std::string& content);

// Runs a command line through /bin/sh; returns the exit status and captures stdout/stderr.
struct command_result {
    int exit_code = -1;
    std::string out;
    std::string err;
};
command_result run_command(const std::string& command_line);

}  // namespace newswatch::testing
