#include "newswatch/store/article_cache.hpp"

#include <sqlite3.h>

#include <gtest/gtest.h>

#include "test_paths.hpp"

namespace newswatch::store {
namespace {

using testing::temp_dir;
const core::timestamp t0{core::seconds{1'700'000'000}};

void exec_sql(const std::filesystem::path& db_file, const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(db_file.c_str(), &db), SQLITE_OK);
    char* message = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
    EXPECT_EQ(rc, SQLITE_OK) << (message ? message : "");
    sqlite3_free(message);
    sqlite3_close(db);
}

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

TEST(article_cache, an_article_is_found_by_its_link_and_by_its_canonical_url_within_retention) {
    temp_dir dir;
    auto store = std::move(state_store::open(dir.path() / "state.db")).value();
    article_cache cache(store);
    EXPECT_FALSE(cache.find("https://a.example/x?utm_source=rss", t0).value());
    ASSERT_TRUE(cache.put("https://a.example/x?utm_source=rss", "https://a.example/x", "The text.", t0));
    for (const char* url : {"https://a.example/x?utm_source=rss", "https://a.example/x"}) {
        const auto found = cache.find(url, t0).value();
        ASSERT_TRUE(found) << url;
        EXPECT_EQ(found->canonical_url, "https://a.example/x");
        EXPECT_EQ(found->text, "The text.");
        EXPECT_EQ(found->fetched_at, t0);
    }
    // Older than the caller's retention: not used, and pruned.
    EXPECT_FALSE(cache.find("https://a.example/x", t0 + core::seconds{1}).value());
    // Another link to the same page, fetched later, refreshes the text for every way there.
    ASSERT_TRUE(cache.put("https://a.example/x?from=home", "https://a.example/x", "Updated.",
                          t0 + core::seconds{60}));
    EXPECT_EQ(cache.find("https://a.example/x?utm_source=rss", t0).value()->text, "Updated.");
    EXPECT_EQ(cache.prune(t0 + core::seconds{30}).value(), 1);  // the first link's row only
    EXPECT_TRUE(cache.find("https://a.example/x?from=home", t0 + core::seconds{60}).value());
    EXPECT_EQ(cache.prune(t0 + core::seconds{61}).value(), 2);
    EXPECT_FALSE(cache.find("https://a.example/x", t0).value());
}

TEST(article_cache, a_version_4_database_is_upgraded_and_gets_the_article_cache) {
    temp_dir dir;
    const auto file = dir.path() / "state.db";
    {
        // Schema 4 (deduplication, before articles): today's tables without article_cache.
        auto store = std::move(state_store::open(file)).value();
        fetch_commit c;
        c.feed.url = "https://a.example/feed";
        c.present_item_ids = {"a"};
        c.alerts.push_back({"0123", "file", "{}", "alert", "w"});
        ASSERT_TRUE(store.commit_fetch(c, t0));
    }
    exec_sql(file, "DROP TABLE article_cache; PRAGMA user_version=4;");
    {
        auto store = state_store::open(file);
        ASSERT_TRUE(store) << store.err().message;
        EXPECT_EQ(store->count_pending().value(), 1);
        EXPECT_EQ(store->find_new_items("https://a.example/feed", {"a", "b"}).value(),
                  (std::vector<bool>{false, true}));
        article_cache cache(*store);
        ASSERT_TRUE(cache.put("https://a.example/1", "https://a.example/1", "Text.", t0));
    }
    EXPECT_EQ(user_version(file), 9);
    auto reader = state_store::open_read_only(file);
    ASSERT_TRUE(reader) << reader.err().message;
    article_cache cache(*reader);
    EXPECT_EQ(cache.find("https://a.example/1", t0).value()->text, "Text.");
}

}  // namespace
}  // namespace newswatch::store
