#include "toml_table_reader.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>

#include "newswatch/config/config_error.hpp"

namespace newswatch::config {

toml_table_reader::toml_table_reader(const toml::table& table, std::string file, std::string context)
    : table_(table), file_(std::move(file)), context_(std::move(context)) {}

source_location toml_table_reader::where() const {
    return {file_, static_cast<int>(table_.source().begin.line)};
}

source_location toml_table_reader::where(const std::string& key) const {
    if (const toml::node* n = table_.get(key)) return {file_, static_cast<int>(n->source().begin.line)};
    return where();
}

void toml_table_reader::fail(const std::string& key, const std::string& message) const {
    throw config_error(where(key).to_string() + ": " + context_ + (key.empty() ? "" : " key '" + key + "'") +
                       ": " + message);
}

const toml::node* toml_table_reader::node(const std::string& key) {
    if (std::find(known_.begin(), known_.end(), key) == known_.end()) known_.push_back(key);
    return table_.get(key);
}

std::optional<std::string> toml_table_reader::string(const std::string& key) {
    const toml::node* n = node(key);
    if (!n) return std::nullopt;
    if (auto v = n->value<std::string>()) return *v;
    fail(key, "expected a string");
}

std::string toml_table_reader::required_string(const std::string& key) {
    auto v = string(key);
    if (!v) fail(key, "is required");
    if (v->empty()) fail(key, "must not be empty");
    return *v;
}

std::optional<bool> toml_table_reader::boolean(const std::string& key) {
    const toml::node* n = node(key);
    if (!n) return std::nullopt;
    if (auto v = n->value_exact<bool>()) return *v;
    fail(key, "expected true or false");
}

std::optional<std::int64_t> toml_table_reader::integer(const std::string& key, std::int64_t min,
                                                       std::int64_t max) {
    const toml::node* n = node(key);
    if (!n) return std::nullopt;
    auto v = n->value_exact<std::int64_t>();
    if (!v) fail(key, "expected an integer");
    if (*v < min || *v > max)
        fail(key, "must be between " + std::to_string(min) + " and " + std::to_string(max));
    return *v;
}

std::optional<double> toml_table_reader::number(const std::string& key, double min, double max) {
    const toml::node* n = node(key);
    if (!n) return std::nullopt;
    auto v = n->value<double>();
    if (!v || std::isnan(*v)) fail(key, "expected a number");
    if (*v < min || *v > max) fail(key, "must be between " + std::to_string(min) + " and " + std::to_string(max));
    return *v;
}

std::optional<core::seconds> toml_table_reader::duration(const std::string& key, core::seconds max) {
    const toml::node* n = node(key);
    if (!n) return std::nullopt;
    const std::string at_most = "must be at most " + core::format_duration(max);
    if (auto i = n->value_exact<std::int64_t>()) {
        if (*i < 0) fail(key, "must not be negative");
        if (*i > max.count()) fail(key, at_most);
        return core::seconds{*i};
    }
    if (auto s = n->value<std::string>()) {
        if (auto d = core::parse_duration(*s)) {
            if (*d > max) fail(key, "'" + *s + "' is too long: " + at_most);
            return *d;
        }
        // Well-formed but past what 64 bits hold ("999999999999999d").
        if (!s->empty() && std::isdigit(static_cast<unsigned char>(s->front())) &&
            s->find_first_not_of("0123456789smhdw") == std::string::npos)
            fail(key, "'" + *s + "' is too long: " + at_most);
        fail(key, "'" + *s + "' is not a duration (use e.g. \"90s\", \"5m\", \"48h\", \"30d\")");
    }
    fail(key, "expected a duration string such as \"5m\"");
}

std::optional<std::size_t> toml_table_reader::size(const std::string& key) {
    const toml::node* n = node(key);
    if (!n) return std::nullopt;
    if (auto i = n->value_exact<std::int64_t>()) {
        if (*i < 0) fail(key, "must not be negative");
        return static_cast<std::size_t>(*i);
    }
    auto s = n->value<std::string>();
    if (!s) fail(key, "expected a size such as \"16MiB\" or a number of bytes");
    std::size_t pos = 0;
    unsigned long long value = 0;
    while (pos < s->size() && (*s)[pos] >= '0' && (*s)[pos] <= '9') {
        value = value * 10 + static_cast<unsigned>((*s)[pos] - '0');
        if (value > (1ULL << 40)) fail(key, "is too large");
        ++pos;
    }
    const std::string unit = s->substr(pos);
    unsigned long long multiplier = 0;
    if (unit.empty() || unit == "B") multiplier = 1;
    else if (unit == "KiB" || unit == "K" || unit == "KB" || unit == "k") multiplier = 1024;
    else if (unit == "MiB" || unit == "M" || unit == "MB") multiplier = 1024 * 1024;
    else if (unit == "GiB" || unit == "G" || unit == "GB") multiplier = 1024ULL * 1024 * 1024;
    if (pos == 0 || multiplier == 0) fail(key, "'" + *s + "' is not a size (use e.g. \"64KiB\", \"16MiB\")");
    return static_cast<std::size_t>(value * multiplier);
}

std::optional<std::vector<std::string>> toml_table_reader::string_list(const std::string& key) {
    const toml::node* n = node(key);
    if (!n) return std::nullopt;
    const toml::array* arr = n->as_array();
    if (!arr) fail(key, "expected a list of strings");
    std::vector<std::string> out;
    for (const auto& element : *arr) {
        auto v = element.value<std::string>();
        if (!v) fail(key, "expected a list of strings");
        out.push_back(*v);
    }
    return out;
}

std::optional<std::vector<std::pair<std::string, std::string>>> toml_table_reader::string_map(
    const std::string& key) {
    const toml::node* n = node(key);
    if (!n) return std::nullopt;
    const toml::table* t = n->as_table();
    if (!t) fail(key, "expected a table of strings, e.g. { \"X-Token\" = \"abc\" }");
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& [k, v] : *t) {
        auto s = v.value<std::string>();
        if (!s) fail(key, "value of '" + std::string(k.str()) + "' must be a string");
        out.emplace_back(std::string(k.str()), *s);
    }
    return out;
}

std::optional<std::filesystem::path> toml_table_reader::path(const std::string& key) {
    auto s = string(key);
    if (!s) return std::nullopt;
    if (s->empty()) fail(key, "must not be empty");
    std::filesystem::path p(*s);
    // "{state_dir}/..." is resolved by the daemon once it knows its state directory.
    if (s->rfind("{state_dir}", 0) == 0) return p;
    if (p.is_relative()) p = std::filesystem::path(file_).parent_path() / p;
    return p.lexically_normal();
}

void toml_table_reader::reject_unknown_keys() const {
    for (const auto& [k, v] : table_) {
        if (std::find(known_.begin(), known_.end(), k.str()) == known_.end())
            throw config_error(source_location{file_, static_cast<int>(v.source().begin.line)}.to_string() +
                               ": " + context_ + ": unknown key '" + std::string(k.str()) + "'");
    }
}

}  // namespace newswatch::config
