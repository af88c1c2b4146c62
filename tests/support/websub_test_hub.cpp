#include "websub_test_hub.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <random>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

namespace newswatch::testing {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

std::string percent_encode(const std::string& text) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

std::string percent_decode(const std::string& text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '+') {
            out += ' ';
        } else if (text[i] == '%' && i + 2 < text.size()) {
            out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

std::map<std::string, std::string> parse_form(const std::string& body) {
    std::map<std::string, std::string> out;
    std::size_t pos = 0;
    while (pos <= body.size()) {
        const auto amp = std::min(body.find('&', pos), body.size());
        const std::string pair = body.substr(pos, amp - pos);
        const auto eq = pair.find('=');
        if (!pair.empty())
            out[percent_decode(pair.substr(0, eq))] =
                eq == std::string::npos ? "" : percent_decode(pair.substr(eq + 1));
        pos = amp + 1;
    }
    return out;
}

std::string random_token() {
    std::random_device device;
    std::string out;
    for (int i = 0; i < 16; ++i) out += "0123456789abcdef"[device() % 16];
    return out;
}

}  // namespace

websub_test_hub::websub_test_hub() {
    server_.on("/hub", [this](const http_request& request) { return on_hub(request); });
}

websub_test_hub::~websub_test_hub() {
    for (;;) {  // a verification may start another one (a request that came meanwhile)
        std::vector<std::thread> threads;
        {
            std::lock_guard lock(mutex_);
            threads.swap(verifiers_);
        }
        if (threads.empty()) break;
        for (auto& t : threads)
            if (t.joinable()) t.join();
    }
}

void websub_test_hub::deny(std::string reason) {
    std::lock_guard lock(mutex_);
    deny_reason_ = std::move(reason);
}

std::optional<websub_test_hub::subscription> websub_test_hub::find(const std::string& topic) const {
    std::lock_guard lock(mutex_);
    auto it = subscriptions_.find(topic);
    if (it == subscriptions_.end()) return std::nullopt;
    return it->second;
}

http_response websub_test_hub::on_hub(const http_request& request) {
    if (request.method() != http::verb::post) return http_test_server::make_response(405, "POST only\n");
    const auto form = parse_form(request.body());
    const auto value = [&](const char* name) {
        auto it = form.find(name);
        return it == form.end() ? std::string() : it->second;
    };
    const std::string mode = value("hub.mode"), topic = value("hub.topic"), callback = value("hub.callback");
    if ((mode != "subscribe" && mode != "unsubscribe") || topic.empty() || callback.rfind("http", 0) != 0)
        return http_test_server::make_response(400, "hub.mode, hub.topic and hub.callback are required\n");
    {
        std::lock_guard lock(mutex_);
        if (mode == "subscribe") {
            ++subscribe_requests_;
            subscription& s = subscriptions_[topic];
            // A renewal for the same callback keeps the verified state until re-verified.
            if (s.callback != callback) s = subscription{};
            s.topic = topic;
            s.callback = callback;
            s.secret = value("hub.secret");
            const long long asked =
                value("hub.lease_seconds").empty() ? 600 : std::stoll(value("hub.lease_seconds"));
            s.lease_seconds = lease_ > 0 ? lease_.load() : asked;
        } else {
            ++unsubscribe_requests_;
            if (!subscriptions_.contains(topic))
                return http_test_server::make_response(404, "no such subscription\n");
        }
    }
    verify_later(topic, mode);
    return http_test_server::make_response(202, "");
}

// §5.3: verification happens after the 202, from another thread, as a real hub does.
void websub_test_hub::verify_later(std::string topic, std::string mode) {
    std::lock_guard lock(mutex_);
    verifiers_.emplace_back([this, topic = std::move(topic), mode = std::move(mode)] {
        std::string callback;
        long long lease = 0;
        std::optional<std::string> denial;
        {
            std::lock_guard inner(mutex_);
            auto it = subscriptions_.find(topic);
            if (it == subscriptions_.end()) return;  // ended meanwhile
            callback = it->second.callback;
            lease = it->second.lease_seconds;
            denial = deny_reason_;
        }
        if (denial && mode == "subscribe") {
            (void)request("GET", callback + "?hub.mode=denied&hub.topic=" + percent_encode(topic) +
                                     "&hub.reason=" + percent_encode(*denial));
            std::lock_guard inner(mutex_);
            subscriptions_.erase(topic);
            return;
        }
        const std::string challenge = random_token();
        std::string target = callback + "?hub.mode=" + mode + "&hub.topic=" + percent_encode(topic) +
                             "&hub.challenge=" + challenge;
        if (mode == "subscribe") target += "&hub.lease_seconds=" + std::to_string(lease);
        const auto [status, body] = request("GET", target);
        const bool confirmed = status >= 200 && status < 300 && body == challenge;
        std::lock_guard inner(mutex_);
        auto it = subscriptions_.find(topic);
        if (it == subscriptions_.end() || it->second.callback != callback) return;
        if (mode == "unsubscribe") {
            if (confirmed) subscriptions_.erase(it);
        } else if (confirmed) {
            it->second.verified = true;
            ++it->second.verifications;
        }
    });
}

std::vector<int> websub_test_hub::publish(const std::string& topic, const std::string& body,
                                          const std::string& content_type, const std::string& method) {
    auto s = find(topic);
    if (!s || !s->verified) return {};
    return publish_with_signature(topic, body, signature(method, s->secret, body), content_type);
}

std::vector<int> websub_test_hub::publish_with_signature(const std::string& topic, const std::string& body,
                                                         const std::string& sig,
                                                         const std::string& content_type) {
    auto s = find(topic);
    if (!s || !s->verified) return {};
    std::vector<std::pair<std::string, std::string>> headers{
        {"Content-Type", content_type},
        {"Link", "<" + url() + ">; rel=\"hub\", <" + topic + ">; rel=\"self\""}};
    if (!sig.empty()) headers.emplace_back("X-Hub-Signature", sig);
    return {request("POST", s->callback, body, headers).first};
}

std::pair<int, std::string> websub_test_hub::verify(const std::string& callback, const std::string& mode,
                                                    const std::string& topic, long long lease_seconds) {
    return request("GET", callback + "?hub.mode=" + mode + "&hub.topic=" + percent_encode(topic) +
                              "&hub.challenge=" + random_token() +
                              "&hub.lease_seconds=" + std::to_string(lease_seconds));
}

std::string websub_test_hub::signature(const std::string& method, const std::string& secret,
                                       const std::string& body) {
    const EVP_MD* md = method == "sha1"     ? EVP_sha1()
                       : method == "sha384" ? EVP_sha384()
                       : method == "sha512" ? EVP_sha512()
                                            : EVP_sha256();
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(md, secret.data(), static_cast<int>(secret.size()),
         reinterpret_cast<const unsigned char*>(body.data()), body.size(), mac, &length);
    std::string out = method + "=";
    for (unsigned int i = 0; i < length; ++i) {
        out += "0123456789abcdef"[mac[i] >> 4];
        out += "0123456789abcdef"[mac[i] & 15];
    }
    return out;
}

std::pair<int, std::string> websub_test_hub::request(
    const std::string& method, const std::string& url, const std::string& body,
    const std::vector<std::pair<std::string, std::string>>& headers) {
    // http://HOST:PORT/target
    const auto host_start = url.find("://");
    if (host_start == std::string::npos) return {0, ""};
    const auto path_start = url.find('/', host_start + 3);
    const std::string authority = url.substr(host_start + 3, path_start - host_start - 3);
    const std::string target = path_start == std::string::npos ? "/" : url.substr(path_start);
    const auto colon = authority.rfind(':');
    const std::string host = authority.substr(0, colon);
    const std::string port = colon == std::string::npos ? "80" : authority.substr(colon + 1);
    try {
        asio::io_context io;
        tcp::resolver resolver(io);
        tcp::socket socket(io);
        asio::connect(socket, resolver.resolve(host, port));
        http::request<http::string_body> req(method == "POST" ? http::verb::post : http::verb::get, target,
                                             11);
        req.set(http::field::host, authority);
        req.set(http::field::user_agent, "websub-test-hub");
        for (const auto& [name, value] : headers) req.set(name, value);
        req.body() = body;
        req.prepare_payload();
        http::write(socket, req);
        boost::beast::flat_buffer buffer;
        http::response<http::string_body> res;
        http::read(socket, buffer, res);
        boost::system::error_code ignored;
        socket.shutdown(tcp::socket::shutdown_both, ignored);
        return {static_cast<int>(res.result_int()), res.body()};
    } catch (const std::exception&) {
        return {0, ""};
    }
}

}  // namespace newswatch::testing
