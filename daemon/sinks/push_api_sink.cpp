#include "newswatch/sinks/push_api_sink.hpp"

#include "newswatch/config/config.hpp"
#include "newswatch/sinks/http_delivery.hpp"

namespace newswatch::sinks {

push_http_settings push_http_settings::from(const config::push_http_options& options) {
    push_http_settings s;
    s.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(options.timeout);
    s.verify_tls = options.verify_tls;
    if (options.ca_file) s.ca_file = options.ca_file->string();
    return s;
}

void push_http_settings::apply(http::http_request& request) const {
    request.timeout = timeout;
    request.verify_tls = verify_tls;
    request.ca_file = ca_file;
    request.follow_redirects = false;  // a redirect would carry the token elsewhere
}

push_api_sink::push_api_sink(std::string name, http::http_client* client, std::string service_url)
    : alert_sink(std::move(name)), shown_url_(url_origin_for_log(service_url)), transfers_(client) {}

push_api_sink::~push_api_sink() {
    cancel_all();
}

delivery_result push_api_sink::result_of(const http::http_response& response) const {
    return http_delivery_result(response, shown_url_);
}

void push_api_sink::deliver_(const delivery_message& message, completion done) {
    transfers_.start(
        request_for(message),
        [this, alive = lifetime_.watch(), shown = shown_url_](const http::http_response& response) {
            // A completion queued before the sink went away must not touch it.
            return alive.expired() ? http_delivery_result(response, shown) : result_of(response);
        },
        std::move(done));
}

void push_api_sink::cancel_all() noexcept {
    transfers_.cancel_all();
}

std::string without_trailing_slash(std::string url) {
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url;
}

}  // namespace newswatch::sinks
