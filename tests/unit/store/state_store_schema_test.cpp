// Schema upgrades, the reset guard and batched writes, on real SQLite files.
#include <sqlite3.h>

#include <gtest/gtest.h>

#include "newswatch/core/sha256.hpp"
#include "newswatch/store/state_store.hpp"
#include "test_paths.hpp"

namespace newswatch::store {
namespace {

using testing::temp_dir;
const core::timestamp t0{core::seconds{1'700'000'000}};

// seen_items as schemas 1 to 8 wrote it.
constexpr const char* text_keyed_seen_items =
    "CREATE TABLE seen_items (feed_url TEXT NOT NULL, item_id TEXT NOT NULL, first_seen_at INTEGER NOT NULL, "
    "last_present_at INTEGER NOT NULL, PRIMARY KEY (feed_url, item_id)) WITHOUT ROWID;";

void exec_sql(const std::filesystem::path& db_file, const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(db_file.c_str(), &db), SQLITE_OK);
    char* message = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
    EXPECT_EQ(rc, SQLITE_OK) << (message ? message : "");
    sqlite3_free(message);
    sqlite3_close(db);
}

TEST(state_store_schema, a_version_1_database_is_upgraded_and_keeps_its_feeds) {
    temp_dir dir;
    const auto file = dir.path() / "state.db";
    // The feeds table as newswatch 0.1 (schema 1) wrote it.
    exec_sql(
        file,
        "CREATE TABLE feeds (url TEXT PRIMARY KEY, effective_url TEXT, title TEXT, etag TEXT NOT NULL "
        "DEFAULT '', "
        "last_modified TEXT NOT NULL DEFAULT '', first_fetched_at INTEGER, last_fetch_at INTEGER, "
        "last_success_at INTEGER, last_new_item_at INTEGER, items_seen_at INTEGER, failing_since INTEGER, "
        "next_poll_at INTEGER, last_status INTEGER NOT NULL DEFAULT 0, last_outcome TEXT NOT NULL DEFAULT "
        "'', "
        "last_error TEXT NOT NULL DEFAULT '', consecutive_failures INTEGER NOT NULL DEFAULT 0, "
        "retired INTEGER NOT NULL DEFAULT 0, health_reported INTEGER NOT NULL DEFAULT 0, "
        "publish_interval_estimate INTEGER NOT NULL DEFAULT 0);"
        "INSERT INTO feeds (url, etag, retired) VALUES ('https://old.example/feed', '\"v1\"', 1);"
        "PRAGMA user_version=1;");
    auto store = state_store::open(file);
    ASSERT_TRUE(store) << store.err().message;
    auto loaded = store->load_feed("https://old.example/feed");
    ASSERT_TRUE(loaded && *loaded);
    EXPECT_EQ((*loaded)->etag, "\"v1\"");
    EXPECT_TRUE((*loaded)->retired);
    EXPECT_EQ((*loaded)->reset_count, 0);
    ASSERT_TRUE(store->reset_feed("https://old.example/feed"));
    EXPECT_EQ(store->load_feed("https://old.example/feed").value()->reset_count, 1);
}

TEST(state_store_schema, a_version_2_outbox_is_upgraded_and_its_alerts_stay_pending) {
    temp_dir dir;
    const auto file = dir.path() / "state.db";
    // The outbox as schema 2 wrote it, with one pending alert.
    exec_sql(file,
             "CREATE TABLE outbox (row_id INTEGER PRIMARY KEY, alert_id TEXT NOT NULL, sink TEXT NOT NULL, "
             "payload TEXT NOT NULL, created_at INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, "
             "next_attempt_at INTEGER NOT NULL, delivered_at INTEGER, last_error TEXT NOT NULL DEFAULT '', "
             "UNIQUE (alert_id, sink));"
             "INSERT INTO outbox (alert_id, sink, payload, created_at, next_attempt_at) VALUES "
             "('a1', 'file', '{\"type\":\"alert\",\"watch\":\"membership\"}', 1700000000, 1700000000);"
             "PRAGMA user_version=2;");
    auto store = state_store::open(file);
    ASSERT_TRUE(store) << store.err().message;
    auto rows = store->pending_outbox(t0).value();
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].entry.watch, "membership");
    EXPECT_EQ(rows[0].entry.event, "alert");
    EXPECT_EQ(rows[0].age_from, t0);
    ASSERT_TRUE(store->mark_outcomes({{rows[0].row_id, outcome_kind::dead, t0, {}, "HTTP 404"}}));
    EXPECT_EQ(store->count_outbox().value().dead, 1);
    EXPECT_TRUE(store->pending_outbox(t0 + core::seconds{3600}).value().empty());
}

TEST(state_store_schema, a_version_4_outbox_gains_the_grouping_columns_and_keeps_its_rows) {
    temp_dir dir;
    const auto file = dir.path() / "state.db";
    // The outbox as schema 4 wrote it, with one pending alert.
    exec_sql(
        file,
        "CREATE TABLE outbox (row_id INTEGER PRIMARY KEY, alert_id TEXT NOT NULL, sink TEXT NOT NULL, "
        "payload TEXT NOT NULL, created_at INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, "
        "next_attempt_at INTEGER NOT NULL, delivered_at INTEGER, last_error TEXT NOT NULL DEFAULT '', "
        "event TEXT NOT NULL DEFAULT 'alert', watch TEXT NOT NULL DEFAULT '', dead_at INTEGER, "
        "last_attempt_at INTEGER, age_from INTEGER NOT NULL DEFAULT 0, UNIQUE (alert_id, sink));"
        "INSERT INTO outbox (alert_id, sink, payload, created_at, next_attempt_at, age_from, watch) VALUES "
        "('a1', 'file', '{}', 1700000000, 1700000000, 1700000000, 'membership');"
        "PRAGMA user_version=4;");
    auto store = state_store::open(file);
    ASSERT_TRUE(store) << store.err().message;
    auto rows = store->pending_outbox(t0).value();
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].entry.group_key, "");
    EXPECT_FALSE(rows[0].entry.urgent);
    // New rows carry the columns; a folded row is not pending.
    fetch_commit commit;
    commit.feed.url = "https://a.example/feed";
    outbox_entry grouped{"a2", "file", "{}", "alert", "aid"};
    grouped.group_key = "item-1";
    grouped.urgent = true;
    outbox_entry folded{"a3", "file", "{}", "alert", "aid"};
    folded.storm_id = "storm-1";
    commit.alerts = {grouped, folded};
    ASSERT_TRUE(store->commit_fetch(commit, t0));
    rows = store->pending_outbox(t0).value();
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[1].entry.group_key, "item-1");
    EXPECT_TRUE(rows[1].entry.urgent);
}

