#include "newswatch/sinks/pushover_sink.hpp"

#include "newswatch/config/config.hpp"
#include "newswatch/config/secret_file.hpp"
#include "newswatch/sinks/alert_view.hpp"
#include "newswatch/sinks/push_text.hpp"

namespace newswatch::sinks {

int pushover_sink::priority_of(std::string_view priority) noexcept {
    if (priority == "high") return 1;
    if (priority == "low") return -1;
    return 0;
}

pushover_sink::pushover_sink(std::string name, http::http_client* client, settings settings)
    : push_api_sink(std::move(name), client, settings.api_base), settings_(std::move(settings)) {
    settings_.api_base = without_trailing_slash(settings_.api_base);
}

http::http_request pushover_sink::request_for(const delivery_message& message) const {
    const alert_view v = make_alert_view(message.event, message.id, message.payload);
    const bool url_field = !v.link.empty() && text_length(v.link, length_unit::code_points) <= max_url_chars;
    std::string body =
        "token=" + percent_encoded(settings_.token) + "&user=" + percent_encoded(settings_.user_key);
    auto add = [&](std::string_view key, std::string_view value) {
        body.append("&").append(key).append("=").append(percent_encoded(value));
    };
    add("title", cut_text(v.title, {.max = max_title_chars, .unit = length_unit::code_points}));
    add("message", push_body(v, {.limit = {.max = max_message_chars, .unit = length_unit::code_points},
                                 .without_link = url_field}));
    if (url_field) {
        add("url", v.link);
        add("url_title", cut_text(v.title, {.max = max_url_title_chars, .unit = length_unit::code_points}));
    }
    add("priority", std::to_string(priority_of(v.priority)));
    http::http_request r;
    r.method = "POST";
    r.url = settings_.api_base + "/1/messages.json";
    r.body = std::move(body);
    r.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    settings_.http.apply(r);
    return r;
}

std::unique_ptr<alert_sink> make_pushover_sink(const config::sink_config& config,
                                               const sink_context& context) {
    const auto& o = std::get<config::pushover_sink_options>(config.options);
    const std::string where = config.where.to_string() + ": sink '" + config.name + "'";
    pushover_sink::settings s;
    s.api_base = o.api_base;
    s.user_key = config::read_secret_file(o.user_key_file, where + " user_key_file");
    s.token = config::read_secret_file(o.token_file, where + " token_file");
    s.http = push_http_settings::from(o.http);
    return std::make_unique<pushover_sink>(config.name, context.http, std::move(s));
}

}  // namespace newswatch::sinks
