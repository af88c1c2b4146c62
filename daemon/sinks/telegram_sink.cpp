#include "newswatch/sinks/telegram_sink.hpp"

#include <boost/json.hpp>

#include "newswatch/config/config.hpp"
#include "newswatch/config/config_error.hpp"
#include "newswatch/config/secret_file.hpp"
#include "newswatch/sinks/alert_text.hpp"
#include "newswatch/sinks/chat_markup.hpp"
#include "newswatch/sinks/http_delivery.hpp"
#include "newswatch/sinks/sink_context.hpp"

namespace newswatch::sinks {

namespace json = boost::json;

namespace {

// "1-4096 characters after entities parsing": the visible text, not the HTML.
constexpr std::size_t message_limit = 4096;
constexpr std::size_t title_limit = 1024, fact_limit = 512, summary_limit = 1500, entry_part_limit = 200;

// A piece of visible text: cut, mentions made inert, then escaped for HTML.
struct piece {
    std::size_t visible = 0;
    std::string html;
};
piece text_piece(std::string_view text, std::size_t limit) {
    const std::string visible = cut_to_fit(text, limit, without_mentions);
    return {utf16_length(visible), html_escaped(visible)};
}

std::string anchor(const std::string& html, std::string_view link) {
    const std::string target = link_target(link);
    return target.empty() ? html : "<a href=\"" + html_escaped(target) + "\">" + html + "</a>";
}

}  // namespace

telegram_sink::telegram_sink(std::string name, http::http_client* client, endpoint endpoint,
                             settings settings)
    : chat_http_sink(std::move(name), client, std::move(endpoint)), settings_(std::move(settings)) {}

std::string telegram_sink::body_for(const alert_view& v) const {
    std::size_t visible = 0;
    const auto title = text_piece(v.title, title_limit);
    std::string text = "<b>" + anchor(title.html, v.link) + "</b>\n";
    visible += title.visible + 1;
    for (const auto& [label, value] : chat_facts(v)) {
        const auto p = text_piece(value, fact_limit);
        text += "<b>" + label + ":</b> " + p.html + "\n";
        visible += utf16_length(label) + 2 + p.visible + 1;
    }
    std::string body = v.summary;
    if (!v.message.empty() && v.message != v.title) body += (body.empty() ? "" : " ") + v.message;
    if (!body.empty()) {
        const auto p = text_piece(body, summary_limit);
        text += "\n" + p.html + "\n";
        visible += p.visible + 2;
    }
    const auto footer = text_piece("newswatch " + v.event + " " + v.id, 200);
    visible += footer.visible + 1;
    if (!v.entries.empty() || entries_not_shown(v, 0) > 0) {
        std::vector<std::string> items;
        for (const auto& e : v.entries) {
            std::string line = "\u2022 " + anchor(text_piece(e.title, entry_part_limit).html, e.link);
            if (const auto details = alert_entry_details(e); !details.empty())
                line += " \u2014 " + text_piece(details, entry_part_limit).html;
            items.push_back(std::move(line));
        }
        // The items are measured with their markup, which only leaves more room to spare.
        text += "\n" +
                list_within(items, entries_not_shown(v, v.entries.size()),
                            message_limit > visible + 2 ? message_limit - visible - 2 : 0, "\n", more_line) +
                "\n";
    }
    text += "\n<i>" + footer.html + "</i>";

    json::object message{{"chat_id", settings_.chat_id},
                         {"text", std::move(text)},
                         {"parse_mode", "HTML"},
                         {"link_preview_options", json::object{{"is_disabled", !settings_.link_preview}}}};
    // Telegram has no priority; a low-priority watch arrives without a sound.
    if (v.priority == "low" && !v.urgent) message["disable_notification"] = true;
    return json::serialize(message);
}

std::unique_ptr<alert_sink> make_telegram_sink(const config::sink_config& config,
                                               const sink_context& context) {
    const auto& o = std::get<config::telegram_sink_options>(config.options);
    const std::string where = config.where.to_string() + ": sink '" + config.name + "'";
    const std::string token = config::read_secret_file(o.bot_token_file, where + " bot_token_file");
    // A token is "<bot id>:<secret>"; anything that would change the URL's shape is refused.
    if (token.find_first_of("/?#% \t") != std::string::npos)
        throw config::config_error(where + ": bot_token_file " + o.bot_token_file.string() +
                                   " does not hold a bot token (such as 123456:ABC-DEF...)");
    chat_http_sink::endpoint e;
    e.url = o.api_base + "/bot" + token + "/sendMessage";
    e.shown_url = url_origin_for_log(o.api_base);
    e.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(o.timeout);
    e.verify_tls = o.verify_tls;
    if (o.ca_file) e.ca_file = o.ca_file->string();
    return std::make_unique<telegram_sink>(
        config.name, context.http, std::move(e),
        telegram_sink::settings{.chat_id = o.chat_id, .link_preview = o.link_preview});
}

}  // namespace newswatch::sinks
