#include "newswatch/sinks/chat_http_sink.hpp"

#include <cmath>

#include <boost/json.hpp>

#include "newswatch/config/config.hpp"
#include "newswatch/config/config_error.hpp"
#include "newswatch/config/secret_file.hpp"
#include "newswatch/sinks/http_delivery.hpp"

namespace newswatch::sinks {

namespace {

// Discord: {"retry_after": 1.5, ...}; Telegram: {"parameters": {"retry_after": 7}, ...}.
std::optional<core::seconds> retry_after_in_body(std::string_view body) {
    boost::system::error_code ec;
    const auto root = boost::json::parse(body, ec);
    if (ec || !root.is_object()) return std::nullopt;
    const boost::json::value* v = root.as_object().if_contains("retry_after");
    if (v == nullptr)
        if (const auto* p = root.as_object().if_contains("parameters"); p != nullptr && p->is_object())
            v = p->as_object().if_contains("retry_after");
    if (v == nullptr || !v->is_number()) return std::nullopt;
    const double seconds = v->to_number<double>();
    if (!(seconds >= 0) || seconds > 86400) return std::nullopt;
    return core::seconds{static_cast<long long>(std::ceil(seconds))};
}

}  // namespace

chat_http_sink::chat_http_sink(std::string name, http::http_client* client, endpoint endpoint)
    : push_api_sink(std::move(name), client, endpoint.shown_url.empty() ? endpoint.url : endpoint.shown_url),
      endpoint_(std::move(endpoint)) {}

http::http_request chat_http_sink::request_for(const delivery_message& message) const {
    http::http_request r;
    r.method = "POST";
    r.url = endpoint_.url;
    r.body = body_for(make_alert_view(message.event, message.id, message.payload));
    r.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
    r.timeout = endpoint_.timeout;
    r.verify_tls = endpoint_.verify_tls;
    r.ca_file = endpoint_.ca_file;
    return r;
}

delivery_result chat_http_sink::result_of(const http::http_response& response) const {
    auto result = push_api_sink::result_of(response);
    if (response.status == 429 && !result.retry_after)
        result.retry_after = retry_after_in_body(response.body);
    return result;
}

chat_http_sink::endpoint chat_webhook_endpoint(const config::sink_config& config) {
    const auto& o = std::get<config::chat_webhook_sink_options>(config.options);
    const std::string where = config.where.to_string() + ": sink '" + config.name + "'";
    chat_http_sink::endpoint e;
    e.url = o.url_file ? config::read_secret_file(*o.url_file, where + " url_file") : o.url;
    if (!e.url.starts_with("http://") && !e.url.starts_with("https://"))
        throw config::config_error(where + ": url_file " + o.url_file->string() +
                                   " must hold an http:// or https:// URL");
    e.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(o.timeout);
    e.verify_tls = o.verify_tls;
    if (o.ca_file) e.ca_file = o.ca_file->string();
    return e;
}

}  // namespace newswatch::sinks
