#include "websub_service.hpp"

#include <stdexcept>

#include "newswatch/config/config_error.hpp"
#include "newswatch/logging/module_logger.hpp"
#include "newswatch/logging/structured_log.hpp"
#include "newswatch/service/status_endpoint.hpp"
#include "runtime_setup.hpp"

namespace newswatch::app {

namespace {

std::vector<std::string> feed_urls_of(const config::configuration& cfg) {
    std::vector<std::string> urls;
    for (const auto& feed : cfg.feeds) urls.push_back(feed.url);
    return urls;
}

}  // namespace

std::optional<boost::asio::ip::tcp::endpoint> websub_address_of(const config::configuration& cfg) {
    if (cfg.daemon.websub_listen.empty()) return std::nullopt;
    auto parsed = service::parse_listen_address(cfg.daemon.websub_listen);
    if (!parsed)
        throw config::config_error(cfg.file.string() + ": [daemon] websub_listen: " + parsed.err().message);
    return *parsed;
}

std::unique_ptr<websub_service> websub_service::start(boost::asio::any_io_executor executor,
                                                      const config::configuration& cfg,
                                                      store::state_store& store,
                                                      std::function<daemon_generation*()> current) {
    const config::daemon_config& d = cfg.daemon;
    const auto where = websub_address_of(cfg);
    if (!where) return nullptr;
    if (d.websub_callback.empty())  // the loader refuses this too; a configuration made otherwise
        throw config::config_error(cfg.file.string() + ": [daemon] websub_listen needs websub_callback");

    std::unique_ptr<websub_service> s(new websub_service());
    s->client_ = std::make_unique<http::http_client>(executor, client_options_of(cfg));
    websub::subscriber_options options;
    options.callback_base = d.websub_callback;
    options.lease = d.websub_lease;
    options.allow_private_addresses = d.allow_private_addresses;
    s->subscriber_ = std::make_unique<websub::subscriber>(
        executor, *s->client_, store, options,
        [current](const std::string& feed_url, std::string body, std::string content_type) {
            if (daemon_generation* g = current(); g && g->monitor)
                g->monitor->push(feed_url, std::move(body), std::move(content_type));
        });
    service::listener_limits limits;
    limits.body_bytes = d.limits.max_body_bytes;  // pushed content is a feed document
    limits.header_bytes = 16 * 1024;
    limits.request_timeout = std::chrono::seconds(30);
    websub::subscriber* subscriber = s->subscriber_.get();
    auto listener = service::http_listener::listen(
        executor, *where, limits,
        [subscriber](const service::http_request_message& request) { return subscriber->handle(request); },
        "the WebSub listener ([daemon] websub_listen)");
    if (!listener) throw std::runtime_error(listener.err().message);
    s->listener_ = std::move(*listener);
    s->subscriber_->start(feed_urls_of(cfg));
    const auto bound = s->listener_->local_endpoint();
    logging::log(*logging::module_logger("websub"), spdlog::level::info, "WebSub listener ready",
                 {.event = "websub_listen",
                  .extra = {{"address", bound.address().to_string()},
                            {"port", bound.port()},
                            {"callback", d.websub_callback},
                            {"poll_interval", core::format_duration(d.websub_poll_interval)}}});
    return s;
}

websub_service::~websub_service() {
    stop();
}

void websub_service::attach(daemon_generation& g) {
    subscriber_->set_feeds(feed_urls_of(g.cfg));
    websub::subscriber* subscriber = subscriber_.get();
    pipeline::websub_hooks hooks;
    hooks.on_document = [subscriber](const std::string& feed_url, const std::string& fetched_url,
                                     const core::feed_meta& document,
                                     const std::vector<std::string>& link_headers) {
        subscriber->observe(feed_url, fetched_url, document, link_headers);
    };
    hooks.pushed = [subscriber](const std::string& feed_url) { return subscriber->active(feed_url); };
    hooks.pushed_interval = g.cfg.daemon.websub_poll_interval;
    g.monitor->set_websub(std::move(hooks));
}

void websub_service::stop() {
    if (listener_) listener_->stop();
    if (subscriber_) subscriber_->stop();
}

}  // namespace newswatch::app
