#pragma once
// The `smtp` channel: one e-mail per delivery through libcurl's SMTP, run on
// the shared curl multi (never blocking the loop). The message is
// multipart/alternative text + HTML (alert_text), with a Message-ID derived
// from the alert id (mail_message). Results: the server's 5xx is permanent;
// 4xx, TLS and network failures retry.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "newswatch/core/lifetime_token.hpp"
#include "newswatch/http/http_client.hpp"
#include "newswatch/sinks/alert_sink.hpp"
#include "newswatch/sinks/text_template.hpp"

namespace newswatch::config {
struct sink_config;
}

namespace newswatch::sinks {

struct sink_context;

class smtp_sink final : public alert_sink {
public:
    enum class starttls_mode { auto_, always, never };
    struct settings {
        std::string url;  // smtps://host:465 (TLS from the start) or smtp://host:587
        starttls_mode starttls = starttls_mode::auto_;
        std::string username;  // empty: no AUTH
        std::string password;
        std::string from;
        std::vector<std::string> to;
        text_template subject{"[newswatch] {{watch}}: {{title}}"};
        bool verify_tls = true;
        std::string ca_file;
        std::chrono::milliseconds timeout{30'000};
    };

    // `client` must outlive the sink (or cancel_all() must have run). Executor
    // thread only.
    smtp_sink(std::string name, http::http_client* client, settings settings);
    ~smtp_sink() override;

    std::string_view type() const noexcept override { return "smtp"; }
    void cancel_all() noexcept override;

    // The message deliver_ sends for `message` (tests look at it).
    std::string message_for(const delivery_message& message) const;

protected:
    void deliver_(const delivery_message& message, completion done) override;

private:
    struct job;

    http::http_client* client_;
    settings settings_;
    std::string shown_url_;
    std::unordered_map<http::http_client::transfer_id, std::shared_ptr<job>> in_flight_;
    core::lifetime_token lifetime_;
};

// From a [[sink]] of type "smtp": reads password_file. Throws
// config::config_error.
std::unique_ptr<alert_sink> make_smtp_sink(const config::sink_config& config, const sink_context& context);

}  // namespace newswatch::sinks
