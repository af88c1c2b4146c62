#include "newswatch/sinks/ntfy_sink.hpp"

#include "newswatch/config/config.hpp"
#include "newswatch/config/secret_file.hpp"
#include "newswatch/sinks/alert_view.hpp"
#include "newswatch/sinks/mail_message.hpp"
#include "newswatch/sinks/push_text.hpp"

namespace newswatch::sinks {

namespace {

bool printable_ascii(std::string_view s) {
    for (char c : s)
        if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7E) return false;
    return true;
}

// Bytes outside printable ASCII, and spaces, as %XX: a header carries ASCII only.
std::string ascii_url(std::string_view url) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (char c : url) {
        const auto b = static_cast<unsigned char>(c);
        if (b <= 0x20 || b >= 0x7F) {
            out += '%';
            out += hex[b >> 4];
            out += hex[b & 15];
        } else {
            out += c;
        }
    }
    return out;
}

// ntfy tags are comma separated: a watch name loses its commas.
std::string tags_of(const alert_view& v) {
    std::string tags = v.urgent ? "rotating_light" : "newspaper";
    for (const auto& w : v.watches) {
        std::string tag;
        for (char c : w) tag += c == ',' ? ' ' : c;
        tags += "," + cut_text(tag, {.max = 60, .unit = length_unit::code_points});
    }
    return tags;
}

}  // namespace

std::string ntfy_header_text(std::string_view text) {
    if (printable_ascii(text) && text.find("=?") == std::string_view::npos) return std::string(text);
    // encode_header_text folds long values with CRLF SP; an HTTP header stays on one line
    // (whitespace between encoded-words is not part of the text, RFC 2047 section 6.2).
    std::string encoded = encode_header_text(text);
    std::string out;
    for (char c : encoded)
        if (c != '\r' && c != '\n') out += c;
    return out;
}

int ntfy_sink::priority_of(std::string_view priority, bool urgent) noexcept {
    if (urgent) return 5;
    if (priority == "high") return 4;
    if (priority == "low") return 2;
    return 3;
}

ntfy_sink::ntfy_sink(std::string name, http::http_client* client, settings settings)
    : push_api_sink(std::move(name), client, settings.server), settings_(std::move(settings)) {
    settings_.server = without_trailing_slash(settings_.server);
}

http::http_request ntfy_sink::request_for(const delivery_message& message) const {
    const alert_view v = make_alert_view(message.event, message.id, message.payload);
    http::http_request r;
    r.method = "POST";
    r.url = settings_.server + "/" + settings_.topic;
    r.body = push_body(v, {.limit = {.max = max_message_bytes, .unit = length_unit::bytes}});
    r.headers.emplace_back("Content-Type", "text/plain; charset=utf-8");
    r.headers.emplace_back(
        "Title",
        ntfy_header_text(cut_text(v.title, {.max = max_title_chars, .unit = length_unit::code_points})));
    r.headers.emplace_back("Tags", ntfy_header_text(tags_of(v)));
    r.headers.emplace_back("Priority", std::to_string(priority_of(v.priority, v.urgent)));
    if (!v.link.empty() && v.link.size() <= 2000) r.headers.emplace_back("Click", ascii_url(v.link));
    if (!settings_.token.empty()) r.headers.emplace_back("Authorization", "Bearer " + settings_.token);
    settings_.http.apply(r);
    return r;
}

std::unique_ptr<alert_sink> make_ntfy_sink(const config::sink_config& config, const sink_context& context) {
    const auto& o = std::get<config::ntfy_sink_options>(config.options);
    const std::string where = config.where.to_string() + ": sink '" + config.name + "'";
    ntfy_sink::settings s;
    s.server = o.server;
    s.topic = o.topic;
    if (o.token_file) s.token = config::read_secret_file(*o.token_file, where + " token_file");
    s.http = push_http_settings::from(o.http);
    return std::make_unique<ntfy_sink>(config.name, context.http, std::move(s));
}

}  // namespace newswatch::sinks
