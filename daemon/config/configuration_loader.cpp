#include <algorithm>
#include <set>
#include <unordered_map>

#include "newswatch/config/config.hpp"
#include "newswatch/config/config_error.hpp"
#include "newswatch/core/feed_url.hpp"
#include "newswatch/extract/css_selector.hpp"
#include "newswatch/http/address_policy.hpp"
#include "newswatch/logging/module_logger.hpp"
#include "newswatch/logging/structured_log.hpp"
#include "sink_config_reader.hpp"
#include "toml_table_reader.hpp"

#ifndef NEWSWATCH_FEEDS_DIR
#define NEWSWATCH_FEEDS_DIR ""
#endif

namespace newswatch::config {
namespace {

namespace fs = std::filesystem;

// The largest value of each duration key (docs/CONFIG.md): far beyond any sane setting,
// far below where arithmetic on them (timers count nanoseconds) could overflow.
using std::chrono::days;
using std::chrono::hours;
constexpr core::seconds max_interval = days(30), max_min_interval = days(30), max_max_backoff = days(30),
                        max_max_hint = days(30), max_adaptive_min_interval = days(30),
                        max_adaptive_max_interval = days(30), max_max_item_age = days(3650),
                        max_seen_retention = days(3650), max_feed_health_after = days(365),
                        max_silent_after = days(365), max_per_host_pacing = hours(1),
                        max_connect_timeout = hours(1), max_total_timeout = hours(1),
                        max_low_speed_time = hours(1), max_storm_window = days(7);
// Alerts a storm guard window may let through; above it the guard would never trigger.
constexpr std::int64_t max_storm_threshold = 1000000;

// storm_window of [daemon] or a [[watch]]: 1s to 7 days (a storm summary waits for the
// end of its window, so a longer one would hold alerts back for too long).
std::optional<core::seconds> storm_window_of(toml_table_reader& r) {
    auto v = r.duration("storm_window", max_storm_window);
    if (v && v->count() < 1)
        r.fail("storm_window", "must be at least 1s (turn the guard off with storm_threshold = 0)");
    return v;
}
// Where a relative `include` is looked for after the including file's folder: the packs
// installed beside the binary (<bin>/../share/newswatch/feeds, so a relocated prefix
// works), then the data directory this build installs to. An installed config in
// /etc/newswatch includes "nato-ukraine.toml" from /usr/share/newswatch/feeds this way.
std::vector<fs::path> pack_directories() {
    std::vector<fs::path> dirs;
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) dirs.push_back((exe.parent_path() / ".." / "share" / "newswatch" / "feeds").lexically_normal());
    const fs::path installed = NEWSWATCH_FEEDS_DIR;
    if (!installed.empty() && std::find(dirs.begin(), dirs.end(), installed) == dirs.end())
        dirs.push_back(installed);
    return dirs;
}

class configuration_loader {
public:
    configuration load(const fs::path& given) {
        // Absolute, so that relative paths inside resolve the same from any working dir.
        const fs::path file = fs::absolute(given).lexically_normal();
        config_.file = file;
        load_file(file, /*is_main=*/true);
        validate();
        return std::move(config_);
    }

private:
    void load_file(const fs::path& file, bool is_main) {
        std::error_code ec;
        const fs::path canonical = fs::weakly_canonical(file, ec);
        if (!fs::exists(file, ec))
            throw config_error(file.string() + ": cannot read config file: no such file");
        if (fs::is_directory(file, ec))
            throw config_error(file.string() + ": cannot read config file: is a directory (give the .toml file)");
        if (std::find(stack_.begin(), stack_.end(), canonical) != stack_.end())
            throw config_error(file.string() + ": include cycle");
        if (loaded_.contains(canonical)) return;  // included twice: once is enough
        loaded_.insert(canonical);
        stack_.push_back(canonical);

        toml::table root;
        try {
            root = toml::parse_file(file.string());
        } catch (const toml::parse_error& e) {
            throw config_error(file.string() + ":" + std::to_string(e.source().begin.line) + ": " +
                               std::string(e.description()));
        }
        const std::string name = file.string();
        toml_table_reader top(root, name, "top level");

        if (const toml::node* n = top.node("daemon")) {
            if (!is_main) top.fail("daemon", "only allowed in the main config file");
            read_daemon(table_of(top, "daemon", *n), name);
        }
        if (const toml::node* n = top.node("stance")) {
            if (!is_main) top.fail("stance", "only allowed in the main config file");
            read_stance(table_of(top, "stance", *n), name);
        }
        for_each_table(top, "feed", [&](const toml::table& t, const std::string& ctx) { read_feed(t, name, ctx); });
        for_each_table(top, "watch", [&](const toml::table& t, const std::string& ctx) { read_watch(t, name, ctx); });
        for_each_table(top, "sink", [&](const toml::table& t, const std::string& ctx) { read_sink(t, name, ctx); });
        std::vector<fs::path> includes;
        if (auto list = top.string_list("include")) {
            for (const auto& inc : *list) includes.push_back(resolve_include(top, file, inc));
        }
        top.reject_unknown_keys();
        for (const auto& inc : includes) load_file(inc, false);
        stack_.pop_back();
    }

