#include "newswatch/sinks/slack_sink.hpp"

#include <boost/json.hpp>

#include "newswatch/config/config.hpp"
#include "newswatch/sinks/alert_text.hpp"
#include "newswatch/sinks/chat_markup.hpp"
#include "newswatch/sinks/sink_context.hpp"

namespace newswatch::sinks {

namespace json = boost::json;

namespace {

// Block Kit limits (https://docs.slack.dev/reference/block-kit/blocks/header-block,
// .../section-block, .../context-block): header text 150, section text 3,000, a field
// 2,000 and 10 fields, 50 blocks in a message.
constexpr std::size_t header_limit = 150, section_limit = 3000, field_limit = 2000, max_blocks = 50;
// Stories listed as blocks of their own; the rest is "…and N more".
constexpr std::size_t max_listed = 40;

json::object plain(std::string text) {
    return {{"type", "plain_text"}, {"text", std::move(text)}};
}

json::object mrkdwn_link(const std::string& target, std::string_view label) {
    // The label is ours; the target is percent-encoded where it could end the link.
    return {{"type", "mrkdwn"}, {"text", "<" + slack_escaped(target) + "|" + std::string(label) + ">"}};
}

}  // namespace

slack_sink::slack_sink(std::string name, http::http_client* client, endpoint endpoint)
    : chat_http_sink(std::move(name), client, std::move(endpoint)) {}

std::string slack_sink::body_for(const alert_view& v) const {
    json::array blocks;
    const std::string header = cut_to_fit(v.title, header_limit, slack_escaped);
    blocks.push_back(json::object{{"type", "header"}, {"text", plain(header)}});

    // The whole title when the header had to cut it, then the summary (or the message).
    std::string text;
    if (header != slack_escaped(v.title)) text = cut_to_fit(v.title, section_limit / 3, slack_escaped);
    std::string body = v.summary;
    if (!v.message.empty() && v.message != v.title) body += (body.empty() ? "" : " ") + v.message;
    if (!body.empty()) {
        if (!text.empty()) text += "\n\n";
        text += cut_to_fit(body, section_limit - utf16_length(text), slack_escaped);
    }
    if (!text.empty()) blocks.push_back(json::object{{"type", "section"}, {"text", plain(std::move(text))}});

    json::array fields;
    for (const auto& [label, value] : chat_facts(v))
        fields.push_back(plain(cut_to_fit(label + ": " + value, field_limit, slack_escaped)));
    if (const auto target = link_target(v.link); !target.empty())
        fields.push_back(mrkdwn_link(target, "Open the story"));
    if (!fields.empty()) blocks.push_back(json::object{{"type", "section"}, {"fields", std::move(fields)}});

    // One section per story (its title and details, and its link), then "…and N more".
    const std::size_t room = max_blocks - blocks.size() - 2;  // the "more" line and the footer
    std::size_t shown = 0;
    for (const auto& e : v.entries) {
        if (shown == std::min(room, max_listed)) break;
        std::string line = e.title;
        if (const auto details = alert_entry_details(e); !details.empty()) line += " \u2014 " + details;
        json::array entry{plain(cut_to_fit(line, field_limit, slack_escaped))};
        if (const auto target = link_target(e.link); !target.empty())
            entry.push_back(mrkdwn_link(target, "Open"));
        blocks.push_back(json::object{{"type", "section"}, {"fields", std::move(entry)}});
        ++shown;
    }
    if (const auto more = entries_not_shown(v, shown); more > 0)
        blocks.push_back(
            json::object{{"type", "context"}, {"elements", json::array{plain(more_line(more))}}});
    blocks.push_back(json::object{
        {"type", "context"},
        {"elements",
         json::array{plain(cut_to_fit("newswatch " + v.event + " " + v.id, field_limit, slack_escaped))}}});

    // The fallback for notifications and clients without blocks.
    std::string fallback = v.title;
    if (const auto watches = v.watch_names(); !watches.empty()) fallback += " (" + watches + ")";
    return json::serialize(json::object{{"text", cut_to_fit(fallback, section_limit, slack_escaped)},
                                        {"blocks", std::move(blocks)}});
}

std::unique_ptr<alert_sink> make_slack_sink(const config::sink_config& config, const sink_context& context) {
    return std::make_unique<slack_sink>(config.name, context.http, chat_webhook_endpoint(config));
}

}  // namespace newswatch::sinks
