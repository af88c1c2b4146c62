#pragma once
// newswatchd's WebSub subscriber (W3C WebSub Recommendation; issue #16 item 3). For each
// feed whose documents name hubs it asks each of them, up to max_hubs_per_feed, for a
// subscription of its own (§4, §5.1: own callback, secret and lease), answers the
// hub's verification of intent at its callback (§5.3) and its denial (§5.2), renews before
// the lease ends, ends subscriptions of feeds no longer configured, and takes the content
// the hub distributes (§7) when its X-Hub-Signature is right (§8), handing it to `on_push`.
// The subscriptions are kept in state.db (store::websub_subscriptions).
//
// The hub calls `callback_base + "/" + id`, one random id per subscription; the listener
// in front (service::http_listener, behind a TLS reverse proxy) passes every request to
// handle(), which looks only at the last path segment, so a proxy may map any prefix.
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <spdlog/logger.h>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "newswatch/core/item.hpp"
#include "newswatch/core/lifetime_token.hpp"
#include "newswatch/core/time.hpp"
#include "newswatch/http/http_client.hpp"
#include "newswatch/service/http_listener.hpp"
#include "newswatch/store/websub_subscriptions.hpp"

namespace newswatch::websub {

struct subscriber_options {
    std::string callback_base;        // [daemon] websub_callback, e.g. https://public.example/websub
    core::seconds lease{10 * 86400};  // hub.lease_seconds asked for; the hub decides
    std::vector<std::string> allow_private_addresses;  // the SSRF guard's allow list for hubs
    std::chrono::milliseconds request_timeout{15'000};
    // No verification this long after a request was accepted: ask again.
    core::seconds verify_timeout{600};
};

class subscriber {
public:
    // Hubs of one feed subscribed to at most: the first named (Link headers before the
    // document's links). Several hubs are redundancy for the publisher; the same item
    // pushed by each alerts once (the seen-item store), so more would only cost requests.
    static constexpr std::size_t max_hubs_per_feed = 4;

    // Pushed content of a configured feed, signature checked: process it as a fetched
    // document. Called on the executor; must not throw.
    using push_handler =
        std::function<void(const std::string& feed_url, std::string body, std::string content_type)>;

    // `client` and `store` must outlive the subscriber. Construct, use and destroy on
    // `executor`'s thread.
    subscriber(boost::asio::any_io_executor executor, http::http_client& client, store::state_store& store,
               subscriber_options options, push_handler on_push);
    ~subscriber();
    subscriber(const subscriber&) = delete;
    subscriber& operator=(const subscriber&) = delete;

    // Reads the stored subscriptions and sets the configured feeds (set_feeds). Active ones
    // go on; their renewals are scheduled.
    void start(const std::vector<std::string>& feed_urls);
    // The configured feeds (startup, reload): subscriptions of feeds no longer among them
    // are ended (hub.mode=unsubscribe).
    void set_feeds(const std::vector<std::string>& feed_urls);
    // A document of `feed_url` was read at `fetched_url`: subscribes at each hub it names
    // (§4; the first max_hubs_per_feed), again when the topic changed, and unsubscribes
    // from hubs it names no more.
    void observe(const std::string& feed_url, const std::string& fetched_url, const core::feed_meta& document,
                 const std::vector<std::string>& link_headers);
    // True while one of the feed's subscriptions is verified and within its lease: the
    // feed is then polled at websub_poll_interval only.
    bool active(const std::string& feed_url) const;
    // Subscriptions verified and within their lease (a feed with two hubs counts twice).
    std::size_t active_count() const;

    // The callback: verification of intent (GET) and content distribution (POST).
    service::http_response_message handle(const service::http_request_message& request);

    // Cancels the timer and requests in flight.
    void stop();

private:
    struct entry {
        store::websub_subscription sub;
        std::optional<http::http_client::transfer_id> in_flight;
        core::timestamp next_action{core::timestamp::max()};  // renew, retry, give up
    };

    void subscribe(entry& e, std::string_view why);
    void send(entry& e, const std::string& mode);
    void unsubscribe(entry& e);
    // entries_ is keyed by feed URL and hub.
    using entry_key = std::pair<std::string, std::string>;
    static entry_key key_of(const entry& e) { return {e.sub.feed_url, e.sub.hub}; }
    static bool is_active(const entry& e, core::timestamp now);

    void save(const entry& e);
    void forget(const entry_key& key);
    // Ends a subscription no longer wanted: unsubscribes when the hub knows it, else forgets it.
    void end(const entry_key& key);
    void schedule();
    void run_due();
    entry* by_callback(std::string_view id);
    service::http_response_message verify(entry& e, const std::map<std::string, std::string>& query);
    service::http_response_message distribute(entry& e, const service::http_request_message& request);

    boost::asio::any_io_executor executor_;
    http::http_client& client_;
    store::websub_subscriptions subscriptions_;
    subscriber_options options_;
    push_handler on_push_;
    std::set<std::string> feeds_;         // configured
    std::map<entry_key, entry> entries_;  // by feed URL and hub
    boost::asio::steady_timer timer_;
    bool stopped_ = false;
    std::shared_ptr<spdlog::logger> logger_;
    core::lifetime_token lifetime_;  // last: request completions and the timer check it
};

}  // namespace newswatch::websub
