#include "sink_config_reader.hpp"

#include "newswatch/config/local_clock.hpp"

#include <charconv>
#include <cstdint>
#include <set>

namespace newswatch::config {
namespace {

using std::chrono::days;
using std::chrono::hours;

constexpr core::seconds max_retry = days(30), max_age_limit = days(3650), max_timeout = hours(1);

// A file sink's default `concurrency` (issue #16): the lines handed over together share one
// fdatasync and one outcome transaction; a crash repeats at most this many lines.
constexpr std::size_t file_sink_default_concurrency = 64;

void read_delivery(toml_table_reader& r, delivery_policy& d) {
    if (auto v = r.integer("concurrency", 1, 64)) d.concurrency = static_cast<std::size_t>(*v);
    if (auto v = r.string("rate")) {
        d.rate = parse_rate(*v);
        if (!d.rate) r.fail("rate", "must look like \"20/min\" (a count per s, min, h or d)");
    }
    if (auto v = r.duration("retry_initial", max_retry)) d.retry_initial = *v;
    if (auto v = r.duration("retry_max", max_retry)) d.retry_max = *v;
    if (d.retry_initial.count() < 1) r.fail("retry_initial", "must be at least 1s");
    if (d.retry_max < d.retry_initial) r.fail("retry_max", "must not be shorter than retry_initial");
    if (auto v = r.integer("max_attempts", 1, 1000000)) d.max_attempts = static_cast<int>(*v);
    if (auto v = r.duration("max_age", max_age_limit)) d.max_age = *v;
    if (auto v = r.boolean("ordered")) d.ordered = *v;
    if (d.ordered) {
        if (d.concurrency != 1 && r.node("concurrency"))
            r.fail("concurrency",
                   "an ordered sink delivers one alert at a time: leave concurrency out or set 1");
        d.concurrency = 1;
    }
}

// The channels people read always get one message per item; the machine-facing ones
// (webhook, file, nats, exec) choose with `group`.
bool chooses_grouping(const std::string& type) {
    return type == "webhook" || type == "file" || type == "nats" || type == "exec";
}

void read_grouping_and_schedule(toml_table_reader& r, const std::string& type, delivery_policy& d) {
    const auto group = r.boolean("group");
    if (chooses_grouping(type)) {
        d.group = group.value_or(false);
    } else {
        if (group && !*group)
            r.fail("group",
                   "a sink of type \"" + type + "\" always sends one message per item: leave group out");
        d.group = true;
    }
    if (auto v = r.duration("digest", days(1))) {
        if (v->count() < 60) r.fail("digest", "must be at least 1m (or leave it out for no digest)");
        if (days(1) % *v != core::seconds{0})
            r.fail("digest", "must divide a day (periods are aligned to midnight): 15m, 1h, 6h, 1d ...");
        d.digest = *v;
    }
    if (auto v = r.string("digest_at")) {
        d.digest_at = parse_time_of_day(*v);
        if (!d.digest_at || *d.digest_at >= 1440)
            r.fail("digest_at", "must be a time of day such as \"08:00\"");
        if (d.digest.count() == 0) d.digest = days(1);  // a daily digest at that time
    }
    if (auto v = r.string("quiet_hours")) {
        d.quiet_hours = parse_time_range(*v);
        if (!d.quiet_hours) r.fail("quiet_hours", "must be a range of times of day such as \"22:00-07:00\"");
    }
    if (auto v = r.string("timezone")) {
        if (v->empty() || !is_known_time_zone(*v))
            r.fail("timezone", "unknown time zone \"" + *v + "\" (an IANA name such as \"Europe/Kyiv\")");
        d.timezone = *v;
    }
    if (d.ordered && (d.digest.count() > 0 || d.quiet_hours))
        r.fail(d.digest.count() > 0 ? "digest" : "quiet_hours", "an ordered sink cannot hold alerts back");
}

core::seconds read_timeout(toml_table_reader& r, core::seconds fallback) {
    auto v = r.duration("timeout", max_timeout);
    if (v && v->count() < 1) r.fail("timeout", "must be at least 1s");
    return v.value_or(fallback);
}

void read_tls(toml_table_reader& r, bool& verify_tls, std::optional<std::filesystem::path>& ca_file) {
    if (auto v = r.boolean("verify_tls")) verify_tls = *v;
    ca_file = r.path("ca_file");
}

unsigned read_mode(toml_table_reader& r) {
    auto v = r.string("mode");
    if (!v) return 0640;
    unsigned mode = 0;
    const auto* end = v->data() + v->size();
    auto [p, ec] = std::from_chars(v->data(), end, mode, 8);
    if (v->empty() || ec != std::errc{} || p != end || mode > 0777)
        r.fail("mode", "must be octal permission bits such as \"0640\"");
    if (mode & 0111) r.fail("mode", "an alert file is not a program: no execute bits");
    return mode;
}

file_sink_options read_file(toml_table_reader& r) {
    file_sink_options o;
    auto path = r.path("path");
    if (!path) r.fail("path", "is required for a sink of type \"file\"");
    o.path = *path;
    o.mode = read_mode(r);
    return o;
}

log_sink_options read_log(toml_table_reader& r) {
    log_sink_options o;
    if (auto v = r.string("level")) {
        static const std::set<std::string> levels{"trace", "debug", "info", "warn", "error", "critical"};
        if (!levels.contains(*v)) r.fail("level", "must be one of trace, debug, info, warn, error, critical");
        o.level = *v;
    }
    return o;
}

// `url` or `url_file` (a webhook URL that is itself a secret), exactly one of them.
void read_url(toml_table_reader& r, std::string& url, std::optional<std::filesystem::path>& url_file) {
    auto u = r.string("url");
    url_file = r.path("url_file");
    if (u && url_file) r.fail("url_file", "give either url or url_file, not both");
    if (!u && !url_file) r.fail("url", "is required (or url_file)");
    if (u) {
        if (!u->starts_with("http://") && !u->starts_with("https://"))
            r.fail("url", "must be an http:// or https:// URL");
        url = *u;
    }
}

webhook_sink_options read_webhook(toml_table_reader& r) {
    webhook_sink_options o;
    read_url(r, o.url, o.url_file);
    if (auto v = r.string("format")) {
        if (*v != "json" && *v != "template") r.fail("format", "must be \"json\" or \"template\"");
        o.format = *v;
    }
    o.template_file = r.path("template_file");
    if (o.format == "template" && !o.template_file)
        r.fail("template_file", "is required with format = \"template\"");
    if (o.format == "json" && o.template_file) r.fail("template_file", "needs format = \"template\"");
    if (auto v = r.string("content_type")) o.content_type = *v;
    if (auto v = r.string_map("headers")) o.headers = *v;
    o.secret_file = r.path("secret_file");
    if (auto v = r.boolean("follow_redirects")) o.follow_redirects = *v;
    read_tls(r, o.verify_tls, o.ca_file);
    o.timeout = read_timeout(r, o.timeout);
    return o;
}

smtp_sink_options read_smtp(toml_table_reader& r) {
    smtp_sink_options o;
    o.url = r.required_string("url");
    if (!o.url.starts_with("smtp://") && !o.url.starts_with("smtps://"))
        r.fail("url", "must be smtp://host:587 or smtps://host:465");
    if (auto v = r.string("starttls")) {
        if (*v != "auto" && *v != "always" && *v != "never")
            r.fail("starttls", "must be auto, always or never");
        o.starttls = *v;
    }
    if (auto v = r.string("username")) o.username = *v;
    o.password_file = r.path("password_file");
    if (o.password_file && o.username.empty()) r.fail("password_file", "needs a username");
    o.from = r.required_string("from");
    auto to = r.string_list("to");
    if (!to || to->empty()) r.fail("to", "is required: a list of at least one address");
    o.to = *to;
    if (auto v = r.string("subject")) o.subject = *v;
    read_tls(r, o.verify_tls, o.ca_file);
    o.timeout = read_timeout(r, o.timeout);
    return o;
}

exec_sink_options read_exec(toml_table_reader& r) {
    exec_sink_options o;
    auto command = r.string_list("command");
    if (!command || command->empty()) r.fail("command", "is required: [\"/path/to/program\", \"arg\", ...]");
    if (!command->front().starts_with("/"))
        r.fail("command", "the program must be an absolute path (no shell, no PATH search)");
    o.command = *command;
    o.timeout = read_timeout(r, o.timeout);
    return o;
}

nats_sink_options read_nats(toml_table_reader& r) {
    nats_sink_options o;
    if (auto v = r.string("server")) {
        if (!v->starts_with("nats://") && !v->starts_with("tls://"))
            r.fail("server", "must be a nats:// or tls:// URL");
        o.server = *v;
    }
    o.subject = r.required_string("subject");
    if (o.subject.empty() || o.subject.find_first_of(" \t*>") != std::string::npos)
        r.fail("subject", "must be a concrete subject (no spaces or wildcards)");
    o.creds_file = r.path("creds_file");
    o.timeout = read_timeout(r, o.timeout);
    return o;
}

// slack, discord, mattermost, teams: the webhook URL, and a display name and channel where
// the service lets a webhook choose them.
chat_webhook_sink_options read_chat_webhook(toml_table_reader& r, const std::string& type) {
    chat_webhook_sink_options o;
    read_url(r, o.url, o.url_file);
    if (type == "discord" || type == "mattermost")
        if (auto v = r.string("username")) o.username = *v;
    if (type == "mattermost")
        if (auto v = r.string("channel")) o.channel = *v;
    read_tls(r, o.verify_tls, o.ca_file);
    o.timeout = read_timeout(r, o.timeout);
    return o;
}

// An http:// or https:// base URL of a service (`server`, `homeserver`, `api_base`).
std::string read_base_url(toml_table_reader& r, const std::string& key, std::optional<std::string> fallback) {
    auto v = r.string(key);
    if (!v && !fallback) r.fail(key, "is required: the service's https:// URL");
    std::string url = v ? *v : *fallback;
    if (!url.starts_with("http://") && !url.starts_with("https://"))
        r.fail(key, "must be an http:// or https:// URL");
    if (url.find_first_of("?# ") != std::string::npos)
        r.fail(key, "must be a base URL (no query, no spaces)");
    return url;
}

std::filesystem::path required_path(toml_table_reader& r, const std::string& key) {
    auto v = r.path(key);
    if (!v) r.fail(key, "is required (a file holding the secret)");
    return *v;
}

push_http_options read_push_http(toml_table_reader& r) {
    push_http_options o;
    if (auto v = r.boolean("verify_tls")) o.verify_tls = *v;
    o.ca_file = r.path("ca_file");
    o.timeout = read_timeout(r, o.timeout);
    return o;
}

telegram_sink_options read_telegram(toml_table_reader& r) {
    telegram_sink_options o;
    auto token = r.path("bot_token_file");
    if (!token)
        r.fail("bot_token_file",
               "is required for a sink of type \"telegram\" (a file holding the bot token)");
    o.bot_token_file = *token;
    // A chat id is a number (TOML integer or string) or "@channelusername".
    if (const auto* n = r.node("chat_id"); n != nullptr && n->is_integer())
        o.chat_id = std::to_string(*r.integer("chat_id", INT64_MIN, INT64_MAX));
    else
        o.chat_id = r.required_string("chat_id");
    if (o.chat_id.empty() || o.chat_id.find_first_of(" \t/?#&") != std::string::npos)
        r.fail("chat_id", "must be a chat id such as -1001234567890 or @channelusername");
    if (auto v = r.string("api_base")) {
        if (!v->starts_with("http://") && !v->starts_with("https://"))
            r.fail("api_base", "must be an http:// or https:// URL");
        while (v->ends_with('/')) v->pop_back();
        o.api_base = *v;
    }
    if (auto v = r.boolean("link_preview")) o.link_preview = *v;
    read_tls(r, o.verify_tls, o.ca_file);
    o.timeout = read_timeout(r, o.timeout);
    return o;
}

ntfy_sink_options read_ntfy(toml_table_reader& r) {
    ntfy_sink_options o;
    o.server = read_base_url(r, "server", o.server);
    o.topic = r.required_string("topic");
    // ntfy topic names: letters, digits, '-' and '_', at most 64 (docs.ntfy.sh/publish).
    if (o.topic.empty() || o.topic.size() > 64 ||
        o.topic.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") !=
            std::string::npos)
        r.fail("topic", "must be 1-64 letters, digits, '-' or '_'");
    o.token_file = r.path("token_file");
    o.http = read_push_http(r);
    return o;
}

gotify_sink_options read_gotify(toml_table_reader& r) {
    gotify_sink_options o;
    o.server = read_base_url(r, "server", std::nullopt);
    o.token_file = required_path(r, "token_file");
    o.http = read_push_http(r);
    return o;
}

pushover_sink_options read_pushover(toml_table_reader& r) {
    pushover_sink_options o;
    o.api_base = read_base_url(r, "api_base", o.api_base);
    o.user_key_file = required_path(r, "user_key_file");
    o.token_file = required_path(r, "token_file");
    o.http = read_push_http(r);
    return o;
}

matrix_sink_options read_matrix(toml_table_reader& r) {
    matrix_sink_options o;
    o.homeserver = read_base_url(r, "homeserver", std::nullopt);
    o.room_id = r.required_string("room_id");
    if (!o.room_id.starts_with("!") || o.room_id.find(':') == std::string::npos ||
        o.room_id.find_first_of(" \t/") != std::string::npos)
        r.fail("room_id", "must be a room id such as \"!abcdef:example.org\" (Room settings, Advanced)");
    o.access_token_file = required_path(r, "access_token_file");
    if (auto v = r.string("msgtype")) {
        if (*v != "m.text" && *v != "m.notice") r.fail("msgtype", "must be \"m.text\" or \"m.notice\"");
        o.msgtype = *v;
    }
    o.http = read_push_http(r);
    return o;
}

apprise_sink_options read_apprise(toml_table_reader& r) {
    apprise_sink_options o;
    o.urls_file = required_path(r, "urls_file");
    if (auto v = r.string("command")) {
        if (!v->starts_with("/")) r.fail("command", "must be an absolute path (no shell, no PATH search)");
        o.command = *v;
    }
    o.timeout = read_timeout(r, o.timeout);
    return o;
}

}  // namespace

std::optional<rate_limit> parse_rate(std::string_view text) {
    const auto slash = text.find('/');
    if (slash == std::string_view::npos || slash == 0) return std::nullopt;
    std::size_t count = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + slash, count);
    if (ec != std::errc{} || p != text.data() + slash || count == 0 || count > 1000000) return std::nullopt;
    const std::string_view unit = text.substr(slash + 1);
    static const std::pair<std::string_view, long long> units[] = {
        {"s", 1},    {"sec", 1},     {"second", 1}, {"min", 60},   {"minute", 60},
        {"h", 3600}, {"hour", 3600}, {"d", 86400},  {"day", 86400}};
    for (const auto& [name, seconds] : units)
        if (unit == name) return rate_limit{count, core::seconds{seconds}};
    return std::nullopt;
}

