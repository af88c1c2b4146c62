#pragma once
// The `slack` channel: Block Kit messages to a Slack incoming webhook
// (https://api.slack.com/messaging/webhooks). A header
// block (plain_text, <= 150 characters) with the title, section blocks (text <= 3,000,
// fields <= 2,000, <= 10 fields) with the summary, the facts and the link, one section per
// listed story, <= 50 blocks, and a top-level `text` for notifications. Text from a feed is
// only ever in plain_text objects, escaped (&, <, >) with mentions made inert; the mrkdwn
// fields hold only our labels and links.
#include <memory>
#include <string>

#include "newswatch/sinks/chat_http_sink.hpp"

namespace newswatch::sinks {

class slack_sink final : public chat_http_sink {
public:
    slack_sink(std::string name, http::http_client* client, endpoint endpoint);

    std::string_view type() const noexcept override { return "slack"; }
    std::string body_for(const alert_view& view) const override;
};

// From a [[sink]] of type "slack". Throws config::config_error (startup only).
std::unique_ptr<alert_sink> make_slack_sink(const config::sink_config& config, const sink_context& context);

}  // namespace newswatch::sinks
