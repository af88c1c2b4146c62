#include "newswatch/sinks/matrix_sink.hpp"

#include <cmath>

#include <boost/json.hpp>

#include "newswatch/config/config.hpp"
#include "newswatch/config/secret_file.hpp"
#include "newswatch/sinks/alert_view.hpp"
#include "newswatch/sinks/push_text.hpp"

namespace newswatch::sinks {

std::string without_room_mention(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        out += text[i];
        if (text[i] != '@' || i + 5 > text.size()) continue;
        bool room = true;
        for (std::size_t k = 0; k < 4; ++k) room = room && (text[i + 1 + k] | 0x20) == "room"[k];
        if (room) out += "\u2060";
    }
    return out;
}

matrix_sink::matrix_sink(std::string name, http::http_client* client, settings settings)
    : push_api_sink(std::move(name), client, settings.homeserver), settings_(std::move(settings)) {
    settings_.homeserver = without_trailing_slash(settings_.homeserver);
}

http::http_request matrix_sink::request_for(const delivery_message& message) const {
    const alert_view v = make_alert_view(message.event, message.id, message.payload);
    const boost::json::object content{
        {"msgtype", settings_.msgtype},
        {"body", without_room_mention(push_body(
                     v, {.limit = {.max = max_body_bytes, .unit = length_unit::bytes}, .with_title = true}))},
        {"format", "org.matrix.custom.html"},
        {"formatted_body", without_room_mention(push_body(
                               v, {.limit = {.max = max_formatted_body_bytes, .unit = length_unit::bytes},
                                   .format = markup::html,
                                   .with_title = true}))},
        {"m.mentions", boost::json::object{}}};
    http::http_request r;
    r.method = "PUT";
    // Path segments percent-encoded: a room id holds '!' and ':'.
    r.url = settings_.homeserver + "/_matrix/client/v3/rooms/" + percent_encoded(settings_.room_id) +
            "/send/m.room.message/" + percent_encoded(message.id);
    r.body = boost::json::serialize(content);
    r.headers.emplace_back("Content-Type", "application/json");
    r.headers.emplace_back("Authorization", "Bearer " + settings_.access_token);
    settings_.http.apply(r);
    return r;
}

delivery_result matrix_sink::result_of(const http::http_response& response) const {
    delivery_result result = push_api_sink::result_of(response);
    if (response.status == 429 && !result.retry_after) {
        // {"errcode": "M_LIMIT_EXCEEDED", "retry_after_ms": 2000}
        boost::system::error_code ec;
        const auto body = boost::json::parse(response.body, ec);
        if (!ec && body.is_object())
            if (const auto* ms = body.as_object().if_contains("retry_after_ms"); ms && ms->is_number()) {
                const double millis = ms->to_number<double>(ec);
                if (!ec && millis >= 0 && millis < 86'400'000.0)
                    result.retry_after = core::seconds(static_cast<long long>(std::ceil(millis / 1000.0)));
            }
    }
    return result;
}

std::unique_ptr<alert_sink> make_matrix_sink(const config::sink_config& config, const sink_context& context) {
    const auto& o = std::get<config::matrix_sink_options>(config.options);
    const std::string where = config.where.to_string() + ": sink '" + config.name + "'";
    matrix_sink::settings s;
    s.homeserver = o.homeserver;
    s.room_id = o.room_id;
    s.access_token = config::read_secret_file(o.access_token_file, where + " access_token_file");
    s.msgtype = o.msgtype;
    s.http = push_http_settings::from(o.http);
    return std::make_unique<matrix_sink>(config.name, context.http, std::move(s));
}

}  // namespace newswatch::sinks
