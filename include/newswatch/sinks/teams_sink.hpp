#pragma once
// The `teams` channel: an Adaptive Card to a Microsoft Teams "Workflows" (Power Automate)
// webhook
// (https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/add-incoming-webhook):
// {"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive",
// "content":<card>}]}, TextBlocks and a FactSet with the text escaped for the card's markdown,
// an Action.OpenUrl to the story, well under the 28 KB message limit. A Workflow answers
// 202 Accepted: any 2xx is delivered.
#include <memory>
#include <string>

#include "newswatch/sinks/chat_http_sink.hpp"

namespace newswatch::sinks {

class teams_sink final : public chat_http_sink {
public:
    teams_sink(std::string name, http::http_client* client, endpoint endpoint);

    std::string_view type() const noexcept override { return "teams"; }
    std::string body_for(const alert_view& view) const override;
};

// From a [[sink]] of type "teams". Throws config::config_error (startup only).
std::unique_ptr<alert_sink> make_teams_sink(const config::sink_config& config, const sink_context& context);

}  // namespace newswatch::sinks
