#include "newswatch/store/state_store.hpp"

#include <gtest/gtest.h>

#include "test_paths.hpp"

namespace newswatch::store {
namespace {

using testing::temp_dir;
const core::timestamp t0{core::seconds{1'700'000'000}};

state_store open_store(const temp_dir& dir) {
    auto s = state_store::open(dir.path() / "state.db");
    EXPECT_TRUE(s.ok());
    return std::move(s).value();
}

TEST(state_store, feed_state_round_trips_byte_for_byte) {
    temp_dir dir;
    auto store = open_store(dir);
    feed_state f;
    f.url = "https://a.example/feed";
    f.effective_url = "https://b.example/feed";
    f.etag = "W/\"abc\\\"def\"";
    f.last_modified = "Tue, 09 Jul 2024 12:00:00 GMT";
    f.last_success_at = t0;
    f.consecutive_failures = 3;
    f.retired = true;
    ASSERT_TRUE(store.save_feed(f));
    auto loaded = store.load_feed(f.url);
    ASSERT_TRUE(loaded && *loaded);
    EXPECT_EQ((*loaded)->etag, f.etag);
    EXPECT_EQ((*loaded)->last_modified, f.last_modified);
    EXPECT_EQ((*loaded)->effective_url, f.effective_url);
    EXPECT_EQ((*loaded)->last_success_at, t0);
    EXPECT_FALSE((*loaded)->failing_since);
    EXPECT_EQ((*loaded)->consecutive_failures, 3);
    EXPECT_TRUE((*loaded)->retired);
    auto missing = store.load_feed("https://nope");
    ASSERT_TRUE(missing);
    EXPECT_FALSE(*missing);
}

TEST(state_store, state_survives_reopening_the_file) {
    temp_dir dir;
    {
        auto store = open_store(dir);
        fetch_commit c;
        c.feed.url = "u";
        c.present_item_ids = {"a", "b"};
        ASSERT_TRUE(store.commit_fetch(c, t0));
    }
    auto store = open_store(dir);
    auto fresh = store.find_new_items("u", {"a", "b", "c"});
    ASSERT_TRUE(fresh);
    EXPECT_EQ(*fresh, (std::vector<bool>{false, false, true}));
    // Seen items are per feed.
    auto other = store.find_new_items("v", {"a"});
    EXPECT_EQ(*other, std::vector<bool>{true});
}

TEST(state_store, reset_clears_retirement_and_backoff) {
    temp_dir dir;
    auto store = open_store(dir);
    feed_state f;
    f.url = "u";
    f.retired = true;
    f.consecutive_failures = 7;
    f.failing_since = t0;
    f.next_poll_at = t0;
    ASSERT_TRUE(store.save_feed(f));
    auto r = store.reset_feed("u");
    ASSERT_TRUE(r);
    EXPECT_TRUE(*r);
    auto loaded = store.load_feed("u");
    EXPECT_FALSE((*loaded)->retired);
    EXPECT_EQ((*loaded)->consecutive_failures, 0);
    EXPECT_FALSE((*loaded)->failing_since);
    EXPECT_FALSE(*store.reset_feed("not-there"));
}

TEST(state_store, outbox_entries_stay_until_delivered_and_retry_later_after_failure) {
    temp_dir dir;
    auto store = open_store(dir);
    fetch_commit c;
    c.feed.url = "u";
    c.present_item_ids = {"a"};
    c.alerts = {{"id1", "file", "{\"x\":1}"}, {"id1", "log", "{\"x\":1}"}};
    ASSERT_TRUE(store.commit_fetch(c, t0));
    // The same alert for the same sink is queued once, even if committed again.
    ASSERT_TRUE(store.commit_fetch(c, t0));
    auto pending = store.pending_outbox(t0);
    ASSERT_TRUE(pending);
    ASSERT_EQ(pending->size(), 2u);
    EXPECT_EQ((*pending)[0].entry.payload, "{\"x\":1}");
    ASSERT_TRUE(store.mark_delivered((*pending)[0].row_id, t0));
    ASSERT_TRUE(store.mark_failed((*pending)[1].row_id, "down", t0 + core::seconds{60}));
    EXPECT_TRUE(store.pending_outbox(t0)->empty());
    auto later = store.pending_outbox(t0 + core::seconds{60});
    ASSERT_EQ(later->size(), 1u);
    EXPECT_EQ((*later)[0].attempts, 1);
    EXPECT_EQ(*store.count_pending(), 1);
}

TEST(state_store, seen_items_are_pruned_only_after_leaving_the_feed_for_the_retention) {
    temp_dir dir;
    auto store = open_store(dir);
    fetch_commit c;
    c.feed.url = "u";
    c.present_item_ids = {"old", "stays"};
    ASSERT_TRUE(store.commit_fetch(c, t0));
    // Later fetch: "old" has left the feed, "stays" is still there.
    c.present_item_ids = {"stays"};
    const auto t1 = t0 + core::seconds{40 * 86400};
    ASSERT_TRUE(store.commit_fetch(c, t1));
    auto pruned = store.prune_seen(t1 - core::seconds{30 * 86400});
    ASSERT_TRUE(pruned);
    EXPECT_EQ(*pruned, 1);
    EXPECT_EQ(*store.find_new_items("u", {"old", "stays"}), (std::vector<bool>{true, false}));
}

TEST(state_store, items_of_the_latest_document_survive_a_long_run_of_304s) {
    temp_dir dir;
    auto store = open_store(dir);
    fetch_commit c;
    c.feed.url = "u";
    c.feed.items_seen_at = t0;  // the pipeline sets it when it reads a document
    c.present_item_ids = {"a"};
    ASSERT_TRUE(store.commit_fetch(c, t0));
    // 60 days of 304s later (no per-item writes), pruning with 30 days keeps "a".
    auto pruned = store.prune_seen(t0 + core::seconds{30 * 86400});
    ASSERT_TRUE(pruned);
    EXPECT_EQ(*pruned, 0);
    EXPECT_EQ(*store.find_new_items("u", {"a"}), std::vector<bool>{false});
    // Once a newer document without it is read, the retention clock runs.
    c.feed.items_seen_at = t0 + core::seconds{60 * 86400};
    c.present_item_ids = {"b"};
    ASSERT_TRUE(store.commit_fetch(c, t0 + core::seconds{60 * 86400}));
    EXPECT_EQ(*store.prune_seen(t0 + core::seconds{30 * 86400}), 1);
}

// Each feed's latest document protects its own items only, however alike their ids.
TEST(state_store, pruning_keeps_the_latest_document_of_each_feed_apart) {
    temp_dir dir;
    auto store = open_store(dir);
    fetch_commit a;
    a.feed.url = "https://a.example/feed";
    a.feed.items_seen_at = t0;
    a.present_item_ids = {"same-id"};
    ASSERT_TRUE(store.commit_fetch(a, t0));
    fetch_commit b = a;
    b.feed.url = "https://b.example/feed";
    ASSERT_TRUE(store.commit_fetch(b, t0));
    b.feed.items_seen_at = t0 + core::seconds{60 * 86400};
    b.present_item_ids = {"other"};
    ASSERT_TRUE(store.commit_fetch(b, t0 + core::seconds{60 * 86400}));
    EXPECT_EQ(*store.prune_seen(t0 + core::seconds{30 * 86400}), 1);
    EXPECT_EQ(*store.find_new_items("https://a.example/feed", {"same-id"}), std::vector<bool>{false});
    EXPECT_EQ(*store.find_new_items("https://b.example/feed", {"same-id", "other"}),
              (std::vector<bool>{true, false}));
}

TEST(state_store, opening_a_path_that_cannot_exist_is_an_error_value) {
    auto s = state_store::open("/proc/definitely/not/here/state.db");
    ASSERT_FALSE(s.ok());
    EXPECT_NE(s.err().message.find("/proc/definitely"), std::string::npos);
}

}  // namespace
}  // namespace newswatch::store
