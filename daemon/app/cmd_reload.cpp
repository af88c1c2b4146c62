// newswatch reload [--state-dir DIR | --config FILE] [--timeout DURATION]
// Sends SIGHUP to the newswatchd that holds the state directory and waits for its answer
// in status.json: exit 0 when the new configuration was taken, 2 when it was rejected (the
// daemon keeps the running one), 1 when there is no daemon or no answer. The unit's
// ExecReload=, so that `systemctl reload newswatch` fails on a bad configuration.
#include <signal.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <thread>

#include "commands.hpp"
#include "instance_lock.hpp"
#include "runtime_setup.hpp"
#include "service_status.hpp"

namespace newswatch::app {

namespace {

constexpr const char* reload_usage =
    "usage: newswatch reload [--state-dir DIR | --config FILE] [--timeout DURATION (default 2m)]";

}  // namespace

int run_reload(cli_args& args) {
    if (args.flag("--help") || args.flag("-h")) {
        std::puts(reload_usage);
        return 0;
    }
    const auto state_dir_option = args.option("--state-dir");
    const auto config_file = args.option("--config");
    const auto timeout_text = args.option("--timeout");
    if (!args.positionals().empty()) throw usage_error(reload_usage);
    const auto timeout = core::parse_duration(timeout_text.value_or("2m"));
    if (!timeout || timeout->count() < 1) throw usage_error("--timeout: expected a duration such as \"90s\"");
    const auto state_dir = tool_state_dir(state_dir_option, config_file);

    const auto pid = instance_lock::holder(state_dir);
    if (!pid || *pid <= 0) {
        std::fprintf(stderr, "newswatch reload: newswatchd is not running on %s\n", state_dir.c_str());
        return 1;
    }
    const auto before = read_status_file(state_dir);
    const std::uint64_t seen = before && before->pid == *pid ? before->reload.count : 0;
    if (::kill(*pid, SIGHUP) != 0) {
        const int error = errno;
        std::fprintf(stderr, "newswatch reload: cannot signal newswatchd (pid %d): %s%s\n",
                     static_cast<int>(*pid), std::strerror(error),
                     error == EPERM ? " (reload needs the service user or root)" : "");
        return 1;
    }
    const auto deadline = std::chrono::steady_clock::now() + *timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (const auto now = read_status_file(state_dir);
            now && now->pid == *pid && now->reload.count > seen) {
            if (now->reload.accepted) {
                std::printf("newswatchd (pid %d): configuration reloaded\n", static_cast<int>(*pid));
                return 0;
            }
            std::fprintf(stderr,
                         "newswatch reload: newswatchd (pid %d) rejected the new configuration and keeps "
                         "the running one: %s\n",
                         static_cast<int>(*pid), now->reload.error.c_str());
            return 2;
        }
        if (instance_lock::holder(state_dir) != pid) {
            std::fprintf(stderr, "newswatch reload: newswatchd (pid %d) ended before answering\n",
                         static_cast<int>(*pid));
            return 1;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    std::fprintf(stderr, "newswatch reload: no answer from newswatchd (pid %d) within %s\n",
                 static_cast<int>(*pid), core::format_duration(*timeout).c_str());
    return 1;
}

}  // namespace newswatch::app
