#pragma once
// Asynchronous HTTP(S) GET on libcurl's multi interface driven by Boost.Asio: one
// socket watcher per curl socket, one timer, no thread per fetch.
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "newswatch/fetcher/fetch_types.hpp"

namespace newswatch::fetcher {

struct client_options {
    std::string user_agent;            // empty: "newswatch/<version> (+<project url>)"
    std::size_t max_connections = 64;  // global cap on transfers at once
    std::size_t max_per_host = 2;      // per host name (or IP literal)
    // Minimum gap between the starts of two requests to the same host (0 = no pacing).
    std::chrono::milliseconds per_host_pacing{0};
};

class http_client {
public:
    // Must be constructed, used and destroyed on `executor`'s thread (single-threaded loop).
    http_client(boost::asio::any_io_executor executor, client_options options);
    ~http_client();
    http_client(const http_client&) = delete;
    http_client& operator=(const http_client&) = delete;

    using completion = std::function<void(fetch_response)>;

    // Starts a GET; `done` is called exactly once on the executor, never inline.
    // Never throws for network or HTTP failures: they come back in fetch_response.
    void async_fetch(fetch_request request, completion done);

    // Coroutine form of async_fetch.
    boost::asio::awaitable<fetch_response> fetch(fetch_request request);

    // Aborts every transfer in flight; their completions report `cancelled`.
    void cancel_all();

    // Back-pressure from the consumer: while `may_start` returns false, no queued request
    // starts (transfers in flight go on). Call resume() once it may have turned true.
    // Executor thread only; an empty function removes the gate.
    void set_start_gate(std::function<bool()> may_start);
    void resume();

private:
    struct impl;
    std::shared_ptr<impl> impl_;
};

}  // namespace newswatch::fetcher
