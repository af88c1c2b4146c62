#pragma once
// Wires the WebSub subscriber into newswatchd (issue #16 item 3): its own HTTP client for
// hub requests, the subscriber, and the plain-HTTP callback listener ([daemon]
// websub_listen). It outlives configuration generations; each new generation's monitor is
// attached to it before it starts. Listen address and callback take effect at startup.
#include <functional>
#include <memory>
#include <optional>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "daemon_generation.hpp"
#include "newswatch/http/http_client.hpp"
#include "newswatch/service/http_listener.hpp"
#include "newswatch/websub/subscriber.hpp"

namespace newswatch::app {

// The [daemon] websub_listen address as an endpoint; nullopt for "" (off). Throws
// config_error for an address that cannot be read (startup; `newswatch check` too).
std::optional<boost::asio::ip::tcp::endpoint> websub_address_of(const config::configuration& cfg);

class websub_service {
public:
    // nullptr when [daemon] websub_listen is "" (off). Startup only: throws config_error for
    // an address that cannot be read, runtime_error when it cannot listen there. `current`
    // returns the generation serving now (pushed content goes to its monitor); `store` and
    // what `current` returns must outlive the service. On the executor's thread.
    static std::unique_ptr<websub_service> start(boost::asio::any_io_executor executor,
                                                 const config::configuration& cfg, store::state_store& store,
                                                 std::function<daemon_generation*()> current);
    ~websub_service();
    websub_service(const websub_service&) = delete;
    websub_service& operator=(const websub_service&) = delete;

    // Before `g`'s monitor starts: the subscriber learns its feeds (subscriptions of removed
    // feeds end) and the monitor reports documents to it and polls pushed feeds seldom.
    void attach(daemon_generation& g);
    std::size_t active_count() const { return subscriber_->active_count(); }
    // Stops the listener, the timer and hub requests.
    void stop();

private:
    websub_service() = default;
    // Destroyed in reverse: the listener (which calls the subscriber) first, the client last.
    std::unique_ptr<http::http_client> client_;
    std::unique_ptr<websub::subscriber> subscriber_;
    std::unique_ptr<service::http_listener> listener_;
};

}  // namespace newswatch::app
