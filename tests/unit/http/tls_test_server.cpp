#include "tls_test_server.hpp"

#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "self_signed_certificate.hpp"

namespace newswatch::testing {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

tls_test_server::tls_test_server(const std::filesystem::path& dir, std::string body)
    : body_(std::move(body)), acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    const auto files = make_self_signed_certificate(dir);
    ssl_.use_certificate_chain_file(files.cert.string());
    ssl_.use_private_key_file(files.key.string(), asio::ssl::context::pem);
    port_ = acceptor_.local_endpoint().port();
    thread_ = std::thread([this] { serve(); });
}

tls_test_server::~tls_test_server() {
    stopping_ = true;
    boost::system::error_code ec;
    tcp::socket poke(io_);
    poke.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_), ec);
    poke.close(ec);
    if (thread_.joinable()) thread_.join();
}

void tls_test_server::serve() {
    while (!stopping_) {
        tcp::socket socket(io_);
        boost::system::error_code ec;
        acceptor_.accept(socket, ec);
        if (ec || stopping_) break;
        asio::ssl::stream<tcp::socket&> stream(socket, ssl_);
        stream.handshake(asio::ssl::stream_base::server, ec);
        if (ec) continue;  // the client refused our certificate: that is the point
        ++handshakes_;
        boost::beast::flat_buffer buffer;
        http::request<http::string_body> req;
        http::read(stream, buffer, req, ec);
        if (ec) continue;
        http::response<http::string_body> res{http::status::ok, 11};
        res.set(http::field::content_type, "application/rss+xml");
        res.body() = body_;
        res.keep_alive(false);
        res.prepare_payload();
        http::write(stream, res, ec);
        stream.shutdown(ec);
    }
}

}  // namespace newswatch::testing
