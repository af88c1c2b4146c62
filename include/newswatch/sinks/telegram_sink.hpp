#pragma once
// The `telegram` channel: the Bot API's sendMessage
// (https://core.telegram.org/bots/api#sendmessage) at {api_base}/bot<token>/sendMessage,
// parse_mode HTML with Telegram's escaping (&, <, >, " as entities), at most 4,096
// characters after entities parsing, link previews off unless asked, low-priority alerts
// sent silently (disable_notification). A 429 waits for parameters.retry_after. The token
// is in the URL's path: logs and details show the API's scheme and host only.
#include <memory>
#include <string>

#include "newswatch/sinks/chat_http_sink.hpp"

namespace newswatch::sinks {

class telegram_sink final : public chat_http_sink {
public:
    struct settings {
        std::string chat_id;  // -1001234567890 or @channelusername
        bool link_preview = false;
    };
    // `endpoint.url` is the full sendMessage URL (token included); its shown_url the API base.
    telegram_sink(std::string name, http::http_client* client, endpoint endpoint, settings settings);

    std::string_view type() const noexcept override { return "telegram"; }
    std::string body_for(const alert_view& view) const override;

private:
    settings settings_;
};

// From a [[sink]] of type "telegram": reads bot_token_file. Throws config::config_error
// (startup only).
std::unique_ptr<alert_sink> make_telegram_sink(const config::sink_config& config,
                                               const sink_context& context);

}  // namespace newswatch::sinks
