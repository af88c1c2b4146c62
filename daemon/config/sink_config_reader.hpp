#pragma once
// Reads one [[sink]] table: the dispatcher's delivery keys every sink has, then the keys
// of its type. Throws config_error naming file, line and key.
#include "newswatch/config/config.hpp"
#include "toml_table_reader.hpp"

namespace newswatch::config {

sink_config read_sink_config(toml_table_reader& reader);

// "20/min", "5/s", "100/h", "1000/d" (also "sec", "second", "minute", "hour", "day").
std::optional<rate_limit> parse_rate(std::string_view text);

}  // namespace newswatch::config
