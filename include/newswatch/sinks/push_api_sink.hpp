#pragma once
// The shared part of the channels that call a push or chat service's HTTP API on the
// daemon's curl multi (ntfy, Gotify, Pushover, Matrix, and through chat_http_sink the chat
// channels): one request per delivery, in-flight transfers cancelled on shutdown
// (http_transfers), the answer mapped by http_delivery_result (2xx delivered; 408, 429,
// 5xx and network failures retried; other 4xx permanent). A channel says which request a
// delivery is (request_for) and may read its service's answer further (result_of).
// Details name the service's origin only, never a token.
#include <chrono>
#include <string>

#include "newswatch/core/lifetime_token.hpp"
#include "newswatch/http/http_client.hpp"
#include "newswatch/sinks/alert_sink.hpp"
#include "newswatch/sinks/http_transfers.hpp"

namespace newswatch::config {
struct push_http_options;
}

namespace newswatch::sinks {

// The transport settings of one channel's requests.
struct push_http_settings {
    std::chrono::milliseconds timeout{10'000};
    bool verify_tls = true;
    std::string ca_file;  // empty: the system's CA bundle

    static push_http_settings from(const config::push_http_options& options);
    void apply(http::http_request& request) const;
};

class push_api_sink : public alert_sink {
public:
    // `client` must outlive the sink (or cancel_all() must have run); it may be null
    // (`newswatch check`), and then every delivery is retried. Details and logs show
    // url_origin_for_log(service_url). Executor thread only.
    push_api_sink(std::string name, http::http_client* client, std::string service_url);
    ~push_api_sink() override;
    void cancel_all() noexcept override;

    // The request deliver_ sends for `message` (tests look at it).
    virtual http::http_request request_for(const delivery_message& message) const = 0;

protected:
    void deliver_(const delivery_message& message, completion done) final;
    // How the service's answer becomes a result; the default is http_delivery_result.
    virtual delivery_result result_of(const http::http_response& response) const;
    // "https://host" of the service: what details and logs show.
    const std::string& shown_url() const noexcept { return shown_url_; }

private:
    std::string shown_url_;
    http_transfers transfers_;
    core::lifetime_token lifetime_;  // last: completions check it before calling result_of
};

// The base URL of a service as configured, without a trailing '/'.
std::string without_trailing_slash(std::string url);

}  // namespace newswatch::sinks