    // A relative include: the including file's folder first, then the installed packs.
    static fs::path resolve_include(toml_table_reader& top, const fs::path& file, const std::string& name) {
        const fs::path given(name);
        std::error_code ec;
        if (given.is_absolute()) {
            if (fs::exists(given, ec)) return given.lexically_normal();
            top.fail("include", "included file " + given.string() + " does not exist");
        }
        std::vector<fs::path> looked{(file.parent_path() / given).lexically_normal()};
        for (const auto& dir : pack_directories()) looked.push_back((dir / given).lexically_normal());
        for (const auto& candidate : looked)
            if (fs::exists(candidate, ec)) return candidate;
        std::string where;
        for (const auto& candidate : looked) where += (where.empty() ? "" : ", ") + candidate.string();
        top.fail("include", "included file " + name + " does not exist (looked in " + where + ")");
    }

    static const toml::table& table_of(toml_table_reader& parent, const std::string& key, const toml::node& n) {
        const toml::table* t = n.as_table();
        if (!t) parent.fail(key, "expected a table [" + key + "]");
        return *t;
    }

    template <class F>
    void for_each_table(toml_table_reader& top, const std::string& key, F&& read) {
        const toml::node* n = top.node(key);
        if (!n) return;
        const toml::array* arr = n->as_array();
        if (!arr || !arr->is_array_of_tables())
            top.fail(key, "expected an array of tables [[" + key + "]]");
        int index = 0;
        for (const auto& element : *arr) {
            ++index;
            read(*element.as_table(), "[[" + key + "]] #" + std::to_string(index));
        }
    }

