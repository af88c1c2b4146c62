#include "runtime_setup.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "newswatch/config/config_error.hpp"
#include "newswatch/config/secret_file.hpp"
#include "newswatch/core/feed_url.hpp"
#include "newswatch/sinks/apprise_sink.hpp"
#include "newswatch/sinks/discord_sink.hpp"
#include "newswatch/sinks/exec_sink.hpp"
#include "newswatch/sinks/file_sink.hpp"
#include "newswatch/sinks/gotify_sink.hpp"
#include "newswatch/sinks/log_sink.hpp"
#include "newswatch/sinks/matrix_sink.hpp"
#include "newswatch/sinks/mattermost_sink.hpp"
#include "newswatch/sinks/nats_sink.hpp"
#include "newswatch/sinks/ntfy_sink.hpp"
#include "newswatch/sinks/pushover_sink.hpp"
#include "newswatch/sinks/slack_sink.hpp"
#include "newswatch/sinks/smtp_sink.hpp"
#include "newswatch/sinks/teams_sink.hpp"
#include "newswatch/sinks/telegram_sink.hpp"
#include "newswatch/sinks/webhook_sink.hpp"
#include "newswatch/stance/model_path.hpp"

namespace newswatch::app {

namespace fs = std::filesystem;

fs::path resolve_state_dir(const std::optional<std::string>& cli, const config::configuration& cfg) {
    if (cli && !cli->empty()) return fs::absolute(*cli).lexically_normal();
    if (const char* env = std::getenv("STATE_DIRECTORY"); env && *env) {
        std::string first(env);
        // systemd passes a colon-separated list when several StateDirectory= are set.
        if (auto colon = first.find(':'); colon != std::string::npos) first.resize(colon);
        return fs::path(first);
    }
    if (cfg.daemon.state_dir) return *cfg.daemon.state_dir;
    return "/var/lib/newswatch";
}

fs::path tool_state_dir(const std::optional<std::string>& cli,
                        const std::optional<std::string>& config_file) {
    if (config_file) return resolve_state_dir(cli, config::load_configuration(*config_file));
    return resolve_state_dir(cli, config::configuration{});
}

void ensure_state_dir(const fs::path& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw std::runtime_error("cannot create state directory " + dir.string() + ": " + ec.message());
    if (!fs::is_directory(dir))
        throw std::runtime_error("state directory " + dir.string() + " is not a directory");
}

http::client_options client_options_of(const config::configuration& cfg) {
    http::client_options o;
    o.user_agent = cfg.daemon.user_agent;
    o.max_connections = cfg.daemon.max_connections;
    o.max_per_host = cfg.daemon.max_per_host;
    o.per_host_pacing = std::chrono::duration_cast<std::chrono::milliseconds>(cfg.daemon.per_host_pacing);
    return o;
}

std::vector<std::string> url_password_warnings(const config::configuration& cfg) {
    std::vector<std::string> out;
    for (const auto& feed : cfg.feeds)
        if (core::has_password(feed.url))
            out.push_back(feed.where.to_string() + ": feed " + core::redact_credentials(feed.url) +
                          ": the URL carries a password; use basic_auth_user and basic_auth_password_file "
                          "instead (docs/CONFIG.md)");
    return out;
}

namespace {

std::string read_password(const config::feed_config& feed) {
    return config::read_secret_file(*feed.basic_auth_password_file,
                                    feed.where.to_string() + ": basic_auth_password_file");
}

}  // namespace

http::fetch_request request_template_of(const config::configuration& cfg, const config::feed_config& feed) {
    http::fetch_request r;
    r.url = feed.url;
    r.configured_url = feed.url;
    r.feed = core::redact_credentials(feed.url);  // how log lines name it
    r.headers = feed.headers;
    r.basic_auth_user = feed.basic_auth_user;
    if (feed.basic_auth_password_file) r.basic_auth_password = read_password(feed);
    r.proxy = feed.proxy ? *feed.proxy : cfg.daemon.proxy.value_or("");
    // proxy = "" on a feed means: no proxy at all, not even the environment's.
    r.proxy_from_environment = !(feed.proxy && feed.proxy->empty());
    r.verify_tls = feed.verify_tls;
    r.limits = cfg.daemon.limits;
    r.allow_private_addresses = cfg.daemon.allow_private_addresses;
    return r;
}

std::vector<pipeline::feed_definition> feed_definitions_of(const config::configuration& cfg) {
    std::vector<pipeline::feed_definition> out;
    out.reserve(cfg.feeds.size());
    for (const auto& f : cfg.feeds) {
        pipeline::feed_definition d;
        d.url = f.url;
        d.title = f.title;
        d.interval = f.interval.value_or(cfg.daemon.interval);
        d.request = request_template_of(cfg, f);
        d.fetch_article = f.fetch_article;
        if (f.content_selector) {
            auto selector = extract::css_selector::parse(*f.content_selector);
            if (!selector)  // the loader checked it; a configuration not made by it may not be
                throw config::config_error(f.where.to_string() +
                                           ": content_selector: " + selector.err().message);
            d.content_selector = std::make_shared<const extract::css_selector>(std::move(*selector));
        }
        out.push_back(std::move(d));
    }
    return out;
}

pipeline::pipeline_options pipeline_options_of(const config::configuration& cfg) {
    pipeline::pipeline_options o;
    o.max_item_age = cfg.daemon.max_item_age;
    o.seen_retention = cfg.daemon.seen_retention;
    o.mark_seen_on_first_fetch = cfg.daemon.on_first_fetch == config::first_fetch_policy::mark_seen;
    o.max_item_text = cfg.daemon.max_item_text;
    o.dedup_window = cfg.daemon.dedup_window;
    o.dedup_threshold = cfg.daemon.dedup_threshold;
    o.feed_storm_threshold = cfg.daemon.feed_storm_threshold;
    o.storm_window = cfg.daemon.storm_window;
    const auto& d = cfg.daemon;
    o.schedule.interval = d.interval;
    o.schedule.min_interval = d.min_interval;
    o.schedule.jitter = d.jitter;
    o.schedule.max_backoff = d.max_backoff;
    o.schedule.max_hint = d.max_hint;
    o.schedule.adaptive = d.adaptive_interval;
    o.schedule.adaptive_min = d.adaptive_min_interval;
    o.schedule.adaptive_max = d.adaptive_max_interval;
    o.schedule.failing_after = d.feed_health_after;
    o.schedule.silent_factor = d.silent_factor;
    o.schedule.silent_min = d.silent_after;
    o.health_sinks = cfg.daemon.health_sinks ? *cfg.daemon.health_sinks : cfg.daemon.default_sinks;
    o.summary_interval = d.summary_interval;
    o.once_timeout = d.once_timeout;
    o.article_prefilters = cfg.compiled_prefilters;
    o.article_retention = d.article_retention;
    o.article_timeout = std::chrono::duration_cast<std::chrono::milliseconds>(d.article_timeout);
    o.max_articles_per_fetch = d.max_articles_per_fetch;
    return o;
}

std::vector<pipeline::watch_binding> watch_bindings_of(const config::configuration& cfg) {
    std::vector<pipeline::watch_binding> out;
    for (const auto& w : cfg.watches) {
        pipeline::watch_binding b;
        b.name = w.spec.name;
        b.sinks = !w.sinks.empty() ? w.sinks : cfg.daemon.default_sinks;
        if (b.sinks.empty()) b.sinks = {implicit_log_sink};
        if (w.claim)
            b.claim = pipeline::claim_filter{w.claim->claim, w.claim->stances, w.claim->min_confidence};
        b.priority = w.priority;
        b.urgent = w.urgent;
        b.storm_threshold = w.storm_threshold.value_or(cfg.daemon.storm_threshold);
        b.storm_window = w.storm_window.value_or(cfg.daemon.storm_window);
        out.push_back(std::move(b));
    }
    return out;
}

fs::path expand_state_dir(const fs::path& path, const fs::path& state_dir) {
    const std::string text = path.string();
    static constexpr std::string_view marker = "{state_dir}";
    if (text.rfind(marker, 0) != 0) return path;
    std::string rest = text.substr(marker.size());
    while (!rest.empty() && rest.front() == '/') rest.erase(0, 1);
    return state_dir / rest;
}

std::map<std::string, std::unique_ptr<sinks::alert_sink>> make_sinks(const config::configuration& cfg,
                                                                     const sinks::sink_context& context) {
    std::map<std::string, std::unique_ptr<sinks::alert_sink>> out;
    for (const auto& s : cfg.sinks) {
        std::unique_ptr<sinks::alert_sink> sink;
        if (const auto* file = std::get_if<config::file_sink_options>(&s.options))
            sink = std::make_unique<sinks::file_sink>(
                s.name, context.executor, expand_state_dir(file->path, context.state_dir), file->mode);
        else if (const auto* log = std::get_if<config::log_sink_options>(&s.options))
            sink = std::make_unique<sinks::log_sink>(s.name, log->level);
        else if (std::holds_alternative<config::webhook_sink_options>(s.options))
            sink = sinks::make_webhook_sink(s, context);
        else if (std::holds_alternative<config::smtp_sink_options>(s.options))
            sink = sinks::make_smtp_sink(s, context);
        else if (std::holds_alternative<config::exec_sink_options>(s.options))
            sink = sinks::make_exec_sink(s, context);
        else if (std::holds_alternative<config::nats_sink_options>(s.options))
            sink = sinks::make_nats_sink(s, context);
        else if (std::holds_alternative<config::chat_webhook_sink_options>(s.options))
            sink = s.type == "slack"     ? sinks::make_slack_sink(s, context)
                   : s.type == "discord" ? sinks::make_discord_sink(s, context)
                   : s.type == "teams"   ? sinks::make_teams_sink(s, context)
                                         : sinks::make_mattermost_sink(s, context);
        else if (std::holds_alternative<config::telegram_sink_options>(s.options))
            sink = sinks::make_telegram_sink(s, context);
        else if (std::holds_alternative<config::ntfy_sink_options>(s.options))
            sink = sinks::make_ntfy_sink(s, context);
        else if (std::holds_alternative<config::gotify_sink_options>(s.options))
            sink = sinks::make_gotify_sink(s, context);
        else if (std::holds_alternative<config::pushover_sink_options>(s.options))
            sink = sinks::make_pushover_sink(s, context);
        else if (std::holds_alternative<config::matrix_sink_options>(s.options))
            sink = sinks::make_matrix_sink(s, context);
        else if (std::holds_alternative<config::apprise_sink_options>(s.options))
            sink = sinks::make_apprise_sink(s, context);
        if (!sink)
            throw config::config_error(s.where.to_string() + ": sink type '" + s.type +
                                       "' is not available in this build");
        out[s.name] = std::move(sink);
    }
    if (!out.contains(implicit_log_sink))
        out[implicit_log_sink] = std::make_unique<sinks::log_sink>(implicit_log_sink, "info");
    return out;
}

std::map<std::string, config::delivery_policy> delivery_policies_of(const config::configuration& cfg) {
    std::map<std::string, config::delivery_policy> out;
    for (const auto& s : cfg.sinks) out[s.name] = s.delivery;
    out.try_emplace(implicit_log_sink).first->second.group = true;  // a log always groups
    return out;
}

core::result<std::optional<loaded_stance_model>> load_stance_model(
    const config::configuration& cfg, const std::optional<std::string>& cli_model) {
    const bool needed = std::any_of(cfg.watches.begin(), cfg.watches.end(),
                                    [](const auto& w) { return w.claim.has_value(); });
    if (!needed) return std::optional<loaded_stance_model>{};
    std::optional<fs::path> cli;
    if (cli_model) cli = *cli_model;
    auto path = stance::find_model_path(cli, cfg.stance.model, "/proc/self/exe");
    if (!path) return path.err();
    auto model = stance::stance_model::load(*path);
    if (!model) return model.err();
    return std::optional<loaded_stance_model>{loaded_stance_model{std::move(*model), *path}};
}

}  // namespace newswatch::app
