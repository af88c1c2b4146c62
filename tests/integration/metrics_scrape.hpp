#pragma once
// Reading the running daemon's metrics endpoint in integration tests: where it listens (from
// its log), one HTTP GET, one sample's value, and `promtool check metrics` on a scrape.
#include <filesystem>
#include <string>
#include <utility>

namespace newswatch::testing {

struct scrape {
    unsigned status = 0;
    std::string content_type;
    std::string body;
};

// One GET to http://HOST:PORT/TARGET (10 s at most).
scrape http_get(const std::string& host, const std::string& port, const std::string& target);

// The daemon's log so far ("" until the daemon has opened it).
std::string log_of(const std::filesystem::path& file);

// The "http://HOST:PORT/metrics" the daemon logged, split; empty until it is logged.
std::pair<std::string, std::string> bound_address(const std::string& log);

// The value of one sample ("name{labels}" exactly as rendered), or -1 when absent.
double sample(const std::string& text, const std::string& series);

// Runs `promtool check metrics` on `text` (written to `scratch`): "" when it passes, else
// what promtool said (or that promtool is missing).
std::string promtool_problems(const std::string& text, const std::filesystem::path& scratch);

}  // namespace newswatch::testing