    void read_daemon(const toml::table& t, const std::string& file) {
        toml_table_reader r(t, file, "[daemon]");
        daemon_config& d = config_.daemon;
        if (auto v = r.path("state_dir")) d.state_dir = *v;
        if (auto v = r.duration("interval", max_interval)) {
            if (v->count() < 1) r.fail("interval", "must be at least 1s");
            d.interval = *v;
        }
        if (auto v = r.duration("max_item_age", max_max_item_age)) d.max_item_age = *v;
        if (auto v = r.duration("seen_retention", max_seen_retention)) d.seen_retention = *v;
        if (auto v = r.duration("dedup_window", core::seconds{30 * 86400})) d.dedup_window = *v;
        if (auto v = r.number("dedup_threshold", 0.1, 1.0)) d.dedup_threshold = *v;
        if (auto v = r.integer("storm_threshold", 0, max_storm_threshold))
            d.storm_threshold = static_cast<int>(*v);
        if (auto v = storm_window_of(r)) d.storm_window = *v;
        if (auto v = r.integer("feed_storm_threshold", 0, max_storm_threshold))
            d.feed_storm_threshold = static_cast<int>(*v);
        if (auto v = r.string("on_first_fetch")) {
            if (*v == "alert") d.on_first_fetch = first_fetch_policy::alert;
            else if (*v == "mark_seen") d.on_first_fetch = first_fetch_policy::mark_seen;
            else r.fail("on_first_fetch", "must be \"alert\" or \"mark_seen\", not \"" + *v + "\"");
        }
        if (auto v = r.string_list("default_sinks")) d.default_sinks = *v;
        if (auto v = r.string("user_agent")) d.user_agent = *v;
        if (auto v = r.integer("max_connections", 1, 100000)) d.max_connections = static_cast<std::size_t>(*v);
        if (auto v = r.integer("max_per_host", 1, 1000)) d.max_per_host = static_cast<std::size_t>(*v);
        if (auto v = r.integer("worker_threads", 0, 64)) d.worker_threads = static_cast<std::size_t>(*v);
        if (auto v = r.string_list("allow_private_addresses")) d.allow_private_addresses = *v;
        if (auto v = r.string("proxy")) d.proxy = *v;
        if (auto v = r.string("log_level")) {
            if (!logging::parse_level(*v))
                r.fail("log_level", "must be one of trace, debug, info, warn, error, critical, off");
            d.log_level = *v;
        }
        if (auto v = r.string_map("log_levels")) {
            for (const auto& [module, level] : *v) {
                if (std::find(logging::module_names.begin(), logging::module_names.end(), module) ==
                    logging::module_names.end())
                    r.fail("log_levels", "unknown module '" + module +
                                             "' (fetcher, pipeline, sinks, alerts, daemon, websub)");
                if (!logging::parse_level(level))
                    r.fail("log_levels",
                           "level of '" + module +
                               "' must be one of trace, debug, info, warn, error, critical, off");
                d.log_levels[module] = level;
            }
        }
        if (auto v = r.duration("summary_interval", core::seconds{86400})) d.summary_interval = *v;
        if (auto v = r.duration("alert_retention", max_seen_retention)) d.alert_retention = *v;
        if (auto v = r.duration("once_timeout", max_total_timeout)) d.once_timeout = *v;
        if (auto v = r.duration("article_retention", max_seen_retention)) d.article_retention = *v;
        if (auto v = r.duration("article_timeout", max_total_timeout)) {
            if (v->count() < 1) r.fail("article_timeout", "must be at least 1s");
            d.article_timeout = *v;
        }
        if (auto v = r.integer("max_articles_per_fetch", 1, 10000))
            d.max_articles_per_fetch = static_cast<std::size_t>(*v);
        if (auto v = r.string("metrics")) d.metrics = *v;
        read_websub(r, d);
        if (auto v = r.size("max_item_text")) {
            if (*v < 1024) r.fail("max_item_text", "must be at least 1KiB");
            d.max_item_text = *v;
        }
        if (auto v = r.duration("min_interval", max_min_interval)) d.min_interval = *v;
        if (auto v = r.duration("max_backoff", max_max_backoff)) d.max_backoff = *v;
        if (auto v = r.duration("feed_health_after", max_feed_health_after)) d.feed_health_after = *v;
        if (auto v = r.string_list("health_sinks")) d.health_sinks = *v;
        read_fetching(r, d);
        read_limits(r, d.limits);
        r.reject_unknown_keys();
    }

    // The WebSub subscriber's keys (docs/CONFIG.md, docs/WEBSUB.md). The listen address
    // is parsed by the daemon, like metrics.
    static void read_websub(toml_table_reader& r, daemon_config& d) {
        if (auto v = r.string("websub_listen")) d.websub_listen = *v;
        if (auto v = r.string("websub_callback")) {
            d.websub_callback = *v;
            if (!v->starts_with("https://") && !v->starts_with("http://"))
                r.fail("websub_callback", "must be an http:// or https:// URL (the public URL hubs call)");
        }
        if (auto v = r.duration("websub_poll_interval", max_interval)) {
            if (v->count() < 60) r.fail("websub_poll_interval", "must be at least 1m");
            d.websub_poll_interval = *v;
        }
        if (auto v = r.duration("websub_lease", core::seconds{365 * 86400})) {
            if (v->count() < 60) r.fail("websub_lease", "must be at least 1m");
            d.websub_lease = *v;
        }
        if (!d.websub_listen.empty() && d.websub_callback.empty())
            r.fail("websub_listen",
                   "needs websub_callback, the public URL hubs call (e.g. \"https://news.example/websub\")");
    }

