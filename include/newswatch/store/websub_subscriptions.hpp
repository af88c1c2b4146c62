#pragma once
// The WebSub subscriptions newswatchd holds (issue #16), one per configured feed and hub
// (a feed may name several hubs), so that a restart keeps them: the hub, topic, callback id
// and secret a hub knows us by, and how far the subscription got. Synchronous, on a
// state_store's connection; failures are values.
//
// The table (schema 7) is keyed by its column feed_url; one row per feed and hub fits it
// without a schema change by keying each row "<feed URL> <hub URL>" (a URL holds no
// space). A row of an older version, keyed by the feed URL alone, reads the same and is
// replaced by its keyed form at its next save (callback_id is UNIQUE, and INSERT OR REPLACE
// drops the row it conflicts with).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "newswatch/core/result.hpp"
#include "newswatch/core/time.hpp"
#include "newswatch/store/state_store.hpp"

namespace newswatch::store {

struct websub_subscription {
    std::string feed_url;     // the configured feed
    std::string hub;          // the hub asked (with feed_url, the key)
    std::string topic;        // hub.topic: the feed's rel="self" URL, else the URL fetched
    std::string callback_id;  // the last segment of hub.callback: unique per subscription
    std::string secret;       // hub.secret: random per subscription
    // "requested" (asked, not verified yet), "active" (verified), "denied" (the hub said
    // no), "failed" (the request failed), "unsubscribing" (the feed was removed).
    std::string state;
    std::int64_t lease_seconds = 0;  // as the hub granted it (verified), else as asked
    core::timestamp requested_at{};
    std::optional<core::timestamp> verified_at;
    std::optional<core::timestamp> expires_at;  // verified_at + lease
    std::int64_t failures = 0;                  // failed requests in a row (backoff)
    std::string last_error;
};

class websub_subscriptions {
public:
    // `store` must outlive this.
    explicit websub_subscriptions(state_store& store) : store_(store) {}

    core::result<std::vector<websub_subscription>> all();
    // Inserts or replaces the subscription of s.feed_url at s.hub.
    core::result<void> save(const websub_subscription& s);
    core::result<void> erase(std::string_view feed_url, std::string_view hub);

private:
    state_store& store_;
};

}  // namespace newswatch::store
