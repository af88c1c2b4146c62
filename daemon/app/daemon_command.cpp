// newswatchd --config FILE [--once] [--state-dir DIR] [--log-level LEVEL] [--log-format F]
#include <systemd/sd-daemon.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <spdlog/spdlog.h>

#include "commands.hpp"
#include "logging_setup.hpp"
#include "newswatch/config/config.hpp"
#include "newswatch/config/config_error.hpp"
#include "newswatch/pipeline/feed_monitor.hpp"
#include "newswatch/stance/model_path.hpp"
#include "newswatch/version.hpp"
#include "runtime_setup.hpp"

namespace newswatch::app {

namespace {

constexpr const char* daemon_usage =
    "usage: newswatchd --config FILE [--once] [--state-dir DIR] [--log-level LEVEL] [--log-format auto|human|json|journal]";

std::optional<stance::stance_model> load_stance_model(const config::configuration& cfg,
                                                      const std::optional<std::string>& cli_model) {
    const bool needed = std::any_of(cfg.watches.begin(), cfg.watches.end(), [](const auto& w) { return w.claim.has_value(); });
    if (!needed) return std::nullopt;
    std::optional<std::filesystem::path> cli;
    if (cli_model) cli = *cli_model;
    auto path = stance::find_model_path(cli, cfg.stance.model, "/proc/self/exe");
    if (!path) throw config::config_error(path.err().message);
    auto model = stance::stance_model::load(*path);
    if (!model) throw config::config_error(model.err().message);
    spdlog::info("stance model {} loaded from {}", model->version(), path->string());
    return std::move(*model);
}

}  // namespace

int run_daemon(cli_args& args) {
    if (args.flag("--help") || args.flag("-h")) {
        std::puts(daemon_usage);
        return 0;
    }
    if (args.flag("--version")) {
        std::printf("newswatchd %s\n", version);
        return 0;
    }
    const auto config_file = args.option("--config");
    const bool once = args.flag("--once");
    const auto state_dir_option = args.option("--state-dir");
    const auto log_level = args.option("--log-level");
    const auto log_format_text = args.option("--log-format");
    const auto model_option = args.option("--model");
    if (!args.positionals().empty()) throw usage_error(std::string("unexpected argument; ") + daemon_usage);
    if (!config_file) throw usage_error(std::string("--config is required; ") + daemon_usage);

    const config::configuration cfg = config::load_configuration(*config_file);
    setup_logging(log_level.value_or(cfg.daemon.log_level), parse_log_format(log_format_text.value_or("auto")));

    const auto state_dir = resolve_state_dir(state_dir_option, cfg);
    ensure_state_dir(state_dir);
    auto opened = store::state_store::open(state_dir / "state.db");
    if (!opened) throw std::runtime_error(opened.err().message);
    store::state_store store = std::move(*opened);

    std::vector<matcher::watch_spec> specs;
    for (const auto& w : cfg.watches) specs.push_back(w.spec);
    matcher::query_error query_error;
    auto compiled = matcher::watch_set::compile(std::move(specs), &query_error);
    if (!compiled) throw config::config_error(query_error.to_string());
    const matcher::watch_set watches = std::move(*compiled);
    const auto stance_model = load_stance_model(cfg, model_option);

    const auto bindings = watch_bindings_of(cfg);
    const auto options = pipeline_options_of(cfg);
    auto sinks = make_sinks(cfg, state_dir);
    std::map<std::string, sinks::alert_sink*> sink_refs;
    for (auto& [name, sink] : sinks) sink_refs[name] = sink.get();

    boost::asio::io_context io;
    fetcher::http_client client(io.get_executor(), client_options_of(cfg));
    pipeline::item_processor processor(options, watches, bindings, stance_model ? &*stance_model : nullptr, store);
    pipeline::outbox_dispatcher dispatcher(store, sink_refs);
    pipeline::feed_monitor monitor(io.get_executor(), client, processor, dispatcher, store, feed_definitions_of(cfg),
                                   options);

    auto logger = spdlog::get("daemon");
    logger->info("newswatchd {} starting: {} feeds, {} watches, {} sinks, state {}{}", version, cfg.feeds.size(),
                 cfg.watches.size(), cfg.sinks.size(), (state_dir / "state.db").string(), once ? " (--once)" : "");

    int exit_code = 0;
    boost::asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code& ec, int signo) {
        if (ec) return;
        logger->info("signal {} received: stopping", signo);
        sd_notify(0, "STOPPING=1");
        monitor.stop();
        signals.cancel();
        io.stop();
    });

    if (once) {
        monitor.run_once([&](const pipeline::round_totals& t) {
            logger->info("round done: {} feeds, {} ok, {} not modified, {} failed, {} new items, {} alerts, {} delivered",
                         t.feeds, t.fetched_ok, t.not_modified, t.failed, t.new_items, t.alerts,
                         dispatcher.totals().delivered);
            signals.cancel();
            io.stop();
        });
    } else {
        monitor.start();
        sd_notify(0, "READY=1");
    }
    io.run();
    monitor.stop();
    client.cancel_all();
    io.restart();
    io.poll();  // let cancelled transfers and coroutines finish
    if (auto pending = store.count_pending(); pending && *pending > 0)
        logger->info("{} alert deliveries still pending in the outbox", *pending);
    logger->info("newswatchd stopped");
    return exit_code;
}

}  // namespace newswatch::app
