// newswatch alerts list [--since TIME] [--watch W] [--sink S] [--state pending|delivered|dead] [--json]
// newswatch alerts show ID [--json]
// newswatch alerts retry ID [--sink S] | retry --dead [--sink S]
// newswatch alerts replay --since TIME --sink S
// (each with [--state-dir DIR | --config FILE]; TIME is RFC 3339 or a duration back from
// now such as 2h). Reads and changes the outbox in state.db; a running daemon picks up
// retries and replays at its next drain, within 5 s.
#include <cstdio>

#include <boost/json.hpp>

#include "commands.hpp"
#include "newswatch/config/config.hpp"
#include "newswatch/core/feed_url.hpp"
#include "newswatch/core/output_text.hpp"
#include "newswatch/store/alert_history.hpp"
#include "runtime_setup.hpp"

namespace newswatch::app {
namespace {

constexpr const char* alerts_usage =
    "usage: newswatch alerts list [--since TIME] [--watch W] [--sink S] [--state pending|delivered|dead] "
    "[--json]\n"
    "       newswatch alerts show ID [--json]\n"
    "       newswatch alerts retry ID [--sink S] | newswatch alerts retry --dead [--sink S]\n"
    "       newswatch alerts replay --since TIME --sink S\n"
    "  each with [--state-dir DIR | --config FILE]; TIME: RFC 3339 or a duration back from now (2h, 7d)";

core::timestamp parse_time(const std::string& text) {
    if (auto t = core::parse_rfc3339(text)) return *t;
    if (auto d = core::parse_duration(text)) return core::now_utc() - *d;
    throw usage_error("newswatch alerts: --since " + text +
                      ": not an RFC 3339 time or a duration such as 2h");
}

boost::json::value time_or_null(const std::optional<core::timestamp>& t) {
    if (!t) return nullptr;
    return boost::json::string(core::format_rfc3339(*t));
}

// What one delivery says, as JSON (the stored values, made safe for output).
boost::json::object delivery_json(const store::alert_delivery& d) {
    return {{"id", d.alert_id},
            {"sink", d.sink},
            {"event", d.event},
            {"watch", d.watch},
            {"state", d.state},
            {"created_at", core::format_rfc3339(d.created_at)},
            {"finished_at", time_or_null(d.finished_at)},
            {"next_attempt_at", time_or_null(d.next_attempt_at)},
            {"attempts", d.attempts},
            {"last_error", core::payload_text(d.last_error)},
            {"title", core::payload_text(d.title)}};
}

int fail(const std::string& message) {
    std::fprintf(stderr, "newswatch alerts: %s\n", core::log_escaped(message).c_str());
    return 1;
}

int list(store::alert_history& history, const store::alert_filter& filter, bool json) {
    auto rows = history.list(filter);
    if (!rows) return fail(rows.err().message);
    if (json) {
        for (const auto& d : *rows) std::printf("%s\n", boost::json::serialize(delivery_json(d)).c_str());
        return 0;
    }
    std::printf("%-20s %-32s %-16s %-12s %-9s %4s  %s\n", "CREATED", "ID", "WATCH", "SINK", "STATE", "TRY",
                "TITLE");
    for (const auto& d : *rows)
        std::printf("%-20s %-32s %-16s %-12s %-9s %4d  %s\n", core::format_rfc3339(d.created_at).c_str(),
                    d.alert_id.c_str(), core::log_escaped(d.watch).c_str(), core::log_escaped(d.sink).c_str(),
                    d.state.c_str(), d.attempts,
                    core::log_escaped(d.title.empty() ? d.event : d.title).c_str());
    return 0;
}

// Every other source that carried the story (issue #13: deduplicated items), as JSON.
boost::json::array sources_json(const std::vector<store::duplicate_source>& sources) {
    boost::json::array out;
    for (const auto& d : sources)
        out.push_back({{"alert_id", d.alert_id},
                       {"feed", core::payload_text(core::redact_credentials(d.feed_url))},
                       {"item_id", core::payload_text(d.item_id)},
                       {"title", core::payload_text(d.item_title.value_or(""))},
                       {"link", core::payload_text(d.item_link.value_or(""))},
                       {"rule", d.rule},
                       {"similarity", d.similarity},
                       {"seen_at", core::format_rfc3339(d.seen_at)}});
    return out;
}

int show(store::state_store& store, store::alert_history& history, const std::string& id, bool json) {
    auto deliveries = history.deliveries_of(id);
    if (!deliveries) return fail(deliveries.err().message);
    auto sources = store.duplicates_of(id);
    if (!sources) return fail(sources.err().message);
    if (deliveries->empty())
        return fail("no alert " + id + " (pruned after alert_retention, or never recorded)");
    boost::json::array sinks;
    for (const auto& d : *deliveries) {
        auto attempts = history.attempts_of(d.row_id);
        if (!attempts) return fail(attempts.err().message);
        boost::json::object o = delivery_json(d);
        boost::json::array tries;
        for (const auto& a : *attempts)
            tries.push_back({{"at", core::format_rfc3339(a.at)},
                             {"outcome", a.outcome},
                             {"detail", core::payload_text(a.detail)}});
        o["attempt_history"] = std::move(tries);
        sinks.push_back(std::move(o));
    }
    boost::system::error_code ec;
    boost::json::value payload = boost::json::parse(deliveries->front().payload, ec);
    if (ec) payload = boost::json::string(core::payload_text(deliveries->front().payload));
    if (json) {
        const boost::json::object shown{{"id", id},
                                        {"alert", payload},
                                        {"deliveries", sinks},
                                        {"also_carried_by", sources_json(*sources)}};
        std::printf("%s\n", boost::json::serialize(shown).c_str());
        return 0;
    }
    const auto& first = deliveries->front();
    std::printf("alert %s (%s, watch %s, detected %s)\n", id.c_str(), first.event.c_str(),
                core::log_escaped(first.watch).c_str(), core::format_rfc3339(first.created_at).c_str());
    if (!first.title.empty()) std::printf("title: %s\n", core::log_escaped(first.title).c_str());
    if (payload.is_object())
        if (auto* item = payload.as_object().if_contains("item"); item && item->is_object())
            if (auto* link = item->as_object().if_contains("link"); link && link->is_string())
                std::printf("link:  %s\n", core::log_escaped(link->as_string()).c_str());
    if (!sources->empty()) {
        std::printf("also carried by %zu other item%s (not delivered again):\n", sources->size(),
                    sources->size() == 1 ? "" : "s");
        for (const auto& d : *sources)
            std::printf("  %s  %s  %s (%s, %.2f)\n", core::format_rfc3339(d.seen_at).c_str(),
                        core::log_escaped(core::redact_credentials(d.feed_url)).c_str(),
                        core::log_escaped(d.item_title.value_or(d.item_id)).c_str(), d.rule.c_str(),
                        d.similarity);
    }
    for (const auto& d : *deliveries) {
        std::printf("\nsink %s: %s after %d attempt%s", core::log_escaped(d.sink).c_str(), d.state.c_str(),
                    d.attempts, d.attempts == 1 ? "" : "s");
        if (d.finished_at) std::printf(" (%s)", core::format_rfc3339(*d.finished_at).c_str());
        if (d.next_attempt_at)
            std::printf(" (next attempt %s)", core::format_rfc3339(*d.next_attempt_at).c_str());
        std::printf("\n");
        auto attempts = history.attempts_of(d.row_id);
        if (!attempts) return fail(attempts.err().message);
        for (const auto& a : *attempts)
            std::printf("  %s  %-9s %s\n", core::format_rfc3339(a.at).c_str(), a.outcome.c_str(),
                        core::log_escaped(a.detail).c_str());
    }
    return 0;
}

}  // namespace

int run_alerts(cli_args& args) {
    const auto state_dir_option = args.option("--state-dir");
    const auto config_file = args.option("--config");
    const auto since = args.option("--since");
    const auto watch = args.option("--watch");
    const auto sink = args.option("--sink");
    const auto state = args.option("--state");
    const auto limit = args.option("--limit");
    const bool json = args.flag("--json");
    const bool dead = args.flag("--dead");
    const auto rest = args.positionals();
    if (rest.empty()) throw usage_error(alerts_usage);
    const std::string& action = rest[0];
    if (state && *state != "pending" && *state != "delivered" && *state != "dead")
        throw usage_error("newswatch alerts: --state must be pending, delivered or dead");

    // A sink named for retry or replay must exist when the config is at hand: a typo would
    // otherwise queue alerts for a sink nobody drains.
    if (sink && config_file && (action == "retry" || action == "replay")) {
        const auto cfg = config::load_configuration(*config_file);
        bool known = *sink == implicit_log_sink;
        for (const auto& s : cfg.sinks) known = known || s.name == *sink;
        if (!known) throw usage_error("newswatch alerts: no sink named '" + *sink + "' in " + *config_file);
    }

    const auto state_dir = tool_state_dir(state_dir_option, config_file);
    const auto db = state_dir / "state.db";
    if (!std::filesystem::exists(db))
        return fail(db.string() + ": no state database (has newswatchd run here?)");
    auto opened = store::state_store::open(db);
    if (!opened) return fail(opened.err().message);
    store::alert_history history(*opened);
    const auto now = core::now_utc();

    if (action == "list") {
        if (rest.size() != 1 || dead) throw usage_error(alerts_usage);
        store::alert_filter filter;
        if (since) filter.since = parse_time(*since);
        filter.watch = watch.value_or("");
        filter.sink = sink.value_or("");
        filter.state = state.value_or("");
        if (limit) {
            try {
                filter.limit = std::stoi(*limit);
            } catch (const std::exception&) {
                throw usage_error("newswatch alerts: --limit must be a number");
            }
        }
        return list(history, filter, json);
    }
    if (since && action != "replay") throw usage_error(alerts_usage);
    if (watch || state || limit) throw usage_error(alerts_usage);
    if (action == "show") {
        if (rest.size() != 2 || dead || sink) throw usage_error(alerts_usage);
        return show(*opened, history, rest[1], json);
    }
    if (json) throw usage_error(alerts_usage);
    if (action == "retry") {
        if (dead == (rest.size() == 2) || rest.size() > 2) throw usage_error(alerts_usage);
        auto changed = dead ? history.retry_dead(sink.value_or(""), now)
                            : history.retry(rest[1], sink.value_or(""), now);
        if (!changed) return fail(changed.err().message);
        if (!dead && *changed == 0)
            return fail("alert " + rest[1] + " has no undelivered delivery" +
                        (sink ? " to sink " + *sink : ""));
        std::printf("%lld deliver%s queued again; a running newswatchd sends %s within 5 s\n",
                    static_cast<long long>(*changed), *changed == 1 ? "y" : "ies",
                    *changed == 1 ? "it" : "them");
        return 0;
    }
    if (action == "replay") {
        if (rest.size() != 1 || dead || !since || !sink) throw usage_error(alerts_usage);
        auto changed = history.replay(parse_time(*since), *sink, now);
        if (!changed) return fail(changed.err().message);
        std::printf("%lld alert%s queued for sink %s; a running newswatchd sends %s within 5 s\n",
                    static_cast<long long>(*changed), *changed == 1 ? "" : "s",
                    core::log_escaped(*sink).c_str(), *changed == 1 ? "it" : "them");
        return 0;
    }
    throw usage_error(alerts_usage);
}

}  // namespace newswatch::app