sink_config read_sink_config(toml_table_reader& r) {
    sink_config s;
    s.where = r.where();
    s.name = r.required_string("name");
    s.type = r.required_string("type");
    if (s.type == "file") s.delivery.concurrency = file_sink_default_concurrency;
    read_delivery(r, s.delivery);
    read_grouping_and_schedule(r, s.type, s.delivery);
    if (s.type == "file")
        s.options = read_file(r);
    else if (s.type == "log")
        s.options = read_log(r);
    else if (s.type == "webhook")
        s.options = read_webhook(r);
    else if (s.type == "smtp")
        s.options = read_smtp(r);
    else if (s.type == "exec")
        s.options = read_exec(r);
    else if (s.type == "nats")
        s.options = read_nats(r);
    else if (s.type == "slack" || s.type == "discord" || s.type == "mattermost" || s.type == "teams")
        s.options = read_chat_webhook(r, s.type);
    else if (s.type == "telegram")
        s.options = read_telegram(r);
    else if (s.type == "ntfy")
        s.options = read_ntfy(r);
    else if (s.type == "gotify")
        s.options = read_gotify(r);
    else if (s.type == "pushover")
        s.options = read_pushover(r);
    else if (s.type == "matrix")
        s.options = read_matrix(r);
    else if (s.type == "apprise")
        s.options = read_apprise(r);
    else
        r.fail("type", "unknown sink type \"" + s.type +
                           "\" (supported: file, log, webhook, smtp, exec, nats, slack, discord, "
                           "mattermost, teams, telegram, ntfy, gotify, pushover, matrix, apprise)");
    r.reject_unknown_keys();
    return s;
}

}  // namespace newswatch::config
