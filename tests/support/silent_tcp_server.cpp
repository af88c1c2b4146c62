#include "silent_tcp_server.hpp"

namespace newswatch::testing {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

silent_tcp_server::silent_tcp_server(const std::string& address)
    : acceptor_(io_, tcp::endpoint(asio::ip::make_address(address), 0)), address_(address) {
    port_ = acceptor_.local_endpoint().port();
    thread_ = std::thread([this] {
        while (!stopping_) {
            auto socket = std::make_unique<tcp::socket>(io_);
            boost::system::error_code ec;
            acceptor_.accept(*socket, ec);
            if (ec || stopping_) break;
            ++accepted_;
            held_.push_back(std::move(socket));
        }
    });
}

silent_tcp_server::~silent_tcp_server() {
    stopping_ = true;
    boost::system::error_code ec;
    tcp::socket poke(io_);  // wakes the blocking accept
    poke.connect(tcp::endpoint(asio::ip::make_address(address_), port_), ec);
    poke.close(ec);
    if (thread_.joinable()) thread_.join();
}

}  // namespace newswatch::testing
