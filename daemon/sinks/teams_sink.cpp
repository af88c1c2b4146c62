#include "newswatch/sinks/teams_sink.hpp"

#include <boost/json.hpp>

#include "newswatch/config/config.hpp"
#include "newswatch/sinks/alert_text.hpp"
#include "newswatch/sinks/chat_markup.hpp"
#include "newswatch/sinks/sink_context.hpp"

namespace newswatch::sinks {

namespace json = boost::json;

namespace {

constexpr std::size_t title_limit = 500, fact_limit = 500, summary_limit = 2000, entry_part_limit = 200;
constexpr std::size_t max_listed = 20;
// Teams refuses messages over about 28 KB; the card stays well below.
constexpr std::size_t max_body_bytes = 24 * 1024;

json::object text_block(std::string text) {
    return {{"type", "TextBlock"}, {"text", std::move(text)}, {"wrap", true}};
}

std::string render(const alert_view& v, std::size_t listed) {
    json::array body;
    auto title = text_block(cut_to_fit(v.title, title_limit, markdown_escaped));
    title["weight"] = "Bolder";
    title["size"] = "Medium";
    if (v.urgent || v.priority == "high") title["color"] = "Attention";
    body.push_back(std::move(title));

    json::array facts;
    for (const auto& [label, value] : chat_facts(v))
        facts.push_back(
            json::object{{"title", label}, {"value", cut_to_fit(value, fact_limit, markdown_escaped)}});
    if (!facts.empty()) body.push_back(json::object{{"type", "FactSet"}, {"facts", std::move(facts)}});

    std::string summary = v.summary;
    if (!v.message.empty() && v.message != v.title) summary += (summary.empty() ? "" : " ") + v.message;
    if (!summary.empty()) body.push_back(text_block(cut_to_fit(summary, summary_limit, markdown_escaped)));

    std::size_t shown = 0;
    for (const auto& e : v.entries) {
        if (shown == listed) break;
        const std::string t = cut_to_fit(e.title, entry_part_limit, markdown_escaped);
        const std::string target = link_target(e.link);
        std::string line = "- " + (target.empty() ? t : "[" + t + "](" + target + ")");
        if (const auto details = alert_entry_details(e); !details.empty())
            line += " \u2014 " + cut_to_fit(details, entry_part_limit, markdown_escaped);
        auto block = text_block(std::move(line));
        block["spacing"] = "Small";
        body.push_back(std::move(block));
        ++shown;
    }
    if (const auto more = entries_not_shown(v, shown); more > 0) body.push_back(text_block(more_line(more)));
    auto footer = text_block(markdown_escaped("newswatch " + v.event + " " + v.id));
    footer["isSubtle"] = true;
    footer["size"] = "Small";
    body.push_back(std::move(footer));

    json::object card{{"$schema", "http://adaptivecards.io/schemas/adaptive-card.json"},
                      {"type", "AdaptiveCard"},
                      {"version", "1.4"},
                      {"body", std::move(body)},
                      {"msteams", json::object{{"width", "Full"}}}};
    if (const auto target = link_target(v.link); !target.empty())
        card["actions"] = json::array{
            json::object{{"type", "Action.OpenUrl"}, {"title", "Open the story"}, {"url", target}}};
    json::object message{
        {"type", "message"},
        {"attachments", json::array{json::object{{"contentType", "application/vnd.microsoft.card.adaptive"},
                                                 {"contentUrl", nullptr},
                                                 {"content", std::move(card)}}}}};
    return json::serialize(message);
}

}  // namespace

teams_sink::teams_sink(std::string name, http::http_client* client, endpoint endpoint)
    : chat_http_sink(std::move(name), client, std::move(endpoint)) {}

std::string teams_sink::body_for(const alert_view& v) const {
    // Fewer stories until the card fits (long links can make each one large).
    std::size_t listed = std::min(v.entries.size(), max_listed);
    std::string out = render(v, listed);
    while (out.size() > max_body_bytes && listed > 0) out = render(v, --listed);
    return out;
}

std::unique_ptr<alert_sink> make_teams_sink(const config::sink_config& config, const sink_context& context) {
    return std::make_unique<teams_sink>(config.name, context.http, chat_webhook_endpoint(config));
}

}  // namespace newswatch::sinks
