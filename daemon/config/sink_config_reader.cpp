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
    else
        r.fail("type", "unknown sink type \"" + s.type +
                           "\" (supported: file, log, webhook, smtp, exec, nats, slack, discord, "
                           "mattermost, teams, telegram)");
    r.reject_unknown_keys();
    return s;
}

}  // namespace newswatch::config
