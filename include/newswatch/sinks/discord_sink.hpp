#pragma once
// The `discord` channel: one embed per message to a Discord webhook
// (https://discord.com/developers/docs/resources/webhook#execute-webhook): title (<= 256)
// linking to the story, description (<= 4,096) with the summary or the list of stories,
// fields (name <= 256, value <= 1,024), a footer (<= 2,048), <= 6,000 characters in all;
// `allowed_mentions: {"parse": []}` so nothing pings, and Discord markdown escaped with
// mentions made inert as well. A 429 waits for Retry-After / retry_after.
#include <memory>
#include <string>

#include "newswatch/sinks/chat_http_sink.hpp"

namespace newswatch::sinks {

class discord_sink final : public chat_http_sink {
public:
    struct settings {
        std::string username;  // "" = the webhook's own name
    };
    discord_sink(std::string name, http::http_client* client, endpoint endpoint, settings settings = {});

    std::string_view type() const noexcept override { return "discord"; }
    std::string body_for(const alert_view& view) const override;

private:
    settings settings_;
};

// From a [[sink]] of type "discord". Throws config::config_error (startup only).
std::unique_ptr<alert_sink> make_discord_sink(const config::sink_config& config, const sink_context& context);

}  // namespace newswatch::sinks
