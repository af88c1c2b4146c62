#include "newswatch/store/websub_subscriptions.hpp"

#include <algorithm>

#include "sqlite_handle.hpp"

namespace newswatch::store {
namespace {

std::int64_t db_time(core::timestamp t) {
    return t.time_since_epoch().count();
}
core::timestamp from_db(std::int64_t v) {
    return core::timestamp{core::seconds{v}};
}
std::optional<std::int64_t> db_time(const std::optional<core::timestamp>& t) {
    if (!t) return std::nullopt;
    return db_time(*t);
}

// The row key: the feed and the hub, as the header says.
std::string key_of(std::string_view feed_url, std::string_view hub) {
    std::string key(feed_url);
    key += ' ';
    key += hub;
    return key;
}

}  // namespace

core::result<std::vector<websub_subscription>> websub_subscriptions::all() {
    sqlite_statement s(
        store_.connection(),
        "SELECT feed_url, hub, topic, callback_id, secret, state, lease_seconds, requested_at, "
        "verified_at, expires_at, failures, last_error FROM websub_subscriptions ORDER BY feed_url");
    if (!s.valid()) return db_error(store_.connection(), "read websub_subscriptions");
    return s.collect([](const sqlite_statement& row) {
        websub_subscription w;
        w.feed_url = row.text(0);
        w.feed_url.resize(std::min(w.feed_url.size(), w.feed_url.find(' ')));  // "<feed> <hub>"
        w.hub = row.text(1);
        w.topic = row.text(2);
        w.callback_id = row.text(3);
        w.secret = row.text(4);
        w.state = row.text(5);
        w.lease_seconds = row.integer(6);
        w.requested_at = from_db(row.integer(7));
        if (auto v = row.optional_integer(8)) w.verified_at = from_db(*v);
        if (auto v = row.optional_integer(9)) w.expires_at = from_db(*v);
        w.failures = row.integer(10);
        w.last_error = row.text(11);
        return w;
    });
}

core::result<void> websub_subscriptions::save(const websub_subscription& w) {
    sqlite_statement s(
        store_.connection(),
        "INSERT OR REPLACE INTO websub_subscriptions (feed_url, hub, topic, callback_id, secret, "
        "state, lease_seconds, requested_at, verified_at, expires_at, failures, last_error) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
    if (!s.valid()) return db_error(store_.connection(), "write websub_subscriptions");
    const std::string key = key_of(w.feed_url, w.hub);
    s.bind(1, std::string_view(key)).bind(2, std::string_view(w.hub)).bind(3, std::string_view(w.topic));
    s.bind(4, std::string_view(w.callback_id)).bind(5, std::string_view(w.secret));
    s.bind(6, std::string_view(w.state)).bind(7, w.lease_seconds).bind(8, db_time(w.requested_at));
    s.bind_opt(9, db_time(w.verified_at)).bind_opt(10, db_time(w.expires_at));
    s.bind(11, w.failures).bind(12, std::string_view(w.last_error));
    return s.run();
}

core::result<void> websub_subscriptions::erase(std::string_view feed_url, std::string_view hub) {
    // The keyed row, or an older version's row of the feed at this hub.
    sqlite_statement s(store_.connection(),
                       "DELETE FROM websub_subscriptions WHERE feed_url=?1 OR (feed_url=?2 AND hub=?3)");
    if (!s.valid()) return db_error(store_.connection(), "delete from websub_subscriptions");
    const std::string key = key_of(feed_url, hub);
    s.bind(1, std::string_view(key)).bind(2, feed_url).bind(3, hub);
    return s.run();
}

}  // namespace newswatch::store
