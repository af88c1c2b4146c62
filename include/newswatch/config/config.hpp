#pragma once
// The typed configuration. Only the config module reads files; everything else gets
// these structs. Defaults are member initialisers and are documented in docs/CONFIG.md.
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "newswatch/core/time.hpp"
#include "newswatch/http/fetch_types.hpp"
#include "newswatch/matcher/watch_set.hpp"

namespace newswatch::config {

// Where a setting came from, for error messages: "feeds/newswatch.toml:12".
struct source_location {
    std::string file;
    int line = 0;
    std::string to_string() const { return file + ":" + std::to_string(line); }
};

enum class first_fetch_policy { alert, mark_seen };

struct feed_config {
    std::string url;
    std::optional<std::string> title;       // overrides the feed's own title in alerts
    std::optional<core::seconds> interval;  // default: daemon.interval
    std::vector<std::pair<std::string, std::string>> headers;
    std::string basic_auth_user;
    std::optional<std::filesystem::path> basic_auth_password_file;
    std::optional<std::string> proxy;
    bool verify_tls = true;
    // Free labels for people and tools (OPML categories come in as tags); the daemon does
    // not interpret them.
    std::vector<std::string> tags;
    source_location where;
};

// How the dispatcher treats one sink (docs/CONFIG.md "Delivery").
struct rate_limit {
    std::size_t count = 0;  // deliveries...
    core::seconds per{60};  // ...per this long: "20/min"
};
struct delivery_policy {
    std::size_t concurrency = 2;      // deliveries in flight at once; 1 when ordered
    std::optional<rate_limit> rate;   // none: no limit
    core::seconds retry_initial{30};  // first retry delay (exponential backoff, full jitter)
    core::seconds retry_max{3600};    // cap of the retry delay
    int max_attempts = 20;            // then a dead letter
    core::seconds max_age{86400};     // an alert older than this is a dead letter
    bool ordered = false;             // strictly in detection order, one at a time
};

struct file_sink_options {
    std::filesystem::path path;  // where to append JSON lines
    unsigned mode = 0640;        // permission bits of a newly created file
};
struct log_sink_options {
    std::string level = "info";  // spdlog level of the alert line
};
struct webhook_sink_options {
    std::string url;  // from `url`, or the first line of `url_file` (read at startup)
    std::optional<std::filesystem::path> url_file;
    std::string format = "json";                         // "json" | "template"
    std::optional<std::filesystem::path> template_file;  // required with format = "template"
    std::string content_type;                            // template: default "text/plain; charset=utf-8"
    std::vector<std::pair<std::string, std::string>> headers;
    std::optional<std::filesystem::path> secret_file;  // HMAC-SHA256 signature key
    bool follow_redirects = false;
    core::seconds timeout{10};
    bool verify_tls = true;
    std::optional<std::filesystem::path> ca_file;  // PEM bundle to verify the server with
};
struct smtp_sink_options {
    std::string url;                // smtps://host:465 | smtp://host:587
    std::string starttls = "auto";  // auto | always | never
    std::string username;
    std::optional<std::filesystem::path> password_file;
    std::string from;
    std::vector<std::string> to;
    std::string subject = "[newswatch] {{watch}}: {{title}}";
    bool verify_tls = true;
    std::optional<std::filesystem::path> ca_file;  // PEM bundle to verify the server with
    core::seconds timeout{30};
};
struct exec_sink_options {
    std::vector<std::string> command;  // argv; no shell
    core::seconds timeout{30};
};
struct nats_sink_options {
    std::string server = "nats://127.0.0.1:4222";
    std::string subject;
    std::optional<std::filesystem::path> creds_file;
    core::seconds timeout{10};
};
using sink_options = std::variant<file_sink_options, log_sink_options, webhook_sink_options,
                                  smtp_sink_options, exec_sink_options, nats_sink_options>;

struct sink_config {
    std::string name;
    std::string type;  // "file", "log", "webhook", "smtp", "exec", "nats"
    delivery_policy delivery;
    sink_options options;
    source_location where;
};

struct claim_config {
    std::string claim;
    std::vector<std::string> stances = {"agree", "disagree", "discuss"};
    double min_confidence = 0.0;
};

struct watch_config {
    matcher::watch_spec spec;
    std::vector<std::string> sinks;  // empty: daemon.default_sinks
    std::optional<claim_config> claim;
    std::string priority = "default";  // "high" | "default" | "low": the push services' priority
    bool urgent = false;               // breaks through digests and quiet hours
    source_location where;
};

struct daemon_config {
    std::optional<std::filesystem::path> state_dir;
    core::seconds interval{300};
    core::seconds max_item_age{48 * 3600};
    core::seconds seen_retention{30 * 86400};
    // Cross-feed deduplication (issue #13 item 2): the window ("0s" = off) and the MinHash
    // similarity of title + lede from which two items are one story.
    core::seconds dedup_window{86400};
    double dedup_threshold = 0.5;
    first_fetch_policy on_first_fetch = first_fetch_policy::alert;
    std::vector<std::string> default_sinks;
    std::string user_agent;  // empty: newswatch/<version> (+<url>)
    std::size_t max_connections = 64;
    std::size_t max_per_host = 2;
    // Threads that parse and match documents beside the event loop; nullopt = one per CPU.
    std::optional<std::size_t> worker_threads;
    http::fetch_limits limits;
    std::vector<std::string> allow_private_addresses;
    std::optional<std::string> proxy;
    std::string log_level = "info";
    // HOST:PORT of the HTTP endpoint serving /metrics, /healthz and /readyz; "" = none.
    // Loopback by default: on for every install, reachable by nobody else.
    std::string metrics = "127.0.0.1:9464";
    // The text of one item that is matched is cut to this many bytes (a hostile item can
    // be as large as the body limit).
    std::size_t max_item_text = 256 * 1024;
    // Per-module levels (logger name -> level), over log_level: { fetcher = "warn" }.
    std::map<std::string, std::string> log_levels;
    core::seconds summary_interval{900};  // round summary at info this often; 0 = off
    // Scheduling and feed health (see docs/CONFIG.md).
    core::seconds min_interval{60};                        // never poll one feed more often than this
    core::seconds max_backoff{6 * 3600};                   // cap of the exponential backoff after failures
    core::seconds feed_health_after{24 * 3600};            // failing this long -> feed_health event
    std::optional<std::vector<std::string>> health_sinks;  // default: default_sinks
    // Fetch scheduling and politeness (owned by the fetcher; see docs/CONFIG.md "Fetching").
    core::seconds per_host_pacing{0};   // min gap between request starts to one host; 0 = off
    double jitter = 0.1;                // +- fraction of each delay
    core::seconds max_hint{24 * 3600};  // cap on max-age / <ttl> / Retry-After
    bool adaptive_interval = false;     // follow each feed's publishing rhythm
    core::seconds adaptive_min_interval{300};
    core::seconds adaptive_max_interval{3 * 3600};
    double silent_factor = 10.0;                // feed_health "silent": no items for this many usual gaps
    core::seconds silent_after{7 * 86400};      // ...and at least this long
    core::seconds alert_retention{30 * 86400};  // delivered and dead alerts kept this long
    core::seconds once_timeout{60};             // --once: how long failed deliveries are retried
};

struct stance_config {
    std::optional<std::filesystem::path> model;
};

struct configuration {
    std::filesystem::path file;  // the main config file
    daemon_config daemon;
    std::vector<feed_config> feeds;
    std::vector<watch_config> watches;
    std::vector<sink_config> sinks;
    stance_config stance;
    // The watches' queries, compiled while loading (that is how query errors get their
    // file and line); shared so the daemon need not compile them again.
    std::shared_ptr<const matcher::watch_set> compiled_watches;
};

// Reads a TOML config file and everything it includes. Throws config_error naming file,
// line and key for unknown keys, missing required keys, bad values and query errors.
configuration load_configuration(const std::filesystem::path& file);

}  // namespace newswatch::config
