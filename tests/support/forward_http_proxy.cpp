#include "forward_http_proxy.hpp"

#include <optional>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

namespace newswatch::testing {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

struct absolute_target {
    std::string host;  // without brackets
    std::string port;
    std::string path;  // origin-form
};

std::optional<absolute_target> split(std::string_view target) {
    constexpr std::string_view scheme = "http://";
    if (!target.starts_with(scheme)) return std::nullopt;
    target.remove_prefix(scheme.size());
    const auto slash = target.find('/');
    std::string_view authority = target.substr(0, slash);
    absolute_target out;
    out.path = slash == std::string_view::npos ? "/" : std::string(target.substr(slash));
    out.port = "80";
    if (authority.starts_with('[')) {  // [v6]:port
        const auto close = authority.find(']');
        if (close == std::string_view::npos) return std::nullopt;
        out.host = std::string(authority.substr(1, close - 1));
        if (close + 1 < authority.size() && authority[close + 1] == ':')
            out.port = std::string(authority.substr(close + 2));
    } else {
        const auto colon = authority.rfind(':');
        out.host = std::string(authority.substr(0, colon));
        if (colon != std::string_view::npos) out.port = std::string(authority.substr(colon + 1));
    }
    if (out.host.empty()) return std::nullopt;
    return out;
}

}  // namespace

forward_http_proxy::forward_http_proxy(const std::string& address) : server_(address) {
    server_.on_unmatched([forwarded = forwarded_](const http_request& req) -> http_response {
        auto target = split(req.target());
        if (req.method() != http::verb::get || !target)
            return http_test_server::make_response(501, "only absolute-form GET is proxied\n");
        ++*forwarded;
        asio::io_context io;
        tcp::resolver resolver(io);
        boost::system::error_code ec;
        auto endpoints = resolver.resolve(target->host, target->port, ec);
        if (ec) return http_test_server::make_response(502, "cannot resolve " + target->host + "\n");
        tcp::socket origin(io);
        asio::connect(origin, endpoints, ec);
        if (ec) return http_test_server::make_response(502, "cannot connect to " + target->host + "\n");
        http_request forward = req;
        forward.target(target->path);
        forward.keep_alive(false);
        http::write(origin, forward, ec);
        boost::beast::flat_buffer buffer;
        http::response_parser<http::string_body> parser;
        parser.body_limit(64 * 1024 * 1024);
        http::read(origin, buffer, parser, ec);
        if (ec) return http_test_server::make_response(502, "bad answer from " + target->host + "\n");
        http_response res = parser.release();
        res.prepare_payload();
        return res;
    });
}

int forward_http_proxy::forwarded() const {
    return forwarded_->load();
}

}  // namespace newswatch::testing
