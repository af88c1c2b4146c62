#include "http_test_server.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

namespace newswatch::testing {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

http_test_server::http_test_server(const std::string& address)
    : acceptor_(io_, tcp::endpoint(asio::ip::make_address(address), 0)), address_(address) {
    port_ = acceptor_.local_endpoint().port();
    thread_ = std::thread([this] { accept_loop(); });
}

http_test_server::~http_test_server() {
    stopping_ = true;
    boost::system::error_code ec;
    // Wake the blocking accept with a connection of our own, then close.
    tcp::socket poke(io_);
    poke.connect(tcp::endpoint(asio::ip::make_address(address_), port_), ec);
    poke.close(ec);
    if (thread_.joinable()) thread_.join();
    acceptor_.close(ec);
    {
        // Connections blocked in a read (keep-alive clients) wake up when shut down.
        std::lock_guard lock(mutex_);
        for (auto& s : sockets_) s->shutdown(tcp::socket::shutdown_both, ec);
    }
    for (auto& t : connections_)
        if (t.joinable()) t.join();
}

std::string http_test_server::base_url() const {
    return "http://" + address_ + ":" + std::to_string(port_);
}

void http_test_server::on(const std::string& path, handler h) {
    std::lock_guard lock(mutex_);
    handlers_[path] = std::move(h);
}

void http_test_server::on_raw(const std::string& path, raw_handler h) {
    std::lock_guard lock(mutex_);
    raw_handlers_[path] = std::move(h);
}

void http_test_server::on_unmatched(handler h) {
    std::lock_guard lock(mutex_);
    unmatched_ = std::move(h);
}

void http_test_server::serve_feed(const std::string& path, std::string body, std::string content_type,
                                  std::string etag, std::string last_modified) {
    on(path, [body = std::move(body), content_type = std::move(content_type), etag = std::move(etag),
              last_modified = std::move(last_modified)](const http_request& req) {
        const bool etag_match = !etag.empty() && req[http::field::if_none_match] == etag;
        const bool date_match =
            !last_modified.empty() && req[http::field::if_modified_since] == last_modified;
        http_response res =
            (etag_match || date_match) ? make_response(304, "") : make_response(200, body, content_type);
        if (!etag.empty()) res.set(http::field::etag, etag);
        if (!last_modified.empty()) res.set(http::field::last_modified, last_modified);
        if (res.result_int() == 304) res.erase(http::field::content_type);
        res.prepare_payload();
        return res;
    });
}

int http_test_server::hits(const std::string& path) const {
    std::lock_guard lock(mutex_);
    auto it = requests_.find(path);
    return it == requests_.end() ? 0 : static_cast<int>(it->second.size());
}

std::vector<http_request> http_test_server::requests(const std::string& path) const {
    std::lock_guard lock(mutex_);
    auto it = requests_.find(path);
    return it == requests_.end() ? std::vector<http_request>{} : it->second;
}

http_response http_test_server::make_response(unsigned status, std::string body, std::string content_type) {
    http_response res{static_cast<http::status>(status), 11};
    res.set(http::field::server, "newswatch-test-server");
    if (!content_type.empty() && status != 304) res.set(http::field::content_type, content_type);
    res.body() = std::move(body);
    res.prepare_payload();
    return res;
}

void http_test_server::accept_loop() {
    while (!stopping_) {
        boost::system::error_code ec;
        auto socket = std::make_shared<tcp::socket>(io_);
        acceptor_.accept(*socket, ec);
        if (ec || stopping_) break;
        {
            std::lock_guard lock(mutex_);
            sockets_.push_back(socket);
        }
        connections_.emplace_back([this, socket] { serve_connection(socket); });
    }
}

void http_test_server::serve_connection(std::shared_ptr<tcp::socket> socket_ptr) {
    tcp::socket& socket = *socket_ptr;
    boost::beast::flat_buffer buffer;
    while (!stopping_) {
        boost::system::error_code ec;
        http_request req;
        http::read(socket, buffer, req, ec);
        if (ec) break;
        std::string path(req.target());
        handler h;
        raw_handler raw;
        {
            std::lock_guard lock(mutex_);
            requests_[path].push_back(req);
            if (auto it = raw_handlers_.find(path); it != raw_handlers_.end())
                raw = it->second;
            else if (auto it2 = handlers_.find(path); it2 != handlers_.end())
                h = it2->second;
            else
                h = unmatched_;
        }
        if (raw) {
            raw(socket, req);
            break;
        }
        http_response res = h ? h(req) : make_response(404, "not found\n");
        res.keep_alive(req.keep_alive());
        http::write(socket, res, ec);
        if (ec || !req.keep_alive()) break;
    }
    boost::system::error_code ec;
    socket.shutdown(tcp::socket::shutdown_both, ec);
}

}  // namespace newswatch::testing
