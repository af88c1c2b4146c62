// newswatchd --config FILE [--once] [--state-dir DIR] [--log-level LEVEL] [--log-format F] [--model PATH]
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>

#include <spdlog/spdlog.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include "commands.hpp"
#include "daemon_generation.hpp"
#include "instance_lock.hpp"
#include "logging_setup.hpp"
#include "newswatch/config/config_error.hpp"
#include "newswatch/version.hpp"
#include "runtime_setup.hpp"
#include "service_status.hpp"
#include "systemd_notifier.hpp"

namespace newswatch::app {

namespace {

// Below systemd's TimeoutStopSec (30 s in the shipped unit), so that a stop always ends
// here, with the state written, and never by SIGKILL.
constexpr std::chrono::seconds stop_grace{20};

constexpr const char* daemon_usage =
    "usage: newswatchd --config FILE [--once] [--state-dir DIR] [--log-level LEVEL] "
    "[--log-format auto|human|json|journal] [--model PATH]";

// How often status.json and the systemd STATUS= line are refreshed.
constexpr std::chrono::seconds status_period{5};

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
    // A stop or reload signal that arrives while starting waits (pending) until the handlers
    // below are in place, instead of killing the process with the default action. Threads
    // started meanwhile (the workers) keep the signals blocked, so they reach the loop.
    sigset_t handled_signals;
    sigemptyset(&handled_signals);
    for (int signo : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&handled_signals, signo);
    pthread_sigmask(SIG_BLOCK, &handled_signals, nullptr);

    const auto config_file = args.option("--config");
    const bool once = args.flag("--once");
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
    // Before the database is touched: a second daemon on the same state must not write it.
    const instance_lock lock = instance_lock::acquire(state_dir);
    auto opened = store::state_store::open(state_dir / "state.db");
    if (!opened) throw std::runtime_error(opened.err().message);
    store::state_store store = std::move(*opened);

    // Declared before the io_context and the generations: it is joined by hand before they
    // go (below) and outlives them.
    pipeline::compute_pool compute(worker_threads_of(cfg));
    boost::asio::io_context io;
    const std::size_t feed_count = cfg.feeds.size(), watch_count = cfg.watches.size(),
                      sink_count = cfg.sinks.size();
    std::unique_ptr<daemon_generation> current =
        build_generation(std::move(cfg), io.get_executor(), store, compute, state_dir, model_option);
    auto logger = spdlog::get("daemon");
    logger->info("newswatchd {} starting: {} feeds, {} watches, {} sinks, {} worker threads, state {}{}",
                 version, feed_count, watch_count, sink_count, compute.threads(),
                 (state_dir / "state.db").string(), once ? " (--once)" : "");

    systemd_notifier notifier(io.get_executor());
    service_status status;
    status.pid = ::getpid();
    status.version = version;
    status.config = std::filesystem::absolute(*config_file).lexically_normal().string();
    status.state_dir = state_dir.string();
    status.started_at = core::now_utc();
    // Refreshes status.json (for `newswatch status` and `newswatch reload`) and STATUS=.
    auto publish_status = [&] {
        status.updated_at = core::now_utc();
        status.feeds = count_feeds(current->monitor->states());
        status.last_round = last_poll_of(current->monitor->states());
        if (auto counts = store.count_outbox()) status.alerts = *counts;
        if (auto written = write_status_file(state_dir, status); !written)
            logger->warn("status: {}", written.err().message);
        notifier.status(systemd_status_line(status));
    };
    boost::asio::steady_timer status_timer(io);
    std::function<void()> schedule_status = [&] {
        status_timer.expires_after(status_period);
        status_timer.async_wait([&](const boost::system::error_code& ec) {
            if (ec) return;
            publish_status();
            schedule_status();
        });
    };

