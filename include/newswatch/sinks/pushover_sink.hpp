#pragma once
// The `pushover` channel (https://pushover.net/api): POST {api_base}/1/messages.json,
// form-encoded: token, user, title (at most 250 characters), message (at most 1,024),
// url (at most 512; a longer link is left out of this field) and url_title (at most 100),
// priority high 1, default 0, low -1. The message is plain text (no `html=1`), so
// nothing in it is markup. Pushover answers 4xx for a request it will never accept
// (permanent) and 429 or 5xx when it should be sent again later (retry).
#include <memory>
#include <string>

#include "newswatch/sinks/push_api_sink.hpp"
#include "newswatch/sinks/sink_context.hpp"

namespace newswatch::config {
struct sink_config;
}

namespace newswatch::sinks {

class pushover_sink final : public push_api_sink {
public:
    struct settings {
        std::string api_base = "https://api.pushover.net";
        std::string user_key;
        std::string token;
        push_http_settings http;
    };
    static constexpr std::size_t max_title_chars = 250;
    static constexpr std::size_t max_message_chars = 1024;
    static constexpr std::size_t max_url_chars = 512;
    static constexpr std::size_t max_url_title_chars = 100;

    pushover_sink(std::string name, http::http_client* client, settings settings);
    std::string_view type() const noexcept override { return "pushover"; }
    http::http_request request_for(const delivery_message& message) const override;

    // 1 high, 0 default, -1 low (2, emergency, needs acknowledgement: not used).
    static int priority_of(std::string_view priority) noexcept;

private:
    settings settings_;
};

std::unique_ptr<alert_sink> make_pushover_sink(const config::sink_config& config,
                                               const sink_context& context);

}  // namespace newswatch::sinks
