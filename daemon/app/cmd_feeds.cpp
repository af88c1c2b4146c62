// newswatch feeds list --config FILE [--state-dir DIR] [--json]
// newswatch feeds reset --config FILE [--state-dir DIR] URL
// newswatch feeds import-opml FILE [--out FILE]; feeds export-opml --config FILE [--out FILE]
#include <cstdio>

#include <boost/json.hpp>

#include "commands.hpp"
#include "newswatch/config/config.hpp"
#include "newswatch/core/feed_url.hpp"
#include "newswatch/core/output_text.hpp"
#include "newswatch/store/state_store.hpp"
#include "runtime_setup.hpp"

namespace newswatch::app {

namespace {

constexpr const char* feeds_usage =
    "usage: newswatch feeds list --config FILE [--state-dir DIR] [--json]\n"
    "       newswatch feeds reset --config FILE [--state-dir DIR] URL\n"
    "       newswatch feeds import-opml FILE [--out FEEDS.toml]\n"
    "       newswatch feeds export-opml --config FILE [--out FILE.opml]";

std::string time_or_dash(const std::optional<core::timestamp>& t) { return t ? core::format_rfc3339(*t) : "-"; }

boost::json::value time_or_null(const std::optional<core::timestamp>& t) {
    if (!t) return nullptr;
    return boost::json::string(core::format_rfc3339(*t));
}

std::string state_word(const std::optional<store::feed_state>& s) {
    if (!s) return "never fetched";
    if (s->retired) return "retired";
    if (s->consecutive_failures > 0) return "failing";
    return "ok";
}

}  // namespace

int run_feeds(cli_args& args) {
    const auto config_file = args.option("--config");
    const auto state_dir_option = args.option("--state-dir");
    const bool json = args.flag("--json");
    const auto out = args.option("--out");
    auto rest = args.positionals();
    if (!rest.empty() && rest[0] == "import-opml") {
        if (rest.size() != 2 || config_file || state_dir_option || json) throw usage_error(feeds_usage);
        return import_opml(rest[1], out);
    }
    if (!config_file || rest.empty()) throw usage_error(feeds_usage);
    const std::string action = rest[0];
    if (action == "export-opml") {
        if (rest.size() != 1 || state_dir_option || json) throw usage_error(feeds_usage);
        return export_opml(*config_file, out);
    }
    if (out) throw usage_error(feeds_usage);
    const auto cfg = config::load_configuration(*config_file);
    const auto state_dir = resolve_state_dir(state_dir_option, cfg);
    const auto db = state_dir / "state.db";

    if (action == "list") {
        if (rest.size() != 1) throw usage_error(feeds_usage);
        std::optional<store::state_store> store;
        if (std::filesystem::exists(db)) {
            auto opened = store::state_store::open(db);
            if (!opened) {
                std::fprintf(stderr, "newswatch feeds: %s\n", opened.err().message.c_str());
                return 1;
            }
            store = std::move(*opened);
        }
        if (!json) std::printf("%-9s %-6s %-14s %-20s %-20s %s\n", "STATE", "STATUS", "OUTCOME", "LAST SUCCESS", "NEXT POLL", "URL");
        for (const auto& feed : cfg.feeds) {
            std::optional<store::feed_state> s;
            if (store) {
                auto loaded = store->load_feed(feed.url);
                if (!loaded) {
                    std::fprintf(stderr, "newswatch feeds: %s\n", loaded.err().message.c_str());
                    return 1;
                }
                s = *loaded;
            }
            if (json) {
                boost::json::object o;
                o["url"] = core::redact_credentials(feed.url);
                o["state"] = state_word(s);
                o["effective_url"] = s && s->effective_url
                                         ? boost::json::value(core::redact_credentials(*s->effective_url))
                                         : nullptr;
                o["title"] = s && s->title ? boost::json::value(*s->title) : nullptr;
                o["last_status"] = s ? s->last_status : 0;
                o["last_outcome"] = s ? s->last_outcome : "";
                o["last_error"] = s ? s->last_error : "";
                o["consecutive_failures"] = s ? s->consecutive_failures : 0;
                o["retired"] = s ? s->retired : false;
                o["last_fetch_at"] = s ? time_or_null(s->last_fetch_at) : nullptr;
                o["last_success_at"] = s ? time_or_null(s->last_success_at) : nullptr;
                o["last_new_item_at"] = s ? time_or_null(s->last_new_item_at) : nullptr;
                o["failing_since"] = s ? time_or_null(s->failing_since) : nullptr;
                o["next_poll_at"] = s ? time_or_null(s->next_poll_at) : nullptr;
                std::printf("%s\n", boost::json::serialize(o).c_str());
            } else {
                std::printf(
                    "%-9s %-6s %-14s %-20s %-20s %s%s\n", state_word(s).c_str(),
                    s && s->last_status ? std::to_string(s->last_status).c_str() : "-",
                    s && !s->last_outcome.empty() ? s->last_outcome.c_str() : "-",
                    s ? time_or_dash(s->last_success_at).c_str() : "-",
                    s ? time_or_dash(s->next_poll_at).c_str() : "-", core::log_escaped(core::redact_credentials(feed.url)).c_str(),
                    s && s->effective_url ? (" -> " + core::log_escaped(core::redact_credentials(*s->effective_url))).c_str() : "");
            }
        }
        return 0;
    }
    if (action == "reset") {
        if (rest.size() != 2) throw usage_error(feeds_usage);
        const std::string& url = rest[1];
        const bool configured = std::any_of(cfg.feeds.begin(), cfg.feeds.end(), [&](const auto& f) { return f.url == url; });
        if (!configured) {
            std::fprintf(stderr, "newswatch feeds reset: %s is not a feed in %s\n",
                         core::redact_credentials(url).c_str(), config_file->c_str());
            return 1;
        }
        // Never creates state.db: a new empty one would hide a lost database from newswatchd.
        if (!std::filesystem::exists(db)) {
            std::printf("%s: no state yet; nothing to reset\n", core::redact_credentials(url).c_str());
            return 0;
        }
        auto opened = store::state_store::open(db);
        if (!opened) {
            std::fprintf(stderr, "newswatch feeds reset: %s\n", opened.err().message.c_str());
            return 1;
        }
        auto reset = opened->reset_feed(url);
        if (!reset) {
            std::fprintf(stderr, "newswatch feeds reset: %s\n", reset.err().message.c_str());
            return 1;
        }
        std::printf("%s: %s\n", core::redact_credentials(url).c_str(),
                    *reset
                        ? "reset (retirement and backoff cleared; a running newswatchd polls it within 5 s)"
                        : "no state yet; nothing to reset");
        return 0;
    }
    throw usage_error(feeds_usage);
}

}  // namespace newswatch::app
