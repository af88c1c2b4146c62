// newswatchd --config FILE [--once] [--state-dir DIR] [--new-state] [--log-level LEVEL] [--log-format F]
// [--model PATH]
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <optional>
#include <string>

#include <spdlog/spdlog.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include "commands.hpp"
#include "daemon_generation.hpp"
#include "instance_lock.hpp"
#include "logging_setup.hpp"
#include "metrics_endpoint.hpp"
#include "newswatch/config/config_error.hpp"
#include "newswatch/logging/module_logger.hpp"
#include "newswatch/logging/structured_log.hpp"
#include "newswatch/pipeline/story_loader.hpp"
#include "newswatch/version.hpp"
#include "runtime_setup.hpp"
#include "service_status.hpp"
#include "state_database.hpp"
#include "systemd_notifier.hpp"
#include "websub_service.hpp"

namespace newswatch::app {

namespace {

// Below systemd's TimeoutStopSec (30 s in the shipped unit), so that a stop always ends
// here, with the state written, and never by SIGKILL.
constexpr std::chrono::seconds stop_grace{20};

constexpr const char* daemon_usage =
    "usage: newswatchd --config FILE [--once] [--state-dir DIR] [--new-state] [--log-level LEVEL] "
    "[--log-format auto|human|json|journal] [--model PATH]";

// SIGHUP: a changed [daemon] log_level applies at once, unless --log-level fixed the level
// for the life of the process; either way the log says which.
void apply_log_level(const std::string& old_level, const std::string& new_level,
                     const std::optional<std::string>& command_line, spdlog::logger& logger) {
    if (new_level == old_level) return;
    if (command_line) {
        logger.warn("reload: log_level \"{}\" not applied: --log-level {} given on the command line wins",
                    new_level, *command_line);
        return;
    }
    const auto level = set_log_level(new_level);
    logger.log(std::max(level, spdlog::level::info), "reload: log_level {} applied (was {})", new_level,
               old_level);
}

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
    const bool new_state = args.flag("--new-state");
    const auto state_dir_option = args.option("--state-dir");
    const auto log_level = args.option("--log-level");
    const auto log_format = parse_log_format(args.option("--log-format").value_or("auto"));
    const auto model_option = args.option("--model");
    if (!args.positionals().empty()) throw usage_error(std::string("unexpected argument; ") + daemon_usage);
    if (!config_file) throw usage_error(std::string("--config is required; ") + daemon_usage);

    config::configuration cfg = config::load_configuration(*config_file);
    setup_logging(log_level.value_or(cfg.daemon.log_level), log_format, cfg.daemon.log_levels);
    const auto metrics_address = metrics_address_of(cfg);
    (void)websub_address_of(cfg);  // a bad address fails before the state is touched
    const std::string metrics_setting = cfg.daemon.metrics;

    const auto state_dir = resolve_state_dir(state_dir_option, cfg);
    ensure_state_dir(state_dir);
    // Before the database is touched: a second daemon on the same state must not write it.
    const instance_lock lock = instance_lock::acquire(state_dir);
    state_database database(state_dir, new_state);
    store::state_store& store = database.store();

    // Declared before the io_context and the generations: it is joined by hand before they
    // go (below) and outlives them.
    pipeline::compute_pool compute(worker_threads_of(cfg));
    boost::asio::io_context io;
    const std::size_t feed_count = cfg.feeds.size(), watch_count = cfg.watches.size(),
                      sink_count = cfg.sinks.size();
    // The stories alerted within the dedup window: loaded once, shared by the generations
    // (a reload keeps them), kept in the database by the journal as they are alerted.
    dedup::story_index stories;
    if (cfg.daemon.dedup_window.count() > 0) {
        auto loaded = pipeline::load_stories(store, stories, core::now_utc() - cfg.daemon.dedup_window);
        // Not fatal: the daemon then alerts repeats of those stories once more.
        if (!loaded)
            logging::log(*logging::module_logger("daemon"), spdlog::level::err,
                         "cannot read the dedup stories",
                         {.event = "state_error", .extra = {{"error", loaded.err().message}}});
    }
    // The storm guard's windows, shared by the generations like the stories; storms still
    // open in the database go on folding (a window below its threshold starts afresh).
    pipeline::storm_guard storms;
    if (auto open = store.open_storms(core::now_utc()); open)
        storms.restore(*open);
    else
        logging::log(*logging::module_logger("daemon"), spdlog::level::err, "cannot read the open storms",
                     {.event = "state_error", .extra = {{"error", open.err().message}}});
    std::unique_ptr<daemon_generation> current = build_generation(
        std::move(cfg), io.get_executor(), store, compute, stories, storms, state_dir, model_option);
    auto logger = logging::module_logger("daemon");
    for (const auto& warning : url_password_warnings(current->cfg)) logger->warn("{}", warning);
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

