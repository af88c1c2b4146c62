#include "newswatch/sinks/mattermost_sink.hpp"

#include <boost/json.hpp>

#include "newswatch/config/config.hpp"
#include "newswatch/sinks/alert_text.hpp"
#include "newswatch/sinks/chat_markup.hpp"
#include "newswatch/sinks/sink_context.hpp"

namespace newswatch::sinks {

namespace json = boost::json;

namespace {

// A post's message holds at most 16,383 characters (Mattermost 5.0 and later).
constexpr std::size_t message_limit = 16383;
constexpr std::size_t title_limit = 1000, fact_limit = 1000, summary_limit = 4000, entry_part_limit = 300;

std::string linked(const std::string& text, std::string_view link) {
    const std::string target = link_target(link);
    return target.empty() ? text : "[" + text + "](" + target + ")";
}

}  // namespace

mattermost_sink::mattermost_sink(std::string name, http::http_client* client, endpoint endpoint,
                                 settings settings)
    : chat_http_sink(std::move(name), client, std::move(endpoint)), settings_(std::move(settings)) {}

std::string mattermost_sink::body_for(const alert_view& v) const {
    std::string text = "#### " + linked(cut_to_fit(v.title, title_limit, mattermost_escaped), v.link) + "\n";
    for (const auto& [label, value] : chat_facts(v))
        text += "**" + label + ":** " + cut_to_fit(value, fact_limit, mattermost_escaped) + "\n";
    std::string body = v.summary;
    if (!v.message.empty() && v.message != v.title) body += (body.empty() ? "" : " ") + v.message;
    if (!body.empty()) text += "\n" + cut_to_fit(body, summary_limit, mattermost_escaped) + "\n";
    const std::string footer =
        "\n_newswatch " + mattermost_escaped(v.event) + " " + mattermost_escaped(v.id) + "_";
    if (!v.entries.empty() || entries_not_shown(v, 0) > 0) {
        std::vector<std::string> items;
        for (const auto& e : v.entries) {
            std::string line =
                "- " + linked(cut_to_fit(e.title, entry_part_limit, mattermost_escaped), e.link);
            if (const auto details = alert_entry_details(e); !details.empty())
                line += " \u2014 " + cut_to_fit(details, entry_part_limit, mattermost_escaped);
            items.push_back(std::move(line));
        }
        const std::size_t used = utf16_length(text) + utf16_length(footer) + 1;
        text += "\n" + list_within(items, entries_not_shown(v, v.entries.size()),
                                   message_limit > used ? message_limit - used : 0, "\n", more_line);
        text += "\n";
    }
    text += footer;

    json::object post{{"text", std::move(text)}};
    if (!settings_.username.empty()) post["username"] = settings_.username;
    if (!settings_.channel.empty()) post["channel"] = settings_.channel;
    return json::serialize(post);
}

std::unique_ptr<alert_sink> make_mattermost_sink(const config::sink_config& config,
                                                 const sink_context& context) {
    const auto& o = std::get<config::chat_webhook_sink_options>(config.options);
    return std::make_unique<mattermost_sink>(
        config.name, context.http, chat_webhook_endpoint(config),
        mattermost_sink::settings{.username = o.username, .channel = o.channel});
}

}  // namespace newswatch::sinks