    // Scheduling and politeness keys of the fetcher (docs/CONFIG.md, "Fetching").
    static void read_fetching(toml_table_reader& r, daemon_config& d) {
        if (auto v = r.duration("per_host_pacing", max_per_host_pacing)) d.per_host_pacing = *v;
        if (auto v = r.number("jitter", 0.0, 0.5)) d.jitter = *v;
        if (auto v = r.duration("max_hint", max_max_hint)) d.max_hint = *v;
        if (auto v = r.boolean("adaptive_interval")) d.adaptive_interval = *v;
        if (auto v = r.duration("adaptive_min_interval", max_adaptive_min_interval))
            d.adaptive_min_interval = *v;
        if (auto v = r.duration("adaptive_max_interval", max_adaptive_max_interval))
            d.adaptive_max_interval = *v;
        if (d.adaptive_max_interval < d.adaptive_min_interval)
            r.fail("adaptive_max_interval", "must not be shorter than adaptive_min_interval");
        if (auto v = r.number("silent_factor", 1.0, 1000.0)) d.silent_factor = *v;
        if (auto v = r.duration("silent_after", max_silent_after)) d.silent_after = *v;
        if (!d.allow_private_addresses.empty()) {
            auto parsed = http::address_allowlist::parse(d.allow_private_addresses);
            if (!parsed) r.fail("allow_private_addresses", parsed.err().message);
        }
    }

    static void read_limits(toml_table_reader& r, http::fetch_limits& limits) {
        using ms = std::chrono::milliseconds;
        if (auto v = r.size("max_body_size")) limits.max_body_bytes = *v;
        if (auto v = r.size("max_header_size")) limits.max_header_bytes = *v;
        if (auto v = r.duration("connect_timeout", max_connect_timeout))
            limits.connect_timeout = std::chrono::duration_cast<ms>(*v);
        if (auto v = r.duration("total_timeout", max_total_timeout))
            limits.total_timeout = std::chrono::duration_cast<ms>(*v);
        if (auto v = r.integer("low_speed_limit", 0, 1LL << 30))
            limits.low_speed_bytes_per_second = static_cast<long>(*v);
        if (auto v = r.duration("low_speed_time", max_low_speed_time)) limits.low_speed_time = *v;
        if (auto v = r.integer("max_redirects", 0, 50)) limits.max_redirects = static_cast<int>(*v);
    }

    void read_stance(const toml::table& t, const std::string& file) {
        toml_table_reader r(t, file, "[stance]");
        if (auto v = r.path("model")) config_.stance.model = *v;
        r.reject_unknown_keys();
    }

    void read_feed(const toml::table& t, const std::string& file, const std::string& ctx) {
        toml_table_reader r(t, file, ctx);
        feed_config f;
        f.where = r.where();
        f.url = r.required_string("url");
        if (auto problem = core::feed_url_problem(f.url)) r.fail("url", *problem);
        f.title = r.string("title");
        f.interval = r.duration("interval", max_interval);
        if (f.interval && f.interval->count() < 1) r.fail("interval", "must be at least 1s");
        if (auto v = r.string_map("headers")) f.headers = *v;
        if (auto v = r.string("basic_auth_user")) f.basic_auth_user = *v;
        f.basic_auth_password_file = r.path("basic_auth_password_file");
        f.proxy = r.string("proxy");
        if (auto v = r.boolean("verify_tls")) f.verify_tls = *v;
        if (auto v = r.string_list("tags")) f.tags = *v;
        if (auto v = r.boolean("fetch_article")) f.fetch_article = *v;
        if (auto v = r.string("content_selector")) {
            // Checked now: a typo must not silently select nothing on every page.
            if (auto selector = extract::css_selector::parse(*v); !selector)
                r.fail("content_selector", selector.err().message);
            f.content_selector = *v;
        }
        r.reject_unknown_keys();
        // A map, not a scan of the feeds so far: ten thousand feeds would cost 50 million
        // comparisons.
        if (const auto [it, added] = feed_index_.emplace(f.url, config_.feeds.size()); !added)
            r.fail("url", "feed " + core::redact_credentials(f.url) + " is already configured at " +
                              config_.feeds[it->second].where.to_string());
        config_.feeds.push_back(std::move(f));
    }