// Schema 8 (issue 16 item 4): the meta table of the start-up check, added to a version 7
// database that keeps its feeds; the small-table check reads only the tables named.
TEST(state_store_schema, a_version_7_database_gains_the_meta_table_and_keeps_its_feeds) {
    testing::temp_dir dir;
    const auto file = dir.path() / "state.db";
    {
        auto store = state_store::open(file);
        ASSERT_TRUE(store) << store.err().message;
        feed_state f;
        f.url = "https://seven.example/feed";
        ASSERT_TRUE(store->save_feed(f));
    }
    exec_sql(file, "DROP TABLE meta; PRAGMA user_version=7;");
    auto store = state_store::open(file);
    ASSERT_TRUE(store) << store.err().message;
    EXPECT_TRUE(store->load_feed("https://seven.example/feed").value().has_value());
    EXPECT_EQ(store->meta("clean_shutdown").value(), std::nullopt);
    ASSERT_TRUE(store->set_meta("clean_shutdown", "1"));
    ASSERT_TRUE(store->set_meta("clean_shutdown", "0"));
    EXPECT_EQ(store->meta("clean_shutdown").value(), std::optional<std::string>("0"));
    EXPECT_TRUE(store->quick_check_tables({"meta", "feeds", "storms", "websub_subscriptions"}));
    EXPECT_TRUE(store->quick_check());
}

