#pragma once
// The `webhook` channel: POSTs each delivery to a URL on the shared HTTP client
// (docs/CONFIG.md, "webhook"). Body: the payload JSON as is (format "json") or
// a `{{field}}` template (format "template"). Headers: Content-Type,
// X-Newswatch-Id, X-Newswatch-Event, with a secret X-Newswatch-Signature:
// sha256=<hex HMAC-SHA256 of the exact body>, then the configured ones.
// Results: see http_delivery.hpp.
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "newswatch/http/http_client.hpp"
#include "newswatch/sinks/alert_sink.hpp"
#include "newswatch/sinks/http_transfers.hpp"
#include "newswatch/sinks/text_template.hpp"

namespace newswatch::config {
struct sink_config;
}

namespace newswatch::sinks {

struct sink_context;

class webhook_sink final : public alert_sink {
public:
    struct settings {
        std::string url;
        std::optional<text_template> body_template;  // nullopt: the payload JSON
        std::string content_type = "application/json";
        std::vector<std::pair<std::string, std::string>> headers;
        std::string secret;  // empty: no signature
        bool follow_redirects = false;
        std::chrono::milliseconds timeout{10'000};
        bool verify_tls = true;
        std::string ca_file;
    };

    // `client` must outlive the sink (or cancel_all() must have run). Executor
    // thread only.
    webhook_sink(std::string name, http::http_client* client, settings settings);
    ~webhook_sink() override;

    std::string_view type() const noexcept override { return "webhook"; }
    void cancel_all() noexcept override;

    // The request deliver_ sends for `message` (tests and the benchmark look at
    // it).
    http::http_request request_for(const delivery_message& message) const;

protected:
    void deliver_(const delivery_message& message, completion done) override;

private:
    settings settings_;
    std::string shown_url_;  // scheme://host: what logs and details show
    http_transfers transfers_;
};

// From a [[sink]] of type "webhook": reads url_file, secret_file and
// template_file. Throws config::config_error (startup only).
std::unique_ptr<alert_sink> make_webhook_sink(const config::sink_config& config, const sink_context& context);

}  // namespace newswatch::sinks
