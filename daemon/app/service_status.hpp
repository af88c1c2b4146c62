#pragma once
// What `newswatch status` and `newswatch reload` learn about a running newswatchd: the
// daemon rewrites <state_dir>/status.json every few seconds and after each reload
// (atomically, by rename), and the same figures make its systemd STATUS= line.
#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "newswatch/core/result.hpp"
#include "newswatch/core/time.hpp"
#include "newswatch/store/feed_state.hpp"
#include "newswatch/store/state_store.hpp"

namespace newswatch::app {

struct feed_counts {
    std::size_t ok = 0;
    std::size_t failing = 0;  // the last fetch failed (backing off)
    std::size_t retired = 0;  // HTTP 410 until `feeds reset`
    std::size_t never_fetched = 0;
    std::size_t total() const noexcept { return ok + failing + retired + never_fetched; }
};

struct reload_outcome {
    std::uint64_t count = 0;  // reloads attempted by this process (SIGHUP received)
    std::optional<core::timestamp> at;
    bool accepted = true;
    std::string error;  // why the last one was rejected
};

struct service_status {
    pid_t pid = 0;
    bool running = true;  // false once the daemon has stopped cleanly
    std::string version;
    std::string config;
    std::string state_dir;
    core::timestamp started_at{};
    core::timestamp updated_at{};
    feed_counts feeds;
    // When the most recent poll of any feed ended.
    std::optional<core::timestamp> last_round;
    store::outbox_counts alerts;
    reload_outcome reload;
};

feed_counts count_feeds(const std::vector<store::feed_state>& states);
std::optional<core::timestamp> last_poll_of(const std::vector<store::feed_state>& states);

boost::json::object to_json(const service_status& status);

std::filesystem::path status_file_of(const std::filesystem::path& state_dir);
// Writes status.json through a temporary file and rename: a reader sees the old or the new
// file, never half of one. Mode 0640 (the service group reads it).
core::result<void> write_status_file(const std::filesystem::path& state_dir,
                                     const service_status& status) noexcept;
// nullopt when absent or unreadable.
std::optional<service_status> read_status_file(const std::filesystem::path& state_dir);

// "1,204 feeds, 3 failing; last round 12:04:10; 2 alerts pending" (local time).
std::string systemd_status_line(const service_status& status);
// 1204 -> "1,204".
std::string with_thousands(std::uint64_t n);

}  // namespace newswatch::app