TEST(state_store_schema, a_database_from_a_newer_newswatch_is_refused_by_name) {
    temp_dir dir;
    const auto file = dir.path() / "state.db";
    exec_sql(file, "PRAGMA user_version=99;");
    auto store = state_store::open(file);
    ASSERT_FALSE(store);
    EXPECT_NE(store.err().message.find("newer newswatch"), std::string::npos) << store.err().message;
}

TEST(state_store_schema, a_state_read_before_a_reset_is_not_written_back_over_it) {
    temp_dir dir;
    auto store = std::move(state_store::open(dir.path() / "state.db")).value();
    feed_state f;
    f.url = "https://a.example/feed";
    f.retired = true;
    f.consecutive_failures = 4;
    ASSERT_TRUE(store.save_feed(f));
    const feed_state before_reset = store.load_feed(f.url).value().value();
    ASSERT_TRUE(store.reset_feed(f.url).value());  // `newswatch feeds reset`, from another process

    feed_state stale = before_reset;  // what a running daemon still holds
    stale.consecutive_failures = 5;
    ASSERT_TRUE(store.save_feed(stale));  // accepted, but the reset wins
    auto now_stored = store.load_feed(f.url).value().value();
    EXPECT_FALSE(now_stored.retired);
    EXPECT_EQ(now_stored.consecutive_failures, 0);
    EXPECT_EQ(now_stored.reset_count, 1);
    EXPECT_EQ(store.feed_resets().value(), (std::vector<std::pair<std::string, std::int64_t>>{{f.url, 1}}));

    now_stored.consecutive_failures = 1;  // a state read after the reset is written
    ASSERT_TRUE(store.save_feed(now_stored));
    EXPECT_EQ(store.load_feed(f.url).value()->consecutive_failures, 1);
}

TEST(state_store_schema, a_batch_writes_documents_and_states_together_or_not_at_all) {
    temp_dir dir;
    const auto file = dir.path() / "state.db";
    auto store = std::move(state_store::open(file)).value();
    write_batch batch;
    fetch_commit doc;
    doc.feed.url = "https://a.example/feed";
    doc.present_item_ids = {"1", "2"};
    doc.alerts.push_back({"alert-1", "out", "{}"});
    doc.read_at = t0;
    batch.documents.push_back(doc);
    feed_state other;
    other.url = "https://b.example/feed";
    other.last_status = 304;
    batch.feeds.push_back(other);
    ASSERT_TRUE(store.apply(batch, t0 + core::seconds{5}));
    EXPECT_EQ(store.find_new_items(doc.feed.url, {"1", "2", "3"}).value(),
              (std::vector<bool>{false, false, true}));
    EXPECT_EQ(store.load_feed(other.url).value()->last_status, 304);
    auto pending = store.pending_outbox(t0).value();
    ASSERT_EQ(pending.size(), 1u);
    EXPECT_EQ(pending[0].created_at, t0);  // the document's read time, not the write time

    // A batch that fails half-way leaves nothing behind.
    exec_sql(file, "DROP TABLE outbox;");
    write_batch failing;
    fetch_commit doc2 = doc;
    doc2.feed.url = "https://c.example/feed";
    failing.documents.push_back(doc2);
    EXPECT_FALSE(store.apply(failing, t0));
    auto fresh = store.find_new_items(doc2.feed.url, {"1"});
    ASSERT_TRUE(fresh);
    EXPECT_EQ(*fresh, std::vector<bool>{true});
    EXPECT_FALSE(store.load_feed(doc2.feed.url).value());
}

