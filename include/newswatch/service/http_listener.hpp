#pragma once
// A small HTTP/1.1 server on the daemon's event loop (Boost.Beast): accepts connections,
// reads one request at a time with size limits and a timeout, and answers it with what the
// handler returns. Keep-alive, at most `max_connections` at once. The metrics endpoint and
// the WebSub callback listener are built on it.
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "newswatch/core/result.hpp"

namespace newswatch::service {

using http_request_message = boost::beast::http::request<boost::beast::http::string_body>;
using http_response_message = boost::beast::http::response<boost::beast::http::string_body>;

struct listener_limits {
    std::size_t max_connections = 64;
    std::size_t header_bytes = 8 * 1024;
    std::size_t body_bytes = 4 * 1024;  // a larger body closes the connection unanswered
    std::chrono::seconds request_timeout{10};
};

class http_listener {
public:
    // Called on the executor for each request; must not throw. The listener sets version,
    // keep-alive and Content-Length, and drops the body of an answer to HEAD.
    using handler = std::function<http_response_message(const http_request_message&)>;

    // Binds and listens now; an error (address in use, no permission) is a value naming
    // `what` ("the metrics endpoint") and the address. Construct, use and destroy on
    // `executor`'s thread.
    static core::result<std::unique_ptr<http_listener>> listen(boost::asio::any_io_executor executor,
                                                               const boost::asio::ip::tcp::endpoint& where,
                                                               listener_limits limits, handler on_request,
                                                               const std::string& what);
    ~http_listener();
    http_listener(const http_listener&) = delete;
    http_listener& operator=(const http_listener&) = delete;

    // The address actually bound (the port chosen by the kernel when 0 was asked).
    boost::asio::ip::tcp::endpoint local_endpoint() const;
    // Stops accepting and closes open connections; their coroutines end promptly.
    void stop();

private:
    struct state;
    explicit http_listener(std::shared_ptr<state> s);
    std::shared_ptr<state> state_;
};

}  // namespace newswatch::service
