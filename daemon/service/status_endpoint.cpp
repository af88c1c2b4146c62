#include "newswatch/service/status_endpoint.hpp"

#include <charconv>

#include <boost/beast/http.hpp>

#include "newswatch/core/errc.hpp"
#include "newswatch/service/prometheus_text.hpp"

namespace newswatch::service {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto lag_probe_period = std::chrono::seconds(1);

core::error bad_address(std::string_view text, std::string_view why) {
    return {make_error_code(core::errc::invalid_argument), "listen address \"" + std::string(text) +
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
        : lag_timer(executor), handlers(std::move(h)) {}

    asio::steady_timer lag_timer;
    endpoint_handlers handlers;
    double loop_lag_seconds = 0;
    bool stopped = false;

    http_response_message answer(const http_request_message& request) {
        http_response_message response;
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
        return response;
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

status_endpoint::status_endpoint(std::shared_ptr<state> s, std::unique_ptr<http_listener> listener)
    : state_(std::move(s)), listener_(std::move(listener)) {}

status_endpoint::~status_endpoint() {
    stop();
}

core::result<std::unique_ptr<status_endpoint>> status_endpoint::listen(asio::any_io_executor executor,
                                                                       const tcp::endpoint& where,
                                                                       endpoint_handlers handlers) {
    auto s = std::make_shared<state>(executor, std::move(handlers));
    auto listener = http_listener::listen(
        executor, where, listener_limits{},
        [s](const http_request_message& request) { return s->answer(request); }, "the metrics endpoint");
    if (!listener) return listener.err();
    s->probe_lag();
    return std::unique_ptr<status_endpoint>(new status_endpoint(std::move(s), std::move(*listener)));
}

tcp::endpoint status_endpoint::local_endpoint() const {
    return listener_->local_endpoint();
}

void status_endpoint::stop() {
    if (state_->stopped) return;
    state_->stopped = true;
    state_->lag_timer.cancel();
    listener_->stop();
}

}  // namespace newswatch::service
