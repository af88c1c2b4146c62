#include "newswatch/service/status_endpoint.hpp"

#include <charconv>
#include <list>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include "newswatch/core/errc.hpp"
#include "newswatch/service/prometheus_text.hpp"

namespace newswatch::service {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr std::size_t max_connections = 64;
constexpr auto request_timeout = std::chrono::seconds(10);
constexpr auto lag_probe_period = std::chrono::seconds(1);

core::error bad_address(std::string_view text, std::string_view why) {
    return {make_error_code(core::errc::invalid_argument), "metrics address \"" + std::string(text) +
                                                               "\": " + std::string(why) +
                                                               " (expected HOST:PORT, e.g. 127.0.0.1:9464)"};
}

}  // namespace

core::result<tcp::endpoint> parse_listen_address(std::string_view text) {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0) return bad_address(text, "no port");
    std::string_view host = text.substr(0, colon);
    const std::string_view port_text = text.substr(colon + 1);
    if (host.front() == '[') {
        if (host.size() < 3 || host.back() != ']') return bad_address(text, "unbalanced brackets");
        host = host.substr(1, host.size() - 2);
    } else if (host.find(':') != std::string_view::npos) {
        return bad_address(text, "an IPv6 address needs brackets");
    }
    unsigned port = 0;
    const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc{} || end != port_text.data() + port_text.size() || port > 65535)
        return bad_address(text, "bad port");
    boost::system::error_code address_error;
    const auto address = asio::ip::make_address(std::string(host), address_error);
    if (address_error) return bad_address(text, "not an IP address (host names are not resolved)");
    return tcp::endpoint(address, static_cast<unsigned short>(port));
}

struct status_endpoint::state : std::enable_shared_from_this<state> {
    state(asio::any_io_executor executor, endpoint_handlers h)
        : acceptor(executor), lag_timer(executor), handlers(std::move(h)) {}

    tcp::acceptor acceptor;
    asio::steady_timer lag_timer;
    endpoint_handlers handlers;
    std::list<beast::tcp_stream*> connections;  // open ones, closed by stop()
    double loop_lag_seconds = 0;
    bool stopped = false;

    http::response<http::string_body> answer(const http::request<http::string_body>& request) {
        http::response<http::string_body> response;
        response.version(request.version());
        response.keep_alive(request.keep_alive());
        response.set(http::field::server, "newswatchd");
        response.set(http::field::cache_control, "no-store");
        response.set(http::field::content_type, "text/plain; charset=utf-8");
        const std::string_view target = request.target();
        const std::string_view path = target.substr(0, target.find('?'));
        if (request.method() != http::verb::get && request.method() != http::verb::head) {
            response.result(http::status::method_not_allowed);
            response.set(http::field::allow, "GET, HEAD");
            response.body() = "only GET and HEAD\n";
        } else if (path == "/metrics") {
            response.result(http::status::ok);
            response.set(http::field::content_type, prometheus_content_type);
            response.body() = handlers.metrics(loop_lag_seconds);
        } else if (path == "/healthz") {
            response.result(http::status::ok);
            response.body() = "ok\n";
        } else if (path == "/readyz") {
            if (auto reason = handlers.not_ready()) {
                response.result(http::status::service_unavailable);
                response.body() = "not ready: " + *reason + "\n";
            } else {
                response.result(http::status::ok);
                response.body() = "ready\n";
            }
        } else {
            response.result(http::status::not_found);
            response.body() = "not found (try /metrics, /healthz, /readyz)\n";
        }
        response.prepare_payload();
        if (request.method() == http::verb::head) response.body().clear();
        return response;
    }

    asio::awaitable<void> serve(tcp::socket socket) {
        auto self = shared_from_this();
        beast::tcp_stream stream(std::move(socket));
        connections.push_front(&stream);
        const auto registered = connections.begin();
        beast::flat_buffer buffer(16 * 1024);
        for (;;) {
            http::request_parser<http::string_body> parser;
            parser.header_limit(8 * 1024);
            parser.body_limit(4 * 1024);
            stream.expires_after(request_timeout);
            auto [read_error, read_bytes] =
                co_await http::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
            (void)read_bytes;
            if (read_error || stopped) break;
            const auto& request = parser.get();
            auto response = answer(request);
            stream.expires_after(request_timeout);
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
            if (ec) continue;                                     // EMFILE and the like: try the next one
            if (connections.size() >= max_connections) continue;  // the socket closes here
            asio::co_spawn(acceptor.get_executor(), serve(std::move(socket)), asio::detached);
        }
    }

    // Lateness of a timer that was due: the time the loop spends on other work before it
    // gets round to ready handlers.
    void probe_lag() {
        const auto due = std::chrono::steady_clock::now() + lag_probe_period;
        lag_timer.expires_at(due);
        lag_timer.async_wait([self = shared_from_this(), due](const boost::system::error_code& ec) {
            if (ec || self->stopped) return;
            self->loop_lag_seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - due).count();
            self->probe_lag();
        });
    }
};

status_endpoint::status_endpoint(std::shared_ptr<state> s) : state_(std::move(s)) {}

status_endpoint::~status_endpoint() {
    stop();
}

core::result<std::unique_ptr<status_endpoint>> status_endpoint::listen(asio::any_io_executor executor,
                                                                       const tcp::endpoint& where,
                                                                       endpoint_handlers handlers) {
    auto s = std::make_shared<state>(executor, std::move(handlers));
    boost::system::error_code ec;
    auto fail = [&](std::string_view what) {
        return core::error{make_error_code(core::errc::io_error),
                           std::string(what) + " " + where.address().to_string() + ":" +
                               std::to_string(where.port()) + ": " + ec.message()};
    };
    s->acceptor.open(where.protocol(), ec);
    if (ec) return fail("cannot open a socket for");
    s->acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    s->acceptor.bind(where, ec);
    if (ec) return fail("cannot bind the metrics endpoint to");
    s->acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) return fail("cannot listen on");
    asio::co_spawn(executor, s->accept_loop(), asio::detached);
    s->probe_lag();
    return std::unique_ptr<status_endpoint>(new status_endpoint(std::move(s)));
}

tcp::endpoint status_endpoint::local_endpoint() const {
    boost::system::error_code ec;
    return state_->acceptor.local_endpoint(ec);
}

void status_endpoint::stop() {
    if (state_->stopped) return;
    state_->stopped = true;
    boost::system::error_code ignored;
    state_->acceptor.close(ignored);
    state_->lag_timer.cancel();
    for (auto* stream : state_->connections) stream->socket().close(ignored);
}

}  // namespace newswatch::service
