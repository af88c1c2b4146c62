#pragma once
// Reads one TOML table with typed getters, remembering which keys were read so that the
// rest can be reported as unknown. Every error names file, line and key.
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "newswatch/config/config.hpp"

namespace newswatch::config {

class toml_table_reader {
public:
    toml_table_reader(const toml::table& table, std::string file, std::string context);

    std::optional<std::string> string(const std::string& key);
    std::string required_string(const std::string& key);
    std::optional<bool> boolean(const std::string& key);
    std::optional<std::int64_t> integer(const std::string& key, std::int64_t min, std::int64_t max);
    std::optional<double> number(const std::string& key, double min, double max);
    // "5m" or seconds, at most `max` (an error naming the key above it, or on overflow).
    std::optional<core::seconds> duration(const std::string& key, core::seconds max);
    std::optional<std::size_t> size(const std::string& key);  // "16MiB" or bytes
    std::optional<std::vector<std::string>> string_list(const std::string& key);
    std::optional<std::vector<std::pair<std::string, std::string>>> string_map(const std::string& key);
    // A path; relative ones resolve against the folder of the file that holds the key.
    // A path starting with "{state_dir}" is returned as is (the daemon substitutes it).
    std::optional<std::filesystem::path> path(const std::string& key);
    const toml::node* node(const std::string& key);

    // Throws config_error for any key that no getter asked for.
    void reject_unknown_keys() const;

    source_location where() const;
    source_location where(const std::string& key) const;
    [[noreturn]] void fail(const std::string& key, const std::string& message) const;

private:
    const toml::table& table_;
    std::string file_;
    std::string context_;  // "[daemon]", "[[feed]] #3"
    // Keys read so far; a table has a dozen at most, so a vector beats a set's node per key.
    std::vector<std::string> known_;
};

}  // namespace newswatch::config
