#pragma once
// One feed GET: the request and everything learned while it runs (all hops of a redirect
// chain), with the easy-handle setup and the curl callbacks that enforce the fetch limits
// and the SSRF guard. Internal to the http module; http_client drives it.
#include <curl/curl.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>

#include "newswatch/http/address_policy.hpp"
#include "newswatch/http/fetch_types.hpp"
#include "newswatch/http/http_client.hpp"
#include "response_header_lines.hpp"
#include "url_origin.hpp"

namespace newswatch::http {

struct feed_transfer {
    using clock_type = std::chrono::steady_clock;

    CURL* easy = nullptr;
    curl_slist* headers = nullptr;
    fetch_request req;
    http_client::completion done;
    fetch_response resp;
    std::string host_key;
    url_origin configured;
    url_origin first;    // origin of req.url: credentials go only there
    url_origin current;  // origin of the hop in flight
    std::string current_url;
    std::string proxy;  // of the hop in flight; "" = direct
    bool proxied = false;
    bool credentials_sent = true;
    address_allowlist allow;
    // host:port reached at a non-public address (the client's set, shared by all feeds).
    std::unordered_set<std::string>* private_endpoints = nullptr;
    std::optional<fetch_outcome> abort;
    std::string abort_detail;
    clock_type::time_point started{};  // submitted (queued)
    clock_type::time_point begun{};    // handed to curl
    bool in_multi = false;
    // Per hop.
    response_header_lines head;
    std::size_t header_bytes = 0;
    // Redirects.
    bool permanent_chain = true;
    std::optional<std::string> permanent_target;
    // A permanent target not yet reported: only a target that answered is one (a hop the
    // guard refused, or that never answered, must not move the feed).
    std::optional<std::string> permanent_candidate;
    std::size_t wire_before = 0;  // wire bytes of earlier hops
    int connections_before = 0;   // connections opened by earlier hops

    void reset_hop();

    // The options every hop shares (limits, callbacks, headers, credentials).
    void configure(const std::string& user_agent);
    // Request headers; sensitive ones (and credentials) only towards the first origin.
    void build_headers(bool include_sensitive);
    void set_credentials(bool on);

    // Judges the hop's host before any connection (see the definition).
    bool host_permitted_before_connect();
    // Whether the current hop may reach `address` (the SSRF rule; not about the proxy).
    bool address_permitted(const boost::asio::ip::address& address);

    static size_t on_curl_write(char* data, size_t size, size_t count, void* user) noexcept;
    static size_t on_curl_header(char* data, size_t size, size_t count, void* user) noexcept;
    static curl_socket_t on_curl_open_socket(void* user, curlsocktype purpose,
                                             struct curl_sockaddr* addr) noexcept;
};

}  // namespace newswatch::http
