#pragma once
// What the HTTP chat channels (slack, discord, mattermost, teams, telegram; issue #12)
// share beyond push_api_sink (one request per delivery, in-flight transfers, the answer
// mapped by http_delivery_result): a JSON POST of the body a channel renders, and a 429's
// wait taken, where the service puts it in the body instead of Retry-After, from
// "retry_after" (Discord) or "parameters.retry_after" (Telegram). Logs and details show
// the endpoint's scheme and host only: the rest of a webhook URL, and a Telegram bot token
// in the path, are secrets.
#include <chrono>
#include <string>

#include "newswatch/http/http_client.hpp"
#include "newswatch/sinks/alert_view.hpp"
#include "newswatch/sinks/push_api_sink.hpp"

namespace newswatch::config {
struct sink_config;
}

namespace newswatch::sinks {

struct sink_context;

class chat_http_sink : public push_api_sink {
public:
    struct endpoint {
        std::string url;        // where to POST (a secret)
        std::string shown_url;  // "" = url_origin_for_log(url)
        std::chrono::milliseconds timeout{10'000};
        bool verify_tls = true;
        std::string ca_file;
    };

    // `client` must outlive the sink (or cancel_all() must have run). Executor thread only.
    chat_http_sink(std::string name, http::http_client* client, endpoint endpoint);

    // The request deliver_ sends for `message` (tests look at it).
    http::http_request request_for(const delivery_message& message) const final;
    // The JSON body for one delivery, rendered from its display fields.
    virtual std::string body_for(const alert_view& view) const = 0;

protected:
    delivery_result result_of(const http::http_response& response) const final;

private:
    endpoint endpoint_;
};

// The endpoint of a [[sink]] of type slack, discord, mattermost or teams: `url`, or the
// first line of `url_file` (read here). Throws config::config_error (startup only).
chat_http_sink::endpoint chat_webhook_endpoint(const config::sink_config& config);

}  // namespace newswatch::sinks