    boost::asio::signal_set stop_signals(io, SIGINT, SIGTERM);
    stop_signals.async_wait([&](const boost::system::error_code& ec, int signo) {
        if (ec) return;
        logger->info("signal {} received: stopping", signo);
        notifier.stopping();
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
            notifier.reloading();
            ++status.reload.count;
            status.reload.at = core::now_utc();
            try {
                auto next = build_generation(config::load_configuration(*config_file), io.get_executor(),
                                             store, compute, state_dir, model_option);
                if (resolve_state_dir(state_dir_option, next->cfg) != state_dir)
                    logger->warn("reload: a new state_dir takes effect only after a restart");
                logger->info("reload: {} feeds, {} watches, {} sinks", next->cfg.feeds.size(),
                             next->cfg.watches.size(), next->cfg.sinks.size());
                retiring = std::move(current);
                current = std::move(next);
                status.reload.accepted = true;
                status.reload.error.clear();
                retiring->monitor->stop([&] {
                    retiring.reset();
                    current->monitor->start();
                    notifier.ready();
                    // After start(): the new monitor's states are loaded.
                    publish_status();
                });
            } catch (const std::exception& e) {
                logger->error("reload failed, keeping the running configuration: {}", e.what());
                status.reload.accepted = false;
                status.reload.error = e.what();
                notifier.ready();
                publish_status();
            }
            wait_for_reload();
        });
    };

    pthread_sigmask(SIG_UNBLOCK, &handled_signals, nullptr);

    if (once) {
        current->monitor->run_once([&](const pipeline::round_totals& t) {
            logger->info(
                "round done: {} feeds, {} ok, {} not modified, {} failed, {} new items, {} alerts, {} "
                "delivered",
                t.feeds, t.fetched_ok, t.not_modified, t.failed, t.new_items, t.alerts,
                current->dispatcher->totals().delivered);
            io.stop();
        });
    } else {
        wait_for_reload();
        current->monitor->start();
        publish_status();
        notifier.ready();
        if (const auto period = notifier.start_watchdog(); period.count() > 0)
            logger->debug("watchdog: keep-alive every {} ms", period.count() / 1000);
        schedule_status();
    }
    io.run();

    // Nothing is destroyed while a coroutine of a monitor is still running: it would resume
    // into freed memory (CONTRIBUTING.md, "Lifetimes"). They end promptly: transfers are
    // cancelled, timers too, and a worker busy with a long document abandons it at the next
    // item. Running the loop only until then (not io.run()) keeps idle keep-alive
    // connections from holding it open.
    stop_signals.cancel();
    reload_signals.cancel();
    status_timer.cancel();
    notifier.cancel();
    int stopping = 1 + (retiring ? 1 : 0);
    current->monitor->stop([&] { --stopping; });
    if (retiring) retiring->monitor->stop([&] { --stopping; });
    io.restart();
    const auto deadline = std::chrono::steady_clock::now() + stop_grace;
    while (stopping > 0 && std::chrono::steady_clock::now() < deadline)
        io.run_one_for(std::chrono::milliseconds(100));
    if (stopping > 0) {
        // Only a document that takes longer than the grace period to parse gets here. What
        // was recorded is written; whatever was in progress is fetched again next time.
        logger->error("stopping: work still running after {} s; exiting without waiting for it",
                      std::chrono::duration_cast<std::chrono::seconds>(stop_grace).count());
        current->journal->flush();
        if (retiring) retiring->journal->flush();
        spdlog::shutdown();
        std::_Exit(0);
    }
    // Work still on a worker reads the generations' watches and model: let it finish first.
    compute.join();
    retiring.reset();
    current.reset();  // closes connections, removes socket watchers
    io.restart();
    io.poll();
    if (auto pending = store.count_pending(); pending && *pending > 0)
        logger->info("{} alert deliveries still pending in the outbox", *pending);
    if (!once) {
        status.running = false;
        status.updated_at = core::now_utc();
        if (auto counts = store.count_outbox()) status.alerts = *counts;
        (void)write_status_file(state_dir, status);
    }
    logger->info("newswatchd stopped");
    return 0;
}

}  // namespace newswatch::app
