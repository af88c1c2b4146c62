#pragma once
// Shared helpers for the daemon integration tests: RSS documents, configs, running the
// real newswatchd binary, reading its alert file.
#include <sys/types.h>

#include <chrono>
#include <string>
#include <thread>
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

// newswatchd running in the background (no --once): `--config CONFIG --log-level debug`
// plus `extra_args`, with `env` ("NAME=value") added to its environment and stderr in
// `log`. Killed (SIGKILL) and reaped on destruction if still running.
class running_daemon {
public:
    running_daemon(const std::filesystem::path& config, const std::filesystem::path& log,
                   const std::vector<std::string>& extra_args = {}, const std::vector<std::string>& env = {});
    ~running_daemon();
    running_daemon(const running_daemon&) = delete;
    running_daemon& operator=(const running_daemon&) = delete;

    pid_t pid() const noexcept { return pid_; }
    void signal(int signo);
    // Sends SIGTERM and returns the exit status (-1 if it did not exit within 10 s).
    int terminate();
    // SIGKILL, then reaped.
    void kill_now();

private:
    pid_t pid_ = -1;
    bool reaped_ = false;
};

// Polls `p` every 50 ms until it holds or `limit` passes; generous limits keep this
// reliable on a loaded machine.
template <class Predicate>
bool eventually(Predicate p, std::chrono::milliseconds limit = std::chrono::seconds(15)) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
        if (p()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return p();
}

}  // namespace newswatch::testing
