#include "newswatch/sinks/gotify_sink.hpp"

#include <boost/json.hpp>

#include "newswatch/config/config.hpp"
#include "newswatch/config/secret_file.hpp"
#include "newswatch/sinks/alert_view.hpp"
#include "newswatch/sinks/push_text.hpp"

namespace newswatch::sinks {

int gotify_sink::priority_of(std::string_view priority) noexcept {
    if (priority == "high") return 8;
    if (priority == "low") return 2;
    return 5;
}

gotify_sink::gotify_sink(std::string name, http::http_client* client, settings settings)
    : push_api_sink(std::move(name), client, settings.server), settings_(std::move(settings)) {
    settings_.server = without_trailing_slash(settings_.server);
}

http::http_request gotify_sink::request_for(const delivery_message& message) const {
    const alert_view v = make_alert_view(message.event, message.id, message.payload);
    boost::json::object extras{{"client::display", {{"contentType", "text/plain"}}}};
    if (!v.link.empty()) extras["client::notification"] = {{"click", {{"url", v.link}}}};
    const boost::json::object body{
        {"title", cut_text(v.title, {.max = max_title_chars, .unit = length_unit::code_points})},
        {"message", push_body(v, {.limit = {.max = max_message_chars, .unit = length_unit::code_points}})},
        {"priority", priority_of(v.priority)},
        {"extras", extras}};
    http::http_request r;
    r.method = "POST";
    r.url = settings_.server + "/message";
    r.body = boost::json::serialize(body);
    r.headers.emplace_back("Content-Type", "application/json");
    r.headers.emplace_back("X-Gotify-Key", settings_.token);
    settings_.http.apply(r);
    return r;
}

std::unique_ptr<alert_sink> make_gotify_sink(const config::sink_config& config, const sink_context& context) {
    const auto& o = std::get<config::gotify_sink_options>(config.options);
    const std::string where = config.where.to_string() + ": sink '" + config.name + "'";
    gotify_sink::settings s;
    s.server = o.server;
    s.token = config::read_secret_file(o.token_file, where + " token_file");
    s.http = push_http_settings::from(o.http);
    return std::make_unique<gotify_sink>(config.name, context.http, std::move(s));
}

}  // namespace newswatch::sinks
