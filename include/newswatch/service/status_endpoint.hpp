#pragma once
// The daemon's HTTP endpoint for monitoring (Boost.Beast on the daemon's event loop):
//   GET /metrics  Prometheus text format
//   GET /healthz  200 "ok" when the event loop answers (the handler runs on it)
//   GET /readyz   200 "ready", or 503 with the reason (config not loaded, database closed)
// It also probes the loop's lag once a second. HTTP/1.1 with keep-alive, GET and HEAD
// only, small requests only, at most 64 connections at once.
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "newswatch/core/result.hpp"
#include "newswatch/service/http_listener.hpp"

namespace newswatch::service {

struct endpoint_handlers {
    // The /metrics body. Called on the executor with the loop lag last measured.
    std::function<std::string(double loop_lag_seconds)> metrics;
    // nullopt when ready, else why not (the /readyz 503 body). Called on the executor.
    std::function<std::optional<std::string>()> not_ready;
};

// "127.0.0.1:9464", "[::1]:9464", "0.0.0.0:0" -> an endpoint; an error names the problem.
core::result<boost::asio::ip::tcp::endpoint> parse_listen_address(std::string_view text);

class status_endpoint {
public:
    // Binds and listens now; an error (address in use, no permission) is a value.
    // Construct, use and destroy on `executor`'s thread; handlers must outlive stop().
    static core::result<std::unique_ptr<status_endpoint>> listen(boost::asio::any_io_executor executor,
                                                                 const boost::asio::ip::tcp::endpoint& where,
                                                                 endpoint_handlers handlers);
    ~status_endpoint();
    status_endpoint(const status_endpoint&) = delete;
    status_endpoint& operator=(const status_endpoint&) = delete;

    // The address actually bound (the port chosen by the kernel when 0 was asked).
    boost::asio::ip::tcp::endpoint local_endpoint() const;
    // Stops accepting and closes open connections; coroutines end promptly.
    void stop();

private:
    struct state;
    status_endpoint(std::shared_ptr<state> s, std::unique_ptr<http_listener> listener);
    std::shared_ptr<state> state_;
    std::unique_ptr<http_listener> listener_;
};

}  // namespace newswatch::service
