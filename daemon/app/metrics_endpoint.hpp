#pragma once
// Wires the service module's status endpoint to the daemon: counters from the process's
// metrics registry, feed states and backlog from the current generation's monitor, the
// outbox depth and readiness from the state store, memory and fds from /proc.
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "daemon_generation.hpp"
#include "newswatch/service/status_endpoint.hpp"

namespace newswatch::app {

// The [daemon] metrics address as an endpoint; nullopt for "" (off). Throws config_error
// for an address that cannot be read (startup; `newswatch check` refuses it too).
std::optional<boost::asio::ip::tcp::endpoint> metrics_address_of(const config::configuration& cfg);

// Starts the endpoint; logs the address bound, or an error and returns null when it cannot
// bind (the daemon goes on without metrics: alerts matter more). `current` returns the
// generation serving now; everything referenced must outlive the endpoint. On the executor.
std::unique_ptr<service::status_endpoint> start_metrics_endpoint(
    boost::asio::any_io_executor executor, const boost::asio::ip::tcp::endpoint& where,
    std::function<daemon_generation*()> current, store::state_store& store,
    std::function<std::size_t()> websub_active = nullptr);

}  // namespace newswatch::app