    void read_watch(const toml::table& t, const std::string& file, const std::string& ctx) {
        toml_table_reader r(t, file, ctx);
        watch_config w;
        w.where = r.where();
        w.spec.name = r.required_string("name");
        w.spec.query = r.required_string("query");
        if (auto v = r.string_list("sinks")) w.sinks = *v;
        if (auto v = r.string_list("fields")) {
            static const std::set<std::string> known{"title",    "summary", "content", "author",
                                                     "category", "feed",    "link",    "article"};
            for (const auto& f : *v)
                if (!known.contains(f))
                    r.fail("fields",
                           "unknown field '" + f +
                               "' (title, summary, content, author, category, feed, link, article)");
            w.spec.fields = *v;
        }
        if (auto v = r.integer("min_hits", 1, 1000)) w.spec.min_hits = static_cast<int>(*v);
        if (auto v = r.string("negated")) {
            if (*v == "keep") w.spec.negated = matcher::negated_policy::keep;
            else if (*v == "ignore") w.spec.negated = matcher::negated_policy::ignore;
            else r.fail("negated", "must be \"keep\" or \"ignore\"");
        }
        if (auto v = r.string("language")) w.spec.language = *v;
        if (auto v = r.boolean("stemming")) w.spec.stemming = *v;
        if (auto v = r.boolean("accent_insensitive")) w.spec.accent_insensitive = *v;
        if (auto v = r.string("priority")) {
            if (*v != "high" && *v != "default" && *v != "low")
                r.fail("priority", "must be \"high\", \"default\" or \"low\"");
            w.priority = *v;
        }
        if (auto v = r.boolean("urgent")) w.urgent = *v;
        if (auto v = r.integer("storm_threshold", 0, max_storm_threshold))
            w.storm_threshold = static_cast<int>(*v);
        w.storm_window = storm_window_of(r);
        // Topic centrality (#15 item 2): docs/CONFIG.md, "Watches that fire on what they mean".
        if (auto v = r.string("scope")) {
            if (*v == "any") w.spec.scope = matcher::watch_scope::any;
            else if (*v == "body") w.spec.scope = matcher::watch_scope::body;
            else if (*v == "lede") w.spec.scope = matcher::watch_scope::lede;
            else r.fail("scope", "must be \"any\", \"body\" or \"lede\"");
        }
        if (auto v = r.number("min_density", 0.0, 100.0)) {
            if (w.spec.scope != matcher::watch_scope::body)
                r.fail("min_density", "only applies with scope = \"body\"");
            w.spec.min_density = *v;
        }
        if (auto v = r.string("hold_back")) {
            if (v->find_first_not_of(" \t\r\n") == std::string::npos) r.fail("hold_back", "must not be empty");
            w.spec.hold_back = *v;
        }
        auto claim = r.string("claim");
        auto stances = r.string_list("stance");
        auto min_confidence = r.number("min_confidence", 0.0, 1.0);
        if (claim) {
            claim_config c;
            c.claim = *claim;
            if (c.claim.empty()) r.fail("claim", "must not be empty");
            if (stances) {
                static const std::set<std::string> labels{"agree", "disagree", "discuss", "unrelated"};
                for (const auto& s : *stances)
                    if (!labels.contains(s)) r.fail("stance", "unknown stance '" + s + "' (agree, disagree, discuss, unrelated)");
                c.stances = *stances;
            }
            if (min_confidence) c.min_confidence = *min_confidence;
            w.claim = std::move(c);
        } else if (stances || min_confidence) {
            r.fail(stances ? "stance" : "min_confidence", "needs a 'claim' in the same watch");
        }
        if (auto v = r.boolean("fetch_article")) w.fetch_article = *v;
        w.prefilter = r.string("prefilter");
        if (w.prefilter && !w.fetch_article)
            r.fail("prefilter", "only used with fetch_article = true in the same watch");
        if (w.prefilter && w.prefilter->empty()) r.fail("prefilter", "must not be empty");
        r.reject_unknown_keys();
        for (const auto& existing : config_.watches)
            if (existing.spec.name == w.spec.name)
                r.fail("name", "watch '" + w.spec.name + "' is already defined at " + existing.where.to_string());
        config_.watches.push_back(std::move(w));
    }