TEST(state_store_schema, delivery_outcomes_are_written_in_one_call) {
    temp_dir dir;
    auto store = std::move(state_store::open(dir.path() / "state.db")).value();
    fetch_commit doc;
    doc.feed.url = "u";
    doc.alerts = {{"a1", "out", "{}"}, {"a2", "out", "{}"}};
    ASSERT_TRUE(store.commit_fetch(doc, t0));
    auto rows = store.pending_outbox(t0).value();
    ASSERT_EQ(rows.size(), 2u);
    ASSERT_TRUE(
        store.mark_outcomes({{rows[0].row_id, outcome_kind::delivered, t0, {}, {}},
                             {rows[1].row_id, outcome_kind::retry, t0, t0 + core::seconds{60}, "boom"}}));
    EXPECT_EQ(store.count_pending().value(), 1);
    EXPECT_TRUE(store.pending_outbox(t0).value().empty());  // the failed one waits for its retry
    EXPECT_EQ(store.pending_outbox(t0 + core::seconds{60}).value().size(), 1u);
}

// Deduplication rows (issue #13 item 2): remembered stories and duplicate sources, written
// with a document's commit, read back, pruned, and the upgrade of a schema 2 database.
std::int64_t user_version(const std::filesystem::path& db_file) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(db_file.c_str(), &db), SQLITE_OK);
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, nullptr);
    sqlite3_step(s);
    const std::int64_t v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return v;
}

fetch_commit document(const std::string& feed_url) {
    fetch_commit c;
    c.feed.url = feed_url;
    return c;
}

duplicate_source source(const std::string& original, const std::string& id, const std::string& feed,
                        core::timestamp at) {
    return {original, id,     "w", feed, "item-" + id, "https://" + feed + "/x?utm_source=y", "A title " + id,
            "",       "link", 1.0, at};
}

TEST(state_store_dedup, a_version_2_database_is_upgraded_in_place_and_keeps_its_rows) {
    temp_dir dir;
    const auto file = dir.path() / "state.db";
    // The tables as newswatch wrote them at schema 2 (before deduplication).
    exec_sql(
        file,
        "CREATE TABLE feeds (url TEXT PRIMARY KEY, effective_url TEXT, title TEXT, etag TEXT NOT NULL "
        "DEFAULT '', "
        "last_modified TEXT NOT NULL DEFAULT '', first_fetched_at INTEGER, last_fetch_at INTEGER, "
        "last_success_at INTEGER, last_new_item_at INTEGER, items_seen_at INTEGER, failing_since INTEGER, "
        "next_poll_at INTEGER, last_status INTEGER NOT NULL DEFAULT 0, last_outcome TEXT NOT NULL DEFAULT "
        "'', "
        "last_error TEXT NOT NULL DEFAULT '', consecutive_failures INTEGER NOT NULL DEFAULT 0, "
        "retired INTEGER NOT NULL DEFAULT 0, health_reported INTEGER NOT NULL DEFAULT 0, "
        "publish_interval_estimate INTEGER NOT NULL DEFAULT 0, reset_count INTEGER NOT NULL DEFAULT 0);" +
            std::string(text_keyed_seen_items) +
            "CREATE TABLE outbox (row_id INTEGER PRIMARY KEY, alert_id TEXT NOT NULL, sink TEXT NOT NULL, "
            "payload TEXT NOT NULL, created_at INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, "
            "next_attempt_at INTEGER NOT NULL, delivered_at INTEGER, last_error TEXT NOT NULL DEFAULT '', "
            "UNIQUE (alert_id, sink));"
            "INSERT INTO feeds (url, etag, reset_count) VALUES ('https://old.example/feed', '\"v2\"', 3);"
            "INSERT INTO seen_items VALUES ('https://old.example/feed', 'a', 1, 1);"
            "INSERT INTO outbox (alert_id, sink, payload, created_at, next_attempt_at) "
            "VALUES ('0123', 'file', '{}', 1, 1);"
            "PRAGMA user_version=2;");
    {
        auto store = state_store::open(file);
        ASSERT_TRUE(store) << store.err().message;
        EXPECT_EQ(store->load_feed("https://old.example/feed").value()->reset_count, 3);
        EXPECT_EQ(store->find_new_items("https://old.example/feed", {"a", "b"}).value(),
                  (std::vector<bool>{false, true}));
        EXPECT_EQ(store->count_pending().value(), 1);
        EXPECT_TRUE(store->remembered_stories(core::timestamp{}).value().empty());

        auto c = document("https://old.example/feed");
        c.stories.push_back(
            {"A", "w", "", "https://a.example/1", "five words of a title", std::string(256, 'x'), t0});
        c.duplicates.push_back(source("A", "B", "b.example", t0));
        ASSERT_TRUE(store->commit_fetch(c, t0));
    }
    EXPECT_EQ(user_version(file), 9);
    // A read-only reader (newswatch status) accepts the upgraded file.
    auto reader = state_store::open_read_only(file);
    ASSERT_TRUE(reader) << reader.err().message;
    EXPECT_EQ(reader->remembered_stories(core::timestamp{}).value().size(), 1u);
    EXPECT_EQ(reader->duplicates_of("A").value().size(), 1u);
}

