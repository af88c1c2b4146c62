#pragma once
// The daemon's one HTTP client: libcurl's multi interface driven by Boost.Asio (one socket
// watcher per curl socket, one timer, no thread per transfer). Feed fetches, sink requests
// and other curl transfers (SMTP) share it.
#include <curl/curl.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "newswatch/http/fetch_types.hpp"
#include "newswatch/http/http_request.hpp"

namespace newswatch::http {

struct client_options {
    std::string user_agent;            // empty: "newswatch/<version> (+<project url>)"
    std::size_t max_connections = 64;  // global cap on feed fetches at once
    std::size_t max_per_host = 2;      // per host name (or IP literal), feed fetches
    // Minimum gap between the starts of two feed fetches to the same host (0 = no pacing).
    std::chrono::milliseconds per_host_pacing{0};
};

class http_client {
public:
    // Must be constructed, used and destroyed on `executor`'s thread (single-threaded loop).
    // Destruction aborts everything in flight; completions then report `cancelled`.
    http_client(boost::asio::any_io_executor executor, client_options options);
    ~http_client();
    http_client(const http_client&) = delete;
    http_client& operator=(const http_client&) = delete;

    // ---- feed fetches (GET with the SSRF guard, caps, pacing and the start gate) ----

    using completion = std::function<void(fetch_response)>;

    // Starts a GET; `done` is called exactly once on the executor, never inline.
    // Never throws for network or HTTP failures: they come back in fetch_response.
    void async_fetch(fetch_request request, completion done);

    // Coroutine form of async_fetch.
    boost::asio::awaitable<fetch_response> fetch(fetch_request request);

    // Aborts every feed fetch in flight or queued; their completions report `cancelled`.
    // Sink requests and run() transfers go on (cancel them by id).
    void cancel_all();

    // Back-pressure from the consumer: while `may_start` returns false, no queued fetch
    // starts (transfers in flight go on). Call resume() once it may have turned true.
    // Executor thread only; an empty function removes the gate.
    void set_start_gate(std::function<bool()> may_start);
    void resume();

    // How many feed fetches run at once at most (client_options::max_connections).
    std::size_t max_connections() const noexcept;

    // ---- sink requests and other transfers ----

    using transfer_id = std::uint64_t;
    using request_completion = std::function<void(http_response)>;
    using run_completion = std::function<void(CURLcode)>;

    // Starts `request` at once; `done` is called exactly once on the executor, never
    // inline. Network and HTTP failures come back in http_response.
    transfer_id async_request(http_request request, request_completion done);

    // Runs an easy handle the caller configured (SMTP, ...) on the shared multi. The caller
    // owns `easy` and whatever its options point to, and keeps them until `done` has run.
    // `done` gets curl's result exactly once on the executor, never inline
    // (CURLE_ABORTED_BY_CALLBACK when cancelled, CURLE_FAILED_INIT when curl refused it).
    transfer_id async_run(CURL* easy, run_completion done);

    // Aborts one request or run (no effect when it has ended); its completion reports
    // `cancelled` / CURLE_ABORTED_BY_CALLBACK.
    void cancel(transfer_id id);

private:
    struct impl;
    std::shared_ptr<impl> impl_;
};

}  // namespace newswatch::http
