#include "metrics_endpoint.hpp"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include <spdlog/spdlog.h>

#include "newswatch/config/config_error.hpp"
#include "newswatch/core/metrics_registry.hpp"
#include "newswatch/service/prometheus_text.hpp"
#include "newswatch/store/article_cache.hpp"
#include "newswatch/version.hpp"

namespace newswatch::app {

std::optional<boost::asio::ip::tcp::endpoint> metrics_address_of(const config::configuration& cfg) {
    if (cfg.daemon.metrics.empty()) return std::nullopt;
    auto parsed = service::parse_listen_address(cfg.daemon.metrics);
    if (!parsed)
        throw config::config_error(cfg.file.string() + ": [daemon] metrics: " + parsed.err().message);
    return *parsed;
}

namespace {

// Resident set size and open file descriptors of this process (0 when /proc says nothing).
void read_process_figures(core::metrics_snapshot& snapshot) {
    // statm: size resident shared ... in pages.
    std::ifstream statm("/proc/self/statm");
    std::uint64_t size = 0, resident = 0;
    if (statm >> size >> resident)
        snapshot.resident_memory_bytes = resident * static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
    std::error_code ec;
    std::uint64_t fds = 0;
    for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end; it.increment(ec))
        ++fds;
    // The iterator's own descriptor is among those counted.
    snapshot.open_fds = fds > 0 ? fds - 1 : 0;
}

}  // namespace

std::unique_ptr<service::status_endpoint> start_metrics_endpoint(boost::asio::any_io_executor executor,
                                                                 const boost::asio::ip::tcp::endpoint& where,
                                                                 std::function<daemon_generation*()> current,
                                                                 store::state_store& store,
                                                                 std::function<std::size_t()> websub_active) {
    const double started =
        std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    service::endpoint_handlers handlers;
    handlers.metrics = [current, &store, started, websub_active](double loop_lag) {
        core::metrics_snapshot s = core::metrics_registry::process().snapshot();
        s.start_time_seconds = started;
        s.event_loop_lag_seconds = loop_lag;
        if (daemon_generation* g = current(); g && g->monitor) {
            const auto counts = g->monitor->health_counts();
            s.feeds_ok = counts.ok;
            s.feeds_failing = counts.failing;
            s.feeds_silent = counts.silent;
            s.feeds_retired = counts.retired;
            s.worker_backlog = g->monitor->backlog();
        }
        if (auto pending = store.count_pending()) s.outbox_depth = *pending;
        if (websub_active) s.websub_subscriptions_active = websub_active();
        if (auto cached = store::article_cache(store).count()) s.article_cache_entries = *cached;
        read_process_figures(s);
        return service::render_prometheus(s, version);
    };
    handlers.not_ready = [current, &store]() -> std::optional<std::string> {
        if (!current()) return std::string("no configuration loaded");
        if (auto pending = store.count_pending(); !pending) return "database: " + pending.err().message;
        return std::nullopt;
    };
    auto logger = spdlog::get("daemon");
    auto endpoint = service::status_endpoint::listen(std::move(executor), where, std::move(handlers));
    if (!endpoint) {
        logger->error("metrics endpoint off: {}", endpoint.err().message);
        return nullptr;
    }
    const auto bound = (*endpoint)->local_endpoint();
    const std::string host =
        bound.address().is_v6() ? "[" + bound.address().to_string() + "]" : bound.address().to_string();
    logger->info("metrics endpoint listening on http://{}:{}/metrics (/healthz, /readyz)", host,
                 bound.port());
    return std::move(*endpoint);
}

}  // namespace newswatch::app
