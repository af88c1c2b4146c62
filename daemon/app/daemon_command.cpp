// newswatchd --config FILE [--once] [--state-dir DIR] [--new-state] [--log-level LEVEL] [--log-format F]
// [--model PATH]
#include <systemd/sd-daemon.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <spdlog/spdlog.h>

#include "commands.hpp"
#include "daemon_generation.hpp"
#include "logging_setup.hpp"
#include "newswatch/config/config_error.hpp"
#include "newswatch/version.hpp"
#include "runtime_setup.hpp"
#include "state_database.hpp"

namespace newswatch::app {

namespace {

constexpr const char* daemon_usage =
    "usage: newswatchd --config FILE [--once] [--state-dir DIR] [--new-state] [--log-level LEVEL] "
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
    const bool new_state = args.flag("--new-state");
    const auto state_dir_option = args.option("--state-dir");
    const auto log_level = args.option("--log-level");
    const auto log_format = parse_log_format(args.option("--log-format").value_or("auto"));
    const auto model_option = args.option("--model");
    if (!args.positionals().empty()) throw usage_error(std::string("unexpected argument; ") + daemon_usage);
    if (!config_file) throw usage_error(std::string("--config is required; ") + daemon_usage);

    config::configuration cfg = config::load_configuration(*config_file);
    setup_logging(log_level.value_or(cfg.daemon.log_level), log_format);

    const auto state_dir = resolve_state_dir(state_dir_option, cfg);
    ensure_state_dir(state_dir);
    state_database database(state_dir, new_state);
    store::state_store& store = database.store();

    // Declared before the io_context and the generations: it is joined by hand before they
    // go (below) and outlives them.
    pipeline::compute_pool compute(worker_threads_of(cfg));
    boost::asio::io_context io;
    const std::size_t feed_count = cfg.feeds.size(), watch_count = cfg.watches.size(), sink_count = cfg.sinks.size();
    std::unique_ptr<daemon_generation> current =
        build_generation(std::move(cfg), io.get_executor(), store, compute, state_dir, model_option);
    auto logger = spdlog::get("daemon");
    for (const auto& warning : url_password_warnings(current->cfg)) logger->warn("{}", warning);
    logger->info("newswatchd {} starting: {} feeds, {} watches, {} sinks, {} worker threads, state {}{}", version,
                 feed_count, watch_count, sink_count, compute.threads(), (state_dir / "state.db").string(),
                 once ? " (--once)" : "");

    boost::asio::signal_set stop_signals(io, SIGINT, SIGTERM);
    stop_signals.async_wait([&](const boost::system::error_code& ec, int signo) {
        if (ec) return;
        logger->info("signal {} received: stopping", signo);
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
                    logger->warn("reload: a new state_dir takes effect only after a restart");
                logger->info("reload: {} feeds, {} watches, {} sinks", next->cfg.feeds.size(),
                             next->cfg.watches.size(), next->cfg.sinks.size());
                retiring = std::move(current);
                current = std::move(next);
                retiring->monitor->stop([&] {
                    retiring.reset();
                    current->monitor->start();
                    sd_notify(0, "READY=1");
                });
            } catch (const std::exception& e) {
                logger->error("reload failed, keeping the running configuration: {}", e.what());
                sd_notify(0, "READY=1");
            }
            wait_for_reload();
        });
    };

    bool state_lost = false;
    // A state.db deleted (or replaced) under the running daemon: everything written from
    // now on would be lost, and a restart would begin afresh. Stop with exit 2.
    int exit_code = 0;
    boost::asio::steady_timer state_watch(io);
    std::function<void()> watch_state = [&] {
        state_watch.expires_after(std::chrono::seconds(2));
        state_watch.async_wait([&](const boost::system::error_code& ec) {
            if (ec) return;
            if (auto problem = database.check_still_there()) {
                logger->error(
                    "state: {} while running; stopping: restore it, or start with --new-state to begin "
                    "afresh (every alert still in its feeds may be sent again)",
                    *problem);
                exit_code = 2;
                sd_notify(0, "STOPPING=1");
                current->monitor->stop();
                io.stop();
                return;
            }
            watch_state();
        });
    };
    watch_state();

    if (once) {
        current->monitor->run_once([&](const pipeline::round_totals& t) {
            state_lost = current->journal->failed_flushes() > 0;
            logger->info(
                "round done: {} feeds, {} ok, {} not modified, {} failed, {} new items, {} alerts, {} delivered", t.feeds,
                t.fetched_ok, t.not_modified, t.failed, t.new_items, t.alerts, current->dispatcher->totals().delivered);
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
    state_watch.cancel();
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
        logger->info("{} alert deliveries still pending in the outbox", *pending);
    if (exit_code != 0) return exit_code;
    if (state_lost) {
        // Nothing read in this run is lost (its feeds are fetched in full next time), but
        // exit 0 would tell a timer unit that the round worked.
        logger->error(
            "the state could not be written (is the disk full?); the next run reads the feeds again");
        return 1;
    }
    logger->info("newswatchd stopped");
    return 0;
}

}  // namespace newswatch::app
