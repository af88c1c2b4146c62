#pragma once
// A tiny HTTPS server on 127.0.0.1 with a self-signed certificate made by the openssl
// tool at test time (never committed). Serves one fixed body on every path.
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

namespace newswatch::testing {

class tls_test_server {
public:
    // Creates key + certificate in `dir` (CN and SAN 127.0.0.1) and starts serving `body`.
    tls_test_server(const std::filesystem::path& dir, std::string body);
    ~tls_test_server();
    tls_test_server(const tls_test_server&) = delete;
    tls_test_server& operator=(const tls_test_server&) = delete;

    std::string url(const std::string& path) const {
        return "https://127.0.0.1:" + std::to_string(port_) + path;
    }
    int handshakes_completed() const noexcept { return handshakes_.load(); }

private:
    void serve();

    std::string body_;
    boost::asio::io_context io_;
    boost::asio::ssl::context ssl_{boost::asio::ssl::context::tls_server};
    boost::asio::ip::tcp::acceptor acceptor_;
    std::uint16_t port_ = 0;
    std::atomic<bool> stopping_{false};
    std::atomic<int> handshakes_{0};
    std::thread thread_;
};

}  // namespace newswatch::testing
