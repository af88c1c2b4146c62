#pragma once
// A real HTTP/1.1 server on 127.0.0.1 for tests (Boost.Beast, its own thread).
// Register a handler per path; every request is counted and recorded, so tests can
// assert on hits and on the request headers a client sent.
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http.hpp>

namespace newswatch::testing {

using http_request = boost::beast::http::request<boost::beast::http::string_body>;
using http_response = boost::beast::http::response<boost::beast::http::string_body>;

// A handler that writes whatever it wants to the raw socket (hostile-server tests).
// It owns the connection from then on; the server closes the socket when it returns.
using raw_handler = std::function<void(boost::asio::ip::tcp::socket&, const http_request&)>;
using handler = std::function<http_response(const http_request&)>;

class http_test_server {
public:
    // Binds 127.0.0.1 (or `address`, e.g. "127.0.0.2") on an ephemeral port and starts serving.
    explicit http_test_server(const std::string& address = "127.0.0.1");
    ~http_test_server();
    http_test_server(const http_test_server&) = delete;
    http_test_server& operator=(const http_test_server&) = delete;

    std::uint16_t port() const noexcept { return port_; }
    std::string base_url() const;  // "http://127.0.0.1:PORT"
    std::string url(const std::string& path) const { return base_url() + path; }

    void on(const std::string& path, handler h);
    void on_raw(const std::string& path, raw_handler h);
    // Answers every request whose target has no handler of its own (default: 404).
    void on_unmatched(handler h);
    // Serves `body` with the content type, with ETag/Last-Modified support: answers 304
    // when the request's If-None-Match or If-Modified-Since matches.
    void serve_feed(const std::string& path, std::string body,
                    std::string content_type = "application/rss+xml; charset=utf-8",
                    std::string etag = "\"v1\"", std::string last_modified = "Mon, 01 Jan 2024 00:00:00 GMT");

    int hits(const std::string& path) const;
    std::vector<http_request> requests(const std::string& path) const;

    // Builds a response with the given status, body and content type.
    static http_response make_response(unsigned status, std::string body,
                                       std::string content_type = "text/plain");

private:
    void accept_loop();
    void serve_connection(std::shared_ptr<boost::asio::ip::tcp::socket> socket);

    boost::asio::io_context io_;
    boost::asio::ip::tcp::acceptor acceptor_;
    std::uint16_t port_ = 0;
    std::string address_;
    mutable std::mutex mutex_;
    std::map<std::string, handler> handlers_;
    std::map<std::string, raw_handler> raw_handlers_;
    handler unmatched_;
    std::map<std::string, std::vector<http_request>> requests_;
    std::atomic<bool> stopping_{false};
    std::thread thread_;
    std::vector<std::thread> connections_;
    std::vector<std::shared_ptr<boost::asio::ip::tcp::socket>> sockets_;  // to unblock on stop
};

}  // namespace newswatch::testing
