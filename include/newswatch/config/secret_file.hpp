#pragma once
// Secrets (passwords, tokens, webhook URLs, HMAC keys) live in files of their own, so the
// config can be world-readable and shown in bug reports. Startup only.
#include <filesystem>
#include <string>

namespace newswatch::config {

// The first line of `file`, without its line ending. Throws
// config_error naming `what` and the file (never its content) when it cannot be read or
// the line is empty.
std::string read_secret_file(const std::filesystem::path& file, const std::string& what);

}  // namespace newswatch::config
