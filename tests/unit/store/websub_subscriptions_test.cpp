// WebSub subscriptions (issue #16 item 3) kept in state.db across restarts, and the
// upgrade of a schema 4 database to schema 7.
#include "newswatch/store/websub_subscriptions.hpp"

#include <sqlite3.h>

#include <gtest/gtest.h>

#include "test_paths.hpp"

namespace newswatch::store {
namespace {

using testing::temp_dir;
const core::timestamp t0{core::seconds{1'700'000'000}};

websub_subscription subscription(const std::string& feed) {
    websub_subscription s;
    s.feed_url = feed;
    s.hub = "https://hub.example/";
    s.topic = feed;
    s.callback_id = "cb-" + feed.substr(8, 1);
    s.secret = "s3cret";
    s.state = "requested";
    s.lease_seconds = 864000;
    s.requested_at = t0;
    return s;
}

TEST(websub_subscriptions, are_kept_across_reopening_and_replaced_by_feed) {
    temp_dir dir;
    const auto file = dir.path() / "state.db";
    {
        auto store = std::move(state_store::open(file)).value();
        websub_subscriptions subs(store);
        ASSERT_TRUE(subs.save(subscription("https://a.example/feed")));
        ASSERT_TRUE(subs.save(subscription("https://b.example/feed")));
        auto active = subscription("https://a.example/feed");
        active.state = "active";
        active.verified_at = t0 + core::seconds{2};
        active.expires_at = t0 + core::seconds{3602};
        active.lease_seconds = 3600;
        ASSERT_TRUE(subs.save(active));
    }
    auto store = std::move(state_store::open(file)).value();
    websub_subscriptions subs(store);
    auto all = subs.all();
    ASSERT_TRUE(all) << all.err().message;
    ASSERT_EQ(all->size(), 2u);
    EXPECT_EQ((*all)[0].feed_url, "https://a.example/feed");
    EXPECT_EQ((*all)[0].state, "active");
    EXPECT_EQ((*all)[0].lease_seconds, 3600);
    EXPECT_EQ((*all)[0].expires_at, t0 + core::seconds{3602});
    EXPECT_EQ((*all)[0].secret, "s3cret");
    EXPECT_FALSE((*all)[1].verified_at.has_value());
    ASSERT_TRUE(subs.erase("https://b.example/feed", "https://hub.example/"));
    EXPECT_EQ(subs.all().value().size(), 1u);
}

// W3C WebSub §4: one feed may be subscribed at several hubs, each row on its own.
TEST(websub_subscriptions, one_feed_at_two_hubs_is_two_subscriptions) {
    temp_dir dir;
    auto store = std::move(state_store::open(dir.path() / "state.db")).value();
    websub_subscriptions subs(store);
    auto first = subscription("https://a.example/feed");
    auto second = first;
    second.hub = "https://other-hub.example/";
    second.callback_id = "cb-second";
    ASSERT_TRUE(subs.save(first));
    ASSERT_TRUE(subs.save(second));
    second.state = "denied";
    ASSERT_TRUE(subs.save(second));  // replaces its own row only
    auto all = subs.all().value();
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].feed_url, "https://a.example/feed");
    EXPECT_EQ(all[1].feed_url, "https://a.example/feed");
    EXPECT_EQ(all[0].hub, "https://hub.example/");
    EXPECT_EQ(all[0].state, "requested");
    EXPECT_EQ(all[1].hub, "https://other-hub.example/");
    EXPECT_EQ(all[1].state, "denied");
    ASSERT_TRUE(subs.erase("https://a.example/feed", "https://hub.example/"));
    all = subs.all().value();
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(all[0].hub, "https://other-hub.example/");
}

// A row written by the previous version (keyed by the feed URL alone) reads the same and is
// replaced, not doubled, when saved again.
TEST(websub_subscriptions, a_row_keyed_by_the_feed_alone_is_read_and_replaced) {
    temp_dir dir;
    const auto file = dir.path() / "state.db";
    { auto store = std::move(state_store::open(file)).value(); }
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(
        sqlite3_exec(db,
                     "INSERT INTO websub_subscriptions (feed_url, hub, topic, callback_id, secret, state, "
                     "requested_at) VALUES ('https://a.example/feed', 'https://hub.example/', "
                     "'https://a.example/feed', 'cb-a', 's3cret', 'active', 1700000000)",
                     nullptr, nullptr, nullptr),
        SQLITE_OK);
    sqlite3_close(db);
    auto store = std::move(state_store::open(file)).value();
    websub_subscriptions subs(store);
    auto all = subs.all().value();
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(all[0].feed_url, "https://a.example/feed");
    EXPECT_EQ(all[0].callback_id, "cb-a");
    all[0].lease_seconds = 60;
    ASSERT_TRUE(subs.save(all[0]));
    all = subs.all().value();
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(all[0].lease_seconds, 60);
    ASSERT_TRUE(subs.erase("https://a.example/feed", "https://hub.example/"));
    EXPECT_TRUE(subs.all().value().empty());
}

TEST(websub_subscriptions, a_schema_4_database_gets_the_table) {
    temp_dir dir;
    const auto file = dir.path() / "state.db";
    { auto store = std::move(state_store::open(file)).value(); }
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "DROP TABLE websub_subscriptions; PRAGMA user_version=4;", nullptr, nullptr,
                           nullptr),
              SQLITE_OK);
    sqlite3_close(db);
    auto store = state_store::open(file);
    ASSERT_TRUE(store) << store.err().message;
    websub_subscriptions subs(*store);
    EXPECT_TRUE(subs.save(subscription("https://a.example/feed")));
    EXPECT_EQ(subs.all().value().size(), 1u);
}

}  // namespace
}  // namespace newswatch::store
