#include "newswatch/sinks/webhook_sink.hpp"

#include <fstream>
#include <sstream>

#include "newswatch/config/config.hpp"
#include "newswatch/config/config_error.hpp"
#include "newswatch/config/secret_file.hpp"
#include "newswatch/core/output_text.hpp"
#include "newswatch/core/sha256.hpp"
#include "newswatch/http/http_headers.hpp"
#include "newswatch/sinks/alert_view.hpp"
#include "newswatch/sinks/http_delivery.hpp"
#include "newswatch/sinks/sink_context.hpp"

namespace newswatch::sinks {

webhook_sink::webhook_sink(std::string name, http::http_client* client, settings settings)
    : alert_sink(std::move(name)),
      settings_(std::move(settings)),
      shown_url_(url_origin_for_log(settings_.url)),
      transfers_(client) {}

webhook_sink::~webhook_sink() {
    cancel_all();
}

http::http_request webhook_sink::request_for(const delivery_message& message) const {
    http::http_request r;
    r.method = "POST";
    r.url = settings_.url;
    if (settings_.body_template)
        r.body = settings_.body_template->render(make_alert_view(message.event, message.id, message.payload),
                                                 escaping_for_content_type(settings_.content_type));
    else
        r.body.assign(message.payload);
    r.headers.emplace_back("Content-Type", settings_.content_type);
    r.headers.emplace_back("X-Newswatch-Id", std::string(message.id));
    r.headers.emplace_back("X-Newswatch-Event", std::string(message.event));
    if (!settings_.secret.empty())
        r.headers.emplace_back("X-Newswatch-Signature",
                               "sha256=" + core::hmac_sha256_hex(settings_.secret, r.body));
    for (const auto& h : settings_.headers) r.headers.push_back(h);
    r.timeout = settings_.timeout;
    r.follow_redirects = settings_.follow_redirects;
    r.verify_tls = settings_.verify_tls;
    r.ca_file = settings_.ca_file;
    return r;
}

void webhook_sink::deliver_(const delivery_message& message, completion done) {
    transfers_.start(
        request_for(message),
        [shown = shown_url_](const http::http_response& response) {
            return http_delivery_result(response, shown);
        },
        std::move(done));
}

void webhook_sink::cancel_all() noexcept {
    transfers_.cancel_all();
}

namespace {

std::string read_text_file(const std::filesystem::path& path, const std::string& what) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw config::config_error("cannot read " + what + " " + path.string());
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

std::unique_ptr<alert_sink> make_webhook_sink(const config::sink_config& config,
                                              const sink_context& context) {
    // The config reader has checked the keys (url or url_file, format, template_file).
    const auto& o = std::get<config::webhook_sink_options>(config.options);
    const std::string where = config.where.to_string() + ": sink '" + config.name + "'";
    webhook_sink::settings s;
    s.url = o.url_file ? config::read_secret_file(*o.url_file, where + " url_file") : o.url;
    if (!s.url.starts_with("http://") && !s.url.starts_with("https://"))
        throw config::config_error(where + ": url_file " + o.url_file->string() +
                                   " must hold an http:// or https:// URL");
    if (o.format == "template" && o.template_file) {
        try {
            s.body_template.emplace(read_text_file(*o.template_file, where + " template_file"));
        } catch (const std::invalid_argument& e) {
            throw config::config_error(where + ": template_file " + o.template_file->string() + ": " +
                                       e.what());
        }
        s.content_type = o.content_type.empty() ? "text/plain; charset=utf-8" : o.content_type;
    }
    for (const auto& [name, value] : o.headers)
        if (!http::is_header_name(name) || !http::is_safe_header_value(value, 8192))
            throw config::config_error(
                where + ": header '" + core::log_escaped(name) +
                "' is not a valid HTTP header (its name, or a control character in its value)");
    s.headers = o.headers;
    if (o.secret_file) s.secret = config::read_secret_file(*o.secret_file, where + " secret_file");
    s.follow_redirects = o.follow_redirects;
    s.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(o.timeout);
    s.verify_tls = o.verify_tls;
    if (o.ca_file) s.ca_file = o.ca_file->string();
    return std::make_unique<webhook_sink>(config.name, context.http, std::move(s));
}

}  // namespace newswatch::sinks
