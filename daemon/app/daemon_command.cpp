// newswatchd --config FILE [--once] [--state-dir DIR] [--log-level LEVEL] [--log-format F] [--model PATH]
#include <systemd/sd-daemon.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <spdlog/spdlog.h>

#include "commands.hpp"
#include "daemon_generation.hpp"
#include "logging_setup.hpp"
#include "newswatch/config/config_error.hpp"
#include "newswatch/logging/module_logger.hpp"
#include "newswatch/logging/structured_log.hpp"
#include "newswatch/version.hpp"
#include "runtime_setup.hpp"

namespace newswatch::app {

namespace {

constexpr const char* daemon_usage =
    "usage: newswatchd --config FILE [--once] [--state-dir DIR] [--log-level LEVEL] "
    "[--log-format auto|human|json|journal] [--model PATH]";

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
    const auto log_format = parse_log_format(args.option("--log-format").value_or("auto"));
    const auto model_option = args.option("--model");
    if (!args.positionals().empty()) throw usage_error(std::string("unexpected argument; ") + daemon_usage);
    if (!config_file) throw usage_error(std::string("--config is required; ") + daemon_usage);

    config::configuration cfg = config::load_configuration(*config_file);
    setup_logging(log_level.value_or(cfg.daemon.log_level), log_format, cfg.daemon.log_levels);

    const auto state_dir = resolve_state_dir(state_dir_option, cfg);
    ensure_state_dir(state_dir);
    auto opened = store::state_store::open(state_dir / "state.db");
    if (!opened) throw std::runtime_error(opened.err().message);
    store::state_store store = std::move(*opened);

    // Declared before the io_context and the generations: it is joined by hand before they
    // go (below) and outlives them.
    pipeline::compute_pool compute(worker_threads_of(cfg));
    boost::asio::io_context io;
    const std::size_t feed_count = cfg.feeds.size(), watch_count = cfg.watches.size(), sink_count = cfg.sinks.size();
    std::unique_ptr<daemon_generation> current =
        build_generation(std::move(cfg), io.get_executor(), store, compute, state_dir, model_option);
    auto logger = logging::module_logger("daemon");
    const auto info = [&](std::string_view message, const logging::log_fields& fields) {
        logging::log(*logger, spdlog::level::info, message, fields);
    };
    info(once ? "newswatchd starting (--once)" : "newswatchd starting",
         {.event = "start",
          .extra = {{"version", version},
                    {"feeds", feed_count},
                    {"watches", watch_count},
                    {"sinks", sink_count},
                    {"worker_threads", compute.threads()},
                    {"state", (state_dir / "state.db").string()}}});

    boost::asio::signal_set stop_signals(io, SIGINT, SIGTERM);
    stop_signals.async_wait([&](const boost::system::error_code& ec, int signo) {
        if (ec) return;
        info("signal received: stopping", {.event = "stop", .extra = {{"signal", signo}}});
        sd_notify(0, "STOPPING=1");
        current->monitor->stop();
        io.stop();
    });

    // SIGHUP: read the configuration again; keep the old one if the new one is bad. The
    // old generation stops first (its coroutines end), then the new one starts.
    boost::asio::signal_set reload_signals(io, SIGHUP);
    std::unique_ptr<daemon_generation> retiring;
    std::function<void()> wait_for_reload = [&] {
        reload_signals.async_wait([&](const boost::system::error_code& ec, int) {
            if (ec) return;
            sd_notify(0, "RELOADING=1");
            try {
                auto next = build_generation(config::load_configuration(*config_file), io.get_executor(), store,
                                             compute, state_dir, model_option);
                if (resolve_state_dir(state_dir_option, next->cfg) != state_dir)
                    logging::log(*logger, spdlog::level::warn,
                                 "a new state_dir takes effect only after a restart", {.event = "reload"});
                info("configuration reloaded", {.event = "reload",
                                                .outcome = "ok",
                                                .extra = {{"feeds", next->cfg.feeds.size()},
                                                          {"watches", next->cfg.watches.size()},
                                                          {"sinks", next->cfg.sinks.size()}}});
                retiring = std::move(current);
                current = std::move(next);
                retiring->monitor->stop([&] {
                    retiring.reset();
                    current->monitor->start();
                    sd_notify(0, "READY=1");
                });
            } catch (const std::exception& e) {
                logging::log(*logger, spdlog::level::err, "reload failed, keeping the running configuration",
                             {.event = "reload", .outcome = "failed", .extra = {{"error", e.what()}}});
                sd_notify(0, "READY=1");
            }
            wait_for_reload();
        });
    };

    if (once) {
        current->monitor->run_once([&](const pipeline::round_totals& t) {
            info("round done", {.event = "round_summary",
                                .extra = {{"feeds", t.feeds},
                                          {"ok", t.fetched_ok},
                                          {"not_modified", t.not_modified},
                                          {"failed", t.failed},
                                          {"new_items", t.new_items},
                                          {"alerts", t.alerts},
                                          {"delivered", current->dispatcher->totals().delivered}}});
            io.stop();
        });
    } else {
        wait_for_reload();
        current->monitor->start();
        sd_notify(0, "READY=1");
    }
    io.run();

    // Let cancelled transfers and coroutines finish (at most 5 s) before anything is
    // destroyed; idle keep-alive connections would otherwise keep the loop busy.
    stop_signals.cancel();
    reload_signals.cancel();
    int stopping = 1 + (retiring ? 1 : 0);
    current->monitor->stop([&] { --stopping; });
    if (retiring) retiring->monitor->stop([&] { --stopping; });
    io.restart();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (stopping > 0 && std::chrono::steady_clock::now() < deadline)
        io.run_one_for(std::chrono::milliseconds(100));
    // Work still on a worker reads the generations' watches and model: let it finish first.
    compute.join();
    retiring.reset();
    current.reset();  // closes connections, removes socket watchers
    io.restart();
    io.poll();
    if (auto pending = store.count_pending(); pending && *pending > 0)
        info("alert deliveries still pending in the outbox",
             {.event = "stop", .extra = {{"pending", *pending}}});
    info("newswatchd stopped", {.event = "stop", .outcome = "ok"});
    return 0;
}

}  // namespace newswatch::app
