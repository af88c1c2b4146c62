#pragma once
// What the fetcher is asked for and what it answers. Plain values.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "newswatch/core/time.hpp"

namespace newswatch::http {

enum class fetch_outcome {
    ok,
    not_modified,
    http_error,  // a status other than 2xx/304 (see http_status)
    timeout,
    body_too_large,
    headers_too_large,
    too_many_redirects,
    redirect_refused,  // to another scheme, or a scheme other than http/https
    address_refused,   // SSRF guard: private/loopback/... address not allowed here
    tls_error,
    dns_error,
    connect_error,
    network_error,  // reset, garbage reply, anything else on the wire
    bad_url,
    cancelled,
    bad_encoding,  // the Content-Encoding could not be decoded (corrupt gzip/deflate/br)
};

// "ok", "not_modified", "http_error", ... (the log and JSON spelling).
std::string_view to_string(fetch_outcome outcome) noexcept;

struct fetch_limits {
    std::size_t max_body_bytes = 16 * 1024 * 1024;  // decoded
    std::size_t max_header_bytes = 64 * 1024;
    std::chrono::milliseconds connect_timeout{10'000};
    std::chrono::milliseconds total_timeout{30'000};
    long low_speed_bytes_per_second = 1024;
    std::chrono::seconds low_speed_time{15};
    int max_redirects = 5;
};

struct fetch_request {
    std::string url;  // the URL to request (effective URL after a permanent redirect)
    // The URL as configured; its scheme/host/port may be private (operator's choice).
    std::string configured_url;
    std::string etag;           // sent as If-None-Match when not empty (validated first)
    std::string last_modified;  // sent as If-Modified-Since when not empty (validated first)
    std::vector<std::pair<std::string, std::string>> headers;  // extra request headers
    std::string basic_auth_user;
    std::string basic_auth_password;
    std::string proxy;  // "" = environment (http_proxy, https_proxy, all_proxy, no_proxy)
    // false with an empty `proxy`: connect directly, ignoring the environment (a feed's
    // `proxy = ""` in the config).
    bool proxy_from_environment = true;
    bool verify_tls = true;
    fetch_limits limits;
    std::vector<std::string> allow_private_addresses;  // IPs / CIDRs the SSRF guard lets through
    std::string feed;  // how log lines name the feed; empty: configured_url, else url
    // false: the consumer's start gate (http_client::set_start_gate) does not hold this
    // fetch back. An article fetch that a document in processing waits for must pass the
    // gate, or a full processing backlog would wait for itself.
    bool gated = true;
    // false: the client writes no `fetch` line for this request; the caller logs the outcome
    // in its own terms (an article page is `event="article"`, not a feed fetch).
    bool log = true;
};

struct fetch_response {
    fetch_outcome outcome = fetch_outcome::network_error;
    long http_status = 0;
    std::string error;  // one line: what went wrong (empty when ok / not_modified)
    std::string body;   // decoded body (ok only)
    std::string content_type;
    std::string etag;
    std::string last_modified;
    std::string effective_url;                      // the final URL after redirects
    std::optional<std::string> permanent_redirect;  // set after a 301/308 chain
    std::optional<core::seconds> retry_after;       // 429/503 hint
    std::optional<core::seconds> max_age;           // Cache-Control max-age / Expires
    std::size_t body_bytes = 0;                     // decoded bytes counted by the write callback
    std::size_t wire_bytes = 0;                     // bytes received on the wire (compressed)
    std::chrono::milliseconds duration{0};
    // When the transfer left the queue for curl: after the per-host cap and pacing, so two
    // requests to one host start at least `per_host_pacing` apart by this clock.
    std::chrono::steady_clock::time_point started_at{};
    int redirects = 0;  // redirects followed
    // HTTP version of the final response: "1.0", "1.1", "2", "3"; empty when none came.
    std::string http_version;
    // New connections opened over all hops (CURLINFO_NUM_CONNECTS); 0 = every hop reused
    // a cached or multiplexed connection.
    int connections_opened = 0;
    std::string refused_address;  // address_refused: the address the guard refused
    // The final response's Link header values (at most 32): WebSub hubs may be named there.
    std::vector<std::string> link_headers;

    bool succeeded() const noexcept {
        return outcome == fetch_outcome::ok || outcome == fetch_outcome::not_modified;
    }
};

}  // namespace newswatch::http