    // Not for --once: a run that ends by itself is neither scraped nor pushed to.
    std::unique_ptr<websub_service> websub;
    if (!once)
        websub = websub_service::start(io.get_executor(), current->cfg, store, [&] { return current.get(); });
    const std::string websub_setting =
        current->cfg.daemon.websub_listen + " " + current->cfg.daemon.websub_callback;
    std::unique_ptr<service::status_endpoint> metrics;
    if (metrics_address && !once)
        metrics = start_metrics_endpoint(
            io.get_executor(), *metrics_address, [&] { return current.get(); }, store,
            [&]() -> std::size_t { return websub ? websub->active_count() : 0; });

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
        info("signal received: stopping", {.event = "stop", .extra = {{"signal", signo}}});
        notifier.stopping();
        if (metrics) metrics->stop();
        if (websub) websub->stop();
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
                                             store, compute, stories, storms, state_dir, model_option);
                if (resolve_state_dir(state_dir_option, next->cfg) != state_dir)
                    logging::log(*logger, spdlog::level::warn,
                                 "a new state_dir takes effect only after a restart", {.event = "reload"});
                (void)metrics_address_of(next->cfg);  // a bad address rejects the reload
                if (next->cfg.daemon.metrics != metrics_setting)
                    logger->warn(
                        "reload: metrics = \"{}\" not applied: a new metrics address takes effect only "
                        "after a restart (still \"{}\")",
                        next->cfg.daemon.metrics, metrics_setting);
                apply_log_level(current->cfg.daemon.log_level, next->cfg.daemon.log_level, log_level,
                                *logger);
                if (next->cfg.daemon.websub_listen + " " + next->cfg.daemon.websub_callback != websub_setting)
                    logger->warn(
                        "reload: websub_listen and websub_callback take effect only after a restart");
                if (websub) websub->attach(*next);
                info("configuration reloaded", {.event = "reload",
                                                .outcome = "ok",
                                                .extra = {{"feeds", next->cfg.feeds.size()},
                                                          {"watches", next->cfg.watches.size()},
                                                          {"sinks", next->cfg.sinks.size()}}});
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
                logging::log(*logger, spdlog::level::err, "reload failed, keeping the running configuration",
                             {.event = "reload", .outcome = "failed", .extra = {{"error", e.what()}}});
                status.reload.accepted = false;
                status.reload.error = e.what();
                notifier.ready();
                publish_status();
            }
            wait_for_reload();
        });
    };

    bool state_lost = false;
    bool once_failed = false;  // --once: deliveries left pending or dead, or no feed fetched
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
                notifier.stopping();
                current->monitor->stop();
                io.stop();
                return;
            }
            watch_state();
        });
    };
    watch_state();
    pthread_sigmask(SIG_UNBLOCK, &handled_signals, nullptr);

    if (once) {
        current->monitor->run_once([&](const pipeline::round_totals& t) {
            state_lost = current->journal->failed_flushes() > 0;
            const auto deliveries = current->dispatcher->once_result();
            const std::size_t configured = current->cfg.feeds.size();
            info("round done", {.event = "round_summary",
                                .extra = {{"feeds", t.feeds},
                                          {"ok", t.fetched_ok},
                                          {"not_modified", t.not_modified},
                                          {"failed", t.failed},
                                          {"new_items", t.new_items},
                                          {"alerts", t.alerts},
                                          {"delivered", current->dispatcher->totals().delivered},
                                          {"pending", deliveries.still_pending},
                                          {"dead", deliveries.dead}}});
            // The exit code a timer unit or a script acts on (README, "--once").
            if (deliveries.still_pending > 0 || deliveries.dead > 0) {
                logger->error("--once: {} deliveries still pending and {} dead letters from this run",
                              deliveries.still_pending, deliveries.dead);
                once_failed = true;
            } else if (configured > 0 && t.fetched_ok + t.not_modified == 0) {
                logger->error("--once: none of the {} feeds could be fetched", configured);
                once_failed = true;
            }
            io.stop();
        });
    } else {
        wait_for_reload();
        if (websub) websub->attach(*current);
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
    state_watch.cancel();
    status_timer.cancel();
    notifier.cancel();
    if (websub) websub->stop();  // no pushed content for monitors that are stopping
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
        std::_Exit(exit_code);
    }
    // Work still on a worker reads the generations' watches and model: let it finish first.
    compute.join();
    metrics.reset();
    websub.reset();
    retiring.reset();
    current.reset();  // closes connections, removes socket watchers
    io.restart();
    io.poll();
    if (auto pending = store.count_pending(); pending && *pending > 0)
        info("alert deliveries still pending in the outbox",
             {.event = "stop", .extra = {{"pending", *pending}}});
    if (!once) {
        status.running = false;
        status.updated_at = core::now_utc();
        if (auto counts = store.count_outbox()) status.alerts = *counts;
        (void)write_status_file(state_dir, status);
    }
    // Everything was written (or is known not to be, state_lost): nothing of this run is
    // half done, so the next start need not read the whole database (state_database.cpp).
    // Not after a deleted state.db (exit 2): the marker would go into the deleted file.
    if (exit_code == 0)
        if (auto marked = database.mark_clean_stop(); !marked)
            logger->warn("state: cannot record the clean stop ({}); the next start checks the whole database",
                         marked.err().message);
    if (exit_code != 0) return exit_code;
    if (state_lost) {
        // Nothing read in this run is lost (its feeds are fetched in full next time), but
        // exit 0 would tell a timer unit that the round worked.
        logger->error(
            "the state could not be written (is the disk full?); the next run reads the feeds again");
        return 1;
    }
    if (once_failed) return 1;
    info("newswatchd stopped", {.event = "stop", .outcome = "ok"});
    return 0;
}

}  // namespace newswatch::app
