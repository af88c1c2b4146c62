// newswatch status [--state-dir DIR | --config FILE] [--json]
// The running daemon (pid, uptime, config), feeds by state, last round, the outbox and the
// WebSub subscriptions (each feed at each hub: active, requested, denied with the hub's
// reason, failed).
// While newswatchd runs the figures come from its status.json (refreshed every 5 s) and
// the outbox from state.db; when it is down, everything comes from state.db. Needs only
// read access to the state directory (members of the service group).
#include <cstdio>

#include <boost/json.hpp>

#include "commands.hpp"
#include "instance_lock.hpp"
#include "newswatch/config/config.hpp"
#include "newswatch/core/feed_url.hpp"
#include "newswatch/core/output_text.hpp"
#include "newswatch/store/state_store.hpp"
#include "newswatch/store/websub_subscriptions.hpp"
#include "newswatch/version.hpp"
#include "runtime_setup.hpp"
#include "service_status.hpp"

namespace newswatch::app {

namespace {

constexpr const char* status_usage = "usage: newswatch status [--state-dir DIR | --config FILE] [--json]";

std::string time_or_dash(const std::optional<core::timestamp>& t) {
    return t ? core::format_rfc3339(*t) : "-";
}

std::string feeds_line(const feed_counts& f) {
    return with_thousands(f.total()) + ": " + with_thousands(f.ok) + " ok, " + with_thousands(f.failing) +
           " failing, " + with_thousands(f.retired) + " retired, " + with_thousands(f.never_fetched) +
           " never fetched";
}

boost::json::array websub_json(const std::vector<store::websub_subscription>& subs) {
    boost::json::array out;
    for (const auto& s : subs)
        out.push_back(boost::json::object{
            {"feed", s.feed_url},
            {"hub", core::redact_credentials(s.hub)},
            {"state", s.state},
            {"expires_at", s.expires_at ? boost::json::value(core::format_rfc3339(*s.expires_at)) : nullptr},
            {"last_error", core::payload_text(s.last_error)}});
    return out;
}

// "2: 1 active, 1 denied" (states in a fixed order).
std::string websub_line(const std::vector<store::websub_subscription>& subs) {
    std::string line = with_thousands(subs.size());
    const char* separator = ": ";
    for (const char* state : {"active", "requested", "denied", "failed", "unsubscribing"}) {
        std::size_t n = 0;
        for (const auto& s : subs) n += s.state == state ? 1 : 0;
        if (n == 0) continue;
        line += separator + with_thousands(n) + " " + state;
        separator = ", ";
    }
    return line;
}

}  // namespace

int run_status(cli_args& args) {
    if (args.flag("--help") || args.flag("-h")) {
        std::puts(status_usage);
        return 0;
    }
    const auto state_dir_option = args.option("--state-dir");
    const auto config_file = args.option("--config");
    const bool as_json = args.flag("--json");
    if (!args.positionals().empty()) throw usage_error(status_usage);
    const auto state_dir = tool_state_dir(state_dir_option, config_file);

    const std::optional<pid_t> holder = instance_lock::holder(state_dir);
    std::optional<service_status> recorded = read_status_file(state_dir);
    const bool running = holder.has_value();
    // A status file whose daemon is gone (stopped, or killed before it could say so)
    // describes the last run only; the database is the truth then.
    service_status status;
    if (running && recorded && recorded->pid == *holder) status = *recorded;
    status.running = running;
    if (running && status.pid == 0) status.pid = *holder;
    status.state_dir = state_dir.string();

    std::optional<std::string> db_problem;
    std::vector<store::websub_subscription> websub;
    auto store = store::state_store::open_read_only(state_dir / "state.db");
    if (store) {
        if (auto subs = store::websub_subscriptions(*store).all()) websub = std::move(*subs);
        if (auto counts = store->count_outbox())
            status.alerts = *counts;
        else
            db_problem = counts.err().message;
        if (!running || !recorded || recorded->pid != *holder) {
            auto feeds = store->all_feeds();
            if (feeds) {
                std::vector<store::feed_state> states;
                if (config_file) {
                    // Only the configured feeds, each once; a feed with no row was never fetched.
                    const auto cfg = config::load_configuration(*config_file);
                    for (const auto& f : cfg.feeds) {
                        store::feed_state s;
                        s.url = f.url;
                        for (const auto& stored : *feeds)
                            if (stored.url == f.url) s = stored;
                        states.push_back(std::move(s));
                    }
                } else {
                    states = std::move(*feeds);
                }
                status.feeds = count_feeds(states);
                status.last_round = last_poll_of(states);
            } else {
                db_problem = feeds.err().message;
            }
        }
    } else {
        db_problem = store.err().message;
    }
    if (!running && !store) {
        std::fprintf(stderr,
                     "newswatch status: newswatchd is not running on %s and its state cannot be read: %s\n",
                     state_dir.c_str(), db_problem->c_str());
        return 1;
    }

    if (as_json) {
        boost::json::object o = to_json(status);
        if (!running) {
            // Nothing of a stopped daemon but what it left: its last pid and when it wrote.
            o["pid"] = recorded ? boost::json::value(recorded->pid) : nullptr;
            o["started_at"] =
                recorded ? boost::json::value(core::format_rfc3339(recorded->started_at)) : nullptr;
            o["updated_at"] =
                recorded ? boost::json::value(core::format_rfc3339(recorded->updated_at)) : nullptr;
            o["config"] = recorded ? boost::json::value(recorded->config) : nullptr;
            o["version"] = recorded ? boost::json::value(recorded->version) : nullptr;
            o.erase("reload");
        }
        o["websub"] = websub_json(websub);
        o["source"] = running && recorded && recorded->pid == *holder ? "daemon" : "database";
        if (db_problem) o["database_error"] = *db_problem;
        std::printf("%s\n", boost::json::serialize(o).c_str());
        return 0;
    }

    if (running) {
        const auto up = core::now_utc() - status.started_at;
        std::printf("newswatchd   running, pid %d", static_cast<int>(status.pid));
        if (status.started_at.time_since_epoch().count() > 0)
            std::printf(", up %s (since %s)", core::format_duration(up).c_str(),
                        core::format_rfc3339(status.started_at).c_str());
        std::printf("\n");
        if (!status.version.empty()) std::printf("version      %s\n", status.version.c_str());
        if (!status.config.empty()) std::printf("config       %s\n", status.config.c_str());
    } else if (recorded) {
        std::printf("newswatchd   not running (last run: pid %d, %s %s)\n", static_cast<int>(recorded->pid),
                    recorded->running ? "last seen" : "stopped",
                    core::format_rfc3339(recorded->updated_at).c_str());
        if (!recorded->config.empty()) std::printf("config       %s (last run)\n", recorded->config.c_str());
    } else {
        std::printf("newswatchd   not running\n");
    }
    std::printf("state        %s\n", state_dir.c_str());
    std::printf("feeds        %s\n", feeds_line(status.feeds).c_str());
    std::printf("last round   %s\n", time_or_dash(status.last_round).c_str());
    std::printf("alerts       %s pending, %s of them retrying after a failed delivery\n",
                with_thousands(static_cast<std::uint64_t>(status.alerts.pending)).c_str(),
                with_thousands(static_cast<std::uint64_t>(status.alerts.retrying)).c_str());
    if (!websub.empty()) {
        std::printf("websub       %s\n", websub_line(websub).c_str());
        for (const auto& w : websub)
            if (w.state == "denied" || w.state == "failed")
                std::printf("             %s at %s: %s%s%s\n", core::log_escaped(w.feed_url).c_str(),
                            core::log_escaped(core::redact_credentials(w.hub)).c_str(), w.state.c_str(),
                            w.last_error.empty() ? "" : ": ", core::log_escaped(w.last_error).c_str());
    }
    if (running && status.reload.count > 0)
        std::printf("last reload  %s, %s%s\n", time_or_dash(status.reload.at).c_str(),
                    status.reload.accepted ? "accepted" : "rejected: ", status.reload.error.c_str());
    if (db_problem) std::fprintf(stderr, "newswatch status: %s\n", db_problem->c_str());
    return 0;
}

}  // namespace newswatch::app
