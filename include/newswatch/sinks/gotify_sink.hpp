#pragma once
// The `gotify` channel (https://gotify.net/docs/pushmsg, extras:
// https://gotify.net/docs/msgextras): POST {server}/message with the application token in
// the X-Gotify-Key header and a JSON body {title, message, priority, extras}. The message
// is shown as plain text ("client::display": {"contentType": "text/plain"}), so nothing
// in it is markdown; the item's link opens on a click ("client::notification": {"click":
// {"url"}}). Priority: high 8, default 5, low 2.
#include <memory>
#include <string>

#include "newswatch/sinks/push_api_sink.hpp"
#include "newswatch/sinks/sink_context.hpp"

namespace newswatch::config {
struct sink_config;
}

namespace newswatch::sinks {

class gotify_sink final : public push_api_sink {
public:
    struct settings {
        std::string server;
        std::string token;
        push_http_settings http;
    };
    // Gotify documents no limit; these keep a phone notification readable.
    static constexpr std::size_t max_title_chars = 250;
    static constexpr std::size_t max_message_chars = 4000;

    gotify_sink(std::string name, http::http_client* client, settings settings);
    std::string_view type() const noexcept override { return "gotify"; }
    http::http_request request_for(const delivery_message& message) const override;

    // 8 high, 5 default, 2 low.
    static int priority_of(std::string_view priority) noexcept;

private:
    settings settings_;
};

std::unique_ptr<alert_sink> make_gotify_sink(const config::sink_config& config, const sink_context& context);

}  // namespace newswatch::sinks