TEST(state_store_dedup, a_version_3_database_gets_the_dedup_tables_and_keeps_its_outbox) {
    temp_dir dir;
    const auto file = dir.path() / "state.db";
    {
        // Schema 3 (dead letters, before deduplication): today's tables without the dedup ones.
        auto store = std::move(state_store::open(file)).value();
        auto c = document("https://a.example/feed");
        c.alerts.push_back({"0123", "file", "{}", "alert", "w"});
        ASSERT_TRUE(store.commit_fetch(c, t0));
    }
    exec_sql(file, "DROP TABLE dedup_stories; DROP TABLE alert_duplicates; PRAGMA user_version=3;");
    auto store = state_store::open(file);
    ASSERT_TRUE(store) << store.err().message;
    EXPECT_EQ(store->count_pending().value(), 1);
    auto c = document("https://a.example/feed");
    c.stories.push_back({"A", "w", "", "https://a.example/1", "", "", t0});
    c.duplicates.push_back(source("A", "B", "b.example", t0));
    ASSERT_TRUE(store->commit_fetch(c, t0));
    EXPECT_EQ(store->remembered_stories(core::timestamp{}).value().size(), 1u);
    EXPECT_EQ(store->duplicates_of("A").value().size(), 1u);
    EXPECT_EQ(user_version(file), 9);
}

TEST(state_store_dedup, stories_and_duplicate_sources_are_written_with_the_document_and_read_back) {
    temp_dir dir;
    auto store = std::move(state_store::open(dir.path() / "state.db")).value();
    auto c = document("https://a.example/feed");
    c.stories.push_back(
        {"A", "w", "", "https://a.example/1", "nato sends more air defence", "sig-bytes", t0});
    c.stories.push_back({"S", "claims", "disagree", "", "", "", t0 + core::seconds{5}});
    c.duplicates.push_back(source("A", "C", "c.example", t0 + core::seconds{20}));
    c.duplicates.push_back(source("A", "B", "b.example", t0 + core::seconds{10}));
    c.duplicates.push_back(
        source("A", "B", "b.example", t0 + core::seconds{30}));  // the same source again: once
    c.duplicates.push_back(source("S", "D", "d.example", t0 + core::seconds{10}));
    ASSERT_TRUE(store.commit_fetch(c, t0));

    const auto stories = store.remembered_stories(t0).value();
    ASSERT_EQ(stories.size(), 2u);
    EXPECT_EQ(stories[0].alert_id, "A");
    EXPECT_EQ(stories[0].link, "https://a.example/1");
    EXPECT_EQ(stories[0].title, "nato sends more air defence");
    EXPECT_EQ(stories[0].signature, "sig-bytes");
    EXPECT_EQ(stories[0].remembered_at, t0);
    EXPECT_EQ(stories[1].stance, "disagree");
    EXPECT_EQ(stories[1].signature, "");
    EXPECT_EQ(store.remembered_stories(t0 + core::seconds{1}).value().size(), 1u);

    const auto sources = store.duplicates_of("A").value();
    ASSERT_EQ(sources.size(), 2u);
    EXPECT_EQ(sources[0].alert_id, "B");  // oldest first
    EXPECT_EQ(sources[0].feed_url, "b.example");
    EXPECT_EQ(sources[0].item_link, "https://b.example/x?utm_source=y");
    EXPECT_EQ(sources[0].item_title, "A title B");
    EXPECT_EQ(sources[0].rule, "link");
    EXPECT_EQ(sources[0].seen_at, t0 + core::seconds{10});
    EXPECT_EQ(sources[1].alert_id, "C");
    EXPECT_TRUE(store.duplicates_of("nothing").value().empty());

    // Stories go with the window, sources with the (longer) retention.
    EXPECT_EQ(store.prune_dedup(t0 + core::seconds{1}, t0 + core::seconds{15}).value(), 3);
    EXPECT_EQ(store.remembered_stories(core::timestamp{}).value().size(), 1u);
    EXPECT_EQ(store.duplicates_of("A").value().size(), 1u);
    EXPECT_TRUE(store.duplicates_of("S").value().empty());
}

