#include "newswatch/sinks/discord_sink.hpp"

#include <algorithm>
#include <cctype>

#include <boost/json.hpp>

#include "newswatch/config/config.hpp"
#include "newswatch/config/config_error.hpp"
#include "newswatch/sinks/alert_text.hpp"
#include "newswatch/sinks/chat_markup.hpp"
#include "newswatch/sinks/sink_context.hpp"

namespace newswatch::sinks {

namespace json = boost::json;

namespace {

// Embed limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits).
constexpr std::size_t title_limit = 256, description_limit = 4096, field_value_limit = 1024,
                      footer_limit = 2048, embed_limit = 6000;
// A listed story's title and details, so that a digest shows many stories.
constexpr std::size_t entry_part_limit = 200;

std::int64_t color_for(const alert_view& v) {
    if (v.urgent || v.priority == "high") return 0xE74C3C;  // red
    if (v.priority == "low") return 0x95A5A6;               // grey
    return 0x3498DB;                                        // blue
}

std::string entry_line(const alert_entry& e) {
    const std::string title = cut_to_fit(e.title, entry_part_limit, markdown_escaped);
    const std::string target = link_target(e.link);
    std::string line = "\u2022 " + (target.empty() ? title : "[" + title + "](" + target + ")");
    if (const auto details = alert_entry_details(e); !details.empty())
        line += " \u2014 " + cut_to_fit(details, entry_part_limit, markdown_escaped);
    return line;
}

}  // namespace

discord_sink::discord_sink(std::string name, http::http_client* client, endpoint endpoint, settings settings)
    : chat_http_sink(std::move(name), client, std::move(endpoint)), settings_(std::move(settings)) {}

std::string discord_sink::body_for(const alert_view& v) const {
    json::object embed;
    const std::string title = cut_to_fit(v.title, title_limit, markdown_escaped);
    std::size_t used = utf16_length(title);
    embed["title"] = title;
    if (const auto target = link_target(v.link); !target.empty()) embed["url"] = target;
    embed["color"] = color_for(v);

    json::array fields;
    for (const auto& [label, value] : chat_facts(v)) {
        const std::string text = cut_to_fit(value, field_value_limit, markdown_escaped);
        used += utf16_length(label) + utf16_length(text);
        fields.push_back(json::object{{"name", label}, {"value", text}, {"inline", label != "Stance"}});
    }
    // The footer is shown as is (no markdown) and holds only our own words.
    const std::string footer = cut_to_fit("newswatch " + v.event + " " + v.id, footer_limit, nullptr);
    used += utf16_length(footer);

    // The description gets what is left of the 6,000: the summary, then the stories.
    const std::size_t budget = std::min(description_limit, embed_limit > used ? embed_limit - used : 0);
    std::string body = v.summary;
    if (!v.message.empty() && v.message != v.title) body += (body.empty() ? "" : " ") + v.message;
    std::string description = cut_to_fit(body, v.entries.empty() ? budget : budget / 3, markdown_escaped);
    if (!v.entries.empty() || entries_not_shown(v, 0) > 0) {
        std::vector<std::string> items;
        for (const auto& e : v.entries) items.push_back(entry_line(e));
        const std::size_t gap = description.empty() ? 0 : 2;
        const std::size_t left =
            budget > utf16_length(description) + gap ? budget - utf16_length(description) - gap : 0;
        const std::string list =
            list_within(items, entries_not_shown(v, v.entries.size()), left, "\n", more_line);
        if (!description.empty()) description += "\n\n";
        description += list;
    }
    if (!description.empty()) embed["description"] = description;
    if (!fields.empty()) embed["fields"] = std::move(fields);
    embed["footer"] = json::object{{"text", footer}};

    json::object message;
    if (!settings_.username.empty()) message["username"] = settings_.username;
    message["embeds"] = json::array{std::move(embed)};
    // Nothing in the message may ping: no @everyone, @here, role or user mentions.
    message["allowed_mentions"] = json::object{{"parse", json::array{}}};
    return json::serialize(message);
}

std::unique_ptr<alert_sink> make_discord_sink(const config::sink_config& config,
                                              const sink_context& context) {
    const auto& o = std::get<config::chat_webhook_sink_options>(config.options);
    // Discord refuses (400) a username over 80 characters or containing "discord" or "clyde".
    std::string lower = o.username;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    if (utf16_length(o.username) > 80 || lower.find("discord") != std::string::npos ||
        lower.find("clyde") != std::string::npos)
        throw config::config_error(config.where.to_string() + ": sink '" + config.name +
                                   "': username must have at most 80 characters and not contain "
                                   "\"discord\" or \"clyde\" (Discord refuses such names)");
    return std::make_unique<discord_sink>(config.name, context.http, chat_webhook_endpoint(config),
                                          discord_sink::settings{.username = o.username});
}

}  // namespace newswatch::sinks
