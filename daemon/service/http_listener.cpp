#include "newswatch/service/http_listener.hpp"

#include <list>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include "newswatch/core/errc.hpp"

namespace newswatch::service {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// Shared by the accept loop and each connection's coroutine, so that stop() and the
// listener's destruction never free what a suspended coroutine still uses.
struct http_listener::state : std::enable_shared_from_this<state> {
    state(asio::any_io_executor executor, listener_limits l, handler h)
        : acceptor(executor), limits(l), on_request(std::move(h)) {}

    tcp::acceptor acceptor;
    listener_limits limits;
    handler on_request;
    std::list<beast::tcp_stream*> connections;  // open ones, closed by stop()
    bool stopped = false;

    asio::awaitable<void> serve(tcp::socket socket) {
        auto self = shared_from_this();
        beast::tcp_stream stream(std::move(socket));
        connections.push_front(&stream);
        const auto registered = connections.begin();
        beast::flat_buffer buffer(16 * 1024);
        for (;;) {
            http::request_parser<http::string_body> parser;
            parser.header_limit(static_cast<std::uint32_t>(limits.header_bytes));
            parser.body_limit(limits.body_bytes);
            stream.expires_after(limits.request_timeout);
            auto [read_error, read_bytes] =
                co_await http::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
            (void)read_bytes;
            if (read_error || stopped) break;
            const auto& request = parser.get();
            http_response_message response = on_request(request);
            response.version(request.version());
            response.keep_alive(request.keep_alive());
            response.prepare_payload();
            if (request.method() == http::verb::head) response.body().clear();
            stream.expires_after(limits.request_timeout);
            auto [write_error, written] =
                co_await http::async_write(stream, response, asio::as_tuple(asio::use_awaitable));
            (void)written;
            if (write_error || !response.keep_alive() || stopped) break;
        }
        connections.erase(registered);
        beast::error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    }

    asio::awaitable<void> accept_loop() {
        auto self = shared_from_this();
        while (!stopped) {
            auto [ec, socket] = co_await acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
            if (stopped) break;
            if (ec) continue;  // EMFILE and the like: try the next one
            if (connections.size() >= limits.max_connections) continue;  // the socket closes here
            asio::co_spawn(acceptor.get_executor(), serve(std::move(socket)), asio::detached);
        }
    }
};

http_listener::http_listener(std::shared_ptr<state> s) : state_(std::move(s)) {}

http_listener::~http_listener() {
    stop();
}

core::result<std::unique_ptr<http_listener>> http_listener::listen(asio::any_io_executor executor,
                                                                   const tcp::endpoint& where,
                                                                   listener_limits limits, handler on_request,
                                                                   const std::string& what) {
    auto s = std::make_shared<state>(executor, limits, std::move(on_request));
    boost::system::error_code ec;
    auto fail = [&](std::string_view step) {
        return core::error{make_error_code(core::errc::io_error),
                           std::string(step) + " " + what + " to " + where.address().to_string() + ":" +
                               std::to_string(where.port()) + ": " + ec.message()};
    };
    s->acceptor.open(where.protocol(), ec);
    if (ec) return fail("cannot open a socket for");
    s->acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    s->acceptor.bind(where, ec);
    if (ec) return fail("cannot bind");
    s->acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) return fail("cannot listen with");
    asio::co_spawn(executor, s->accept_loop(), asio::detached);
    return std::unique_ptr<http_listener>(new http_listener(std::move(s)));
}

tcp::endpoint http_listener::local_endpoint() const {
    boost::system::error_code ec;
    return state_->acceptor.local_endpoint(ec);
}

void http_listener::stop() {
    if (state_->stopped) return;
    state_->stopped = true;
    boost::system::error_code ignored;
    state_->acceptor.close(ignored);
    for (auto* stream : state_->connections) stream->socket().close(ignored);
}

}  // namespace newswatch::service
