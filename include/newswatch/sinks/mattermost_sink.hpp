#pragma once
// The `mattermost` channel: a markdown post to a Mattermost incoming webhook
// (https://developers.mattermost.com/integrate/webhooks/incoming/), <= 16,383 characters,
// optional username and channel. Feed text is markdown-escaped, &, <, > as entities (the
// webhook turns Slack-style <!channel> and <url|text> into mentions and links), and
// @channel, @all, @here, @someone made inert.
#include <memory>
#include <string>

#include "newswatch/sinks/chat_http_sink.hpp"

namespace newswatch::sinks {

class mattermost_sink final : public chat_http_sink {
public:
    struct settings {
        std::string username;  // "" = the webhook's own name
        std::string channel;   // "" = the webhook's channel
    };
    mattermost_sink(std::string name, http::http_client* client, endpoint endpoint, settings settings = {});

    std::string_view type() const noexcept override { return "mattermost"; }
    std::string body_for(const alert_view& view) const override;

private:
    settings settings_;
};

// From a [[sink]] of type "mattermost". Throws config::config_error (startup only).
std::unique_ptr<alert_sink> make_mattermost_sink(const config::sink_config& config,
                                                 const sink_context& context);

}  // namespace newswatch::sinks
