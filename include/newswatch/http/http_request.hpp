#pragma once
// A request a sink sends (webhook, chat APIs) and what comes back. Plain values.
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "newswatch/core/time.hpp"
#include "newswatch/http/fetch_types.hpp"

namespace newswatch::http {

// For a URL that comes from outside rather than from the administrator (a WebSub hub a
// feed names): the SSRF guard judges every address connected to as it judges a feed's
// redirect targets. Such a request goes direct (behind a proxy the guard would see only the
// proxy) and follows no redirect.
struct address_guard {
    std::string trusted_url;  // its scheme, host and port pass (the configured feed's URL)
    std::vector<std::string> allow_private_addresses;  // IPs / CIDRs let through (checked by config)
};

// Unlike a feed fetch, a request is configured by the administrator: it may reach private
// and loopback addresses (unless `guard` is set), and it starts at once (no per-host cap,
// pacing or start gate).
struct http_request {
    std::string method = "POST";
    std::string url;                                           // http or https
    std::string body;                                          // sent byte for byte (also for an empty POST)
    std::vector<std::pair<std::string, std::string>> headers;  // unsafe names/values are dropped
    std::chrono::milliseconds timeout{10'000};                 // the whole exchange
    std::size_t max_response_bytes = 1024 * 1024;              // the body kept; more is cut off
    std::size_t max_header_bytes = 64 * 1024;
    bool follow_redirects = false;
    int max_redirects = 5;
    bool verify_tls = true;
    std::string ca_file;  // PEM bundle to verify the server with; empty: the system's
    std::optional<address_guard> guard;
};

struct http_response {
    // ok: a 2xx came; http_error: another status (see status); else the transfer failed.
    fetch_outcome outcome = fetch_outcome::network_error;
    long status = 0;
    std::string error;  // one line when not ok; never contains the URL's path or query
    std::vector<std::pair<std::string, std::string>> headers;  // of the final response
    std::string content_type;
    std::optional<core::seconds> retry_after;  // Retry-After (seconds or an HTTP date)
    std::string body;                          // at most max_response_bytes
    bool body_truncated = false;               // the server sent more than that
    std::chrono::milliseconds duration{0};

    bool responded() const noexcept { return status != 0; }
};

}  // namespace newswatch::http
