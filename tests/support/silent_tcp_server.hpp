#pragma once
// A TCP server on a loopback address that accepts connections and never sends a byte (nor
// reads one): a stalled HTTP server, or a TLS server that never answers the ClientHello.
// Connections are held open until the server is destroyed.
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace newswatch::testing {

class silent_tcp_server {
public:
    explicit silent_tcp_server(const std::string& address = "127.0.0.1");
    ~silent_tcp_server();
    silent_tcp_server(const silent_tcp_server&) = delete;
    silent_tcp_server& operator=(const silent_tcp_server&) = delete;

    std::uint16_t port() const noexcept { return port_; }
    int accepted() const noexcept { return accepted_.load(); }

private:
    boost::asio::io_context io_;
    boost::asio::ip::tcp::acceptor acceptor_;
    std::string address_;
    std::uint16_t port_ = 0;
    std::atomic<bool> stopping_{false};
    std::atomic<int> accepted_{0};
    std::vector<std::unique_ptr<boost::asio::ip::tcp::socket>> held_;  // accept thread only
    std::thread thread_;
};

}  // namespace newswatch::testing
