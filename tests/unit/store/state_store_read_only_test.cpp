// state_store::open_read_only and count_outbox (`newswatch status`, issue #14).
#include "newswatch/store/state_store.hpp"

#include <gtest/gtest.h>

#include "test_paths.hpp"

namespace newswatch::store {
namespace {

using testing::temp_dir;
const core::timestamp t0{core::seconds{1'700'000'000}};

TEST(state_store_read_only, reads_what_the_writer_left_counts_the_outbox_and_never_writes) {
    temp_dir dir;
    const auto db = dir.path() / "state.db";
    EXPECT_FALSE(state_store::open_read_only(db).ok());
    EXPECT_FALSE(std::filesystem::exists(db)) << "a read-only open must not create the database";
    {
        auto writer = state_store::open(db);
        ASSERT_TRUE(writer);
        fetch_commit c;
        c.feed.url = "u";
        c.feed.consecutive_failures = 2;
        c.present_item_ids = {"a"};
        c.alerts = {{"id1", "file", "{}"}, {"id1", "log", "{}"}, {"id2", "file", "{}"}};
        ASSERT_TRUE(writer->commit_fetch(c, t0));
        auto pending = writer->pending_outbox(t0);
        ASSERT_TRUE(pending);
        ASSERT_TRUE(writer->mark_delivered((*pending)[0].row_id, t0));
        ASSERT_TRUE(writer->mark_failed((*pending)[1].row_id, "down", t0 + core::seconds{60}));
        // While the writer is open (its -wal and -shm exist) a reader sees its commits.
        auto reader = state_store::open_read_only(db);
        ASSERT_TRUE(reader) << reader.err().message;
        const auto counts = reader->count_outbox();
        ASSERT_TRUE(counts);
        EXPECT_EQ(counts->pending, 2);
        EXPECT_EQ(counts->retrying, 1);
    }
    // The writer has gone: the database is read as it was left.
    auto reader = state_store::open_read_only(db);
    ASSERT_TRUE(reader) << reader.err().message;
    auto feeds = reader->all_feeds();
    ASSERT_TRUE(feeds);
    ASSERT_EQ(feeds->size(), 1u);
    EXPECT_EQ((*feeds)[0].consecutive_failures, 2);
    EXPECT_EQ(*reader->count_pending(), 2);
    feed_state f;
    f.url = "v";
    EXPECT_FALSE(reader->save_feed(f).ok());
}

}  // namespace
}  // namespace newswatch::store