// Schema 9 (issue 16, cold-round CPU): a real version 8 file (today's tables, seen_items as
// 8 wrote it: text keys and the last_present_at index) has its seen items rewritten under
// 64-bit keys; what was seen stays seen, with its times, and nothing else becomes seen.
TEST(state_store_schema, a_version_8_database_keeps_its_seen_items_under_hashed_keys) {
    temp_dir dir;
    const auto file = dir.path() / "state.db";
    {
        auto store = state_store::open(file);
        ASSERT_TRUE(store) << store.err().message;
        feed_state f;
        f.url = "https://a.example/feed";
        f.items_seen_at = t0 + core::seconds{100};
        ASSERT_TRUE(store->save_feed(f));
    }
    exec_sql(
        file,
        "DROP TABLE seen_items;" + std::string(text_keyed_seen_items) +
            "CREATE INDEX seen_items_last_present ON seen_items(last_present_at);"
            "INSERT INTO seen_items VALUES ('https://a.example/feed', 'gone', 1700000000, 1700000000);"
            "INSERT INTO seen_items VALUES ('https://a.example/feed', 'stays', 1700000000, 1700000100);"
            "INSERT INTO seen_items VALUES ('https://b.example/feed', 'urn:b:1', 1700000050, 1700000050);"
            "PRAGMA user_version=8;");
    {
        auto store = state_store::open(file);
        ASSERT_TRUE(store) << store.err().message;
        EXPECT_EQ(
            store->find_new_items("https://a.example/feed", {"gone", "stays", "urn:b:1", "new"}).value(),
            (std::vector<bool>{false, false, true, true}));
        EXPECT_EQ(store->find_new_items("https://b.example/feed", {"urn:b:1", "stays"}).value(),
                  (std::vector<bool>{false, true}));
        // The times came along: "gone" left the feed before its latest document, "stays" is in
        // it, and the feed-less row goes with the retention alone.
        EXPECT_EQ(store->prune_seen(t0 + core::seconds{200}).value(), 2);
        EXPECT_EQ(store->find_new_items("https://a.example/feed", {"gone", "stays"}).value(),
                  (std::vector<bool>{true, false}));
    }
    EXPECT_EQ(user_version(file), 9);
    // The documented key: the first 8 bytes of SHA-256, big-endian, signed.
    const auto key = [](const char* text) { return static_cast<std::int64_t>(core::sha256_prefix64(text)); };
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
    sqlite3_stmt* s = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(
                  db,
                  "SELECT first_seen_at, last_present_at, (SELECT COUNT(*) FROM sqlite_schema WHERE "
                  "name='seen_items_last_present') FROM seen_items WHERE feed_key=?1 AND item_key=?2",
                  -1, &s, nullptr),
              SQLITE_OK)
        << sqlite3_errmsg(db);
    sqlite3_bind_int64(s, 1, key("https://a.example/feed"));
    sqlite3_bind_int64(s, 2, key("stays"));
    ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
    EXPECT_EQ(sqlite3_column_int64(s, 0), 1700000000);
    EXPECT_EQ(sqlite3_column_int64(s, 1), 1700000100);
    EXPECT_EQ(sqlite3_column_int64(s, 2), 0);  // the index went with the old table
    sqlite3_finalize(s);
    sqlite3_close(db);
}

}  // namespace
}  // namespace newswatch::store