    void read_sink(const toml::table& t, const std::string& file, const std::string& ctx) {
        toml_table_reader r(t, file, ctx);
        sink_config s = read_sink_config(r);
        for (const auto& existing : config_.sinks)
            if (existing.name == s.name)
                r.fail("name", "sink '" + s.name + "' is already defined at " + existing.where.to_string());
        config_.sinks.push_back(std::move(s));
    }

    void validate() {
        std::set<std::string> sink_names;
        for (const auto& s : config_.sinks) sink_names.insert(s.name);
        for (const auto& name : config_.daemon.default_sinks)
            if (!sink_names.contains(name))
                throw config_error(config_.file.string() + ": [daemon] default_sinks: no sink named '" + name + "'");
        if (config_.daemon.health_sinks)
            for (const auto& name : *config_.daemon.health_sinks)
                if (!sink_names.contains(name))
                    throw config_error(config_.file.string() + ": [daemon] health_sinks: no sink named '" + name + "'");
        for (const auto& w : config_.watches)
            for (const auto& name : w.sinks)
                if (!sink_names.contains(name))
                    throw config_error(w.where.to_string() + ": watch '" + w.spec.name + "' key 'sinks': no sink named '" +
                                       name + "'");
        // Compile every query now so that a syntax error fails startup with its position.
        std::vector<matcher::watch_spec> specs;
        for (const auto& w : config_.watches) specs.push_back(w.spec);
        config_.compiled_watches = compile_or_fail(std::move(specs), "");
        compile_prefilters();
    }

    // Compiles `specs`; a syntax error fails startup at the watch it is in (`key` names the
    // key when it is not the query).
    std::shared_ptr<const matcher::watch_set> compile_or_fail(std::vector<matcher::watch_spec> specs,
                                                              const std::string& key) {
        matcher::query_error error;
        auto compiled = matcher::watch_set::compile(std::move(specs), &error);
        if (!compiled) {
            std::string where = config_.file.string();
            for (const auto& w : config_.watches)
                if (w.spec.name == error.watch) where = w.where.to_string();
            throw config_error(where + ": " + key + error.to_string());
        }
        return std::make_shared<const matcher::watch_set>(std::move(*compiled));
    }

    // The prefilters of fetch_article watches: the watch's own query (or its `prefilter`)
    // over title and summary, so an article is fetched only for items that may be about
    // the watch's topic. min_hits stays 1: the article is what the watch then judges.
    void compile_prefilters() {
        std::vector<matcher::watch_spec> specs;
        for (const auto& w : config_.watches) {
            if (!w.fetch_article) continue;
            matcher::watch_spec p = w.spec;
            if (w.prefilter) p.query = *w.prefilter;
            p.fields = {"title", "summary"};
            p.min_hits = 1;
            specs.push_back(std::move(p));
        }
        if (specs.empty()) return;
        config_.compiled_prefilters = compile_or_fail(std::move(specs), "key 'prefilter': ");
    }

    configuration config_;
    std::unordered_map<std::string, std::size_t> feed_index_;  // url -> index in config_.feeds
    std::vector<fs::path> stack_;
    std::set<fs::path> loaded_;
};

}  // namespace

configuration load_configuration(const std::filesystem::path& file) {
    return configuration_loader{}.load(file);
}

}  // namespace newswatch::config
