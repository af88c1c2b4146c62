#pragma once
// Shared helpers for the daemon integration tests: RSS documents, configs, running the
// real newswatchd binary, reading its alert file.
#include <sys/types.h>

#include <chrono>
#include <functional>
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

// Rows of `table` in the SQLite file `db` (read-only, beside a running daemon); -1 when
// the file or table cannot be read yet.
long long count_rows(const std::filesystem::path& db, const std::string& table);

// newswatchd running in the background (no --once): `--config CONFIG` and then `arguments`,
// with `env` ("NAME=value") added to its environment, stderr to `log`. SIGKILLed if still
// running on destruction.
class running_daemon {
public:
    running_daemon(const std::filesystem::path& config, const std::filesystem::path& log,
                   std::vector<std::string> arguments = {"--log-level", "debug"}, std::vector<std::string> env = {});
    ~running_daemon();
    running_daemon(const running_daemon&) = delete;
    running_daemon& operator=(const running_daemon&) = delete;

    int pid() const noexcept { return pid_; }
    void signal(int signo);
    // Waits for the exit: the exit code, -N when killed by signal N, or -1000 when it was
    // still running after `limit`.
    int wait(std::chrono::milliseconds limit);
    // Sends SIGTERM and waits (30 s: the daemon's own stop grace is 20 s).
    int terminate(std::chrono::milliseconds limit = std::chrono::seconds(30));
    // SIGKILL, reaped at once.
    void kill_now();

private:
    int pid_ = -1;
    bool reaped_ = false;
};

// Polls `p` every 20 ms until it holds or `limit` has passed; returns its last value.
template <class Predicate>
bool eventually(Predicate p, std::chrono::milliseconds limit = std::chrono::seconds(15)) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
        if (p()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return p();
}

}  // namespace newswatch::testing
