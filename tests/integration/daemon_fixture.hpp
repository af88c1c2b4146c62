#pragma once
// Shared helpers for the daemon integration tests: RSS documents, configs, running the
// real newswatchd binary, reading its alert file.
#include <chrono>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "test_paths.hpp"

namespace newswatch::testing {

struct rss_item {
    std::string guid;
    std::string title;
    std::string link;
    std::string description;  // will be XML-escaped
    std::chrono::system_clock::time_point published;
    bool has_date = true;
};

std::string rfc822(std::chrono::system_clock::time_point t);
std::string xml_escape(const std::string& text);
std::string rss_document(const std::string& title, const std::vector<rss_item>& items);

// Runs newswatchd with the given arguments; stdout/stderr captured.
command_result run_daemon(const std::string& arguments);
// Runs the newswatch tool.
command_result run_tool(const std::string& arguments);

// Every JSON line of a file (missing file: none).
std::vector<boost::json::object> read_json_lines(const std::filesystem::path& file);

std::string quote(const std::filesystem::path& p);

}  // namespace newswatch::testing
