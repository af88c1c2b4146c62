#include "newswatch/store/state_store.hpp"

#include <array>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "newswatch/core/sha256.hpp"
#include "sqlite_handle.hpp"

namespace newswatch::store {
namespace {

// The columns read_outbox_row reads, in its order.
#define OUTBOX_ROW_COLUMNS                                                                             \
    "row_id, alert_id, sink, payload, attempts, created_at, event, watch, age_from, next_attempt_at, " \
    "group_key, urgent"

// 2: feeds.reset_count (a running daemon must not overwrite a `feeds reset`).
// 3: outbox event, watch, dead letters, max_age base; delivery_attempts (issue #11).
// 4: dedup_stories and alert_duplicates (cross-feed deduplication, issue #13); new tables
//    only, so schema_sql's CREATE ... IF NOT EXISTS is the whole upgrade.
// 5: outbox group_key (one message per item per sink), urgent, storm_id (folded by the
//    storm guard) and the storms table (issue #13 items 1, 3 and 4).
// 6: article_cache (full-article fetching, issue #15; see the block below).
// 7: websub_subscriptions (issue #16 item 3; the block below schema_sql).
// 8: meta (facts about the database itself: clean shutdown, last full check).
// 9: seen_items keyed by 64-bit hashes, without the last_present_at index (issue #16; the
//    block below schema_sql).
constexpr int schema_version = 9;

constexpr const char* schema_sql = R"sql(
CREATE TABLE IF NOT EXISTS feeds (
    url TEXT PRIMARY KEY,
    effective_url TEXT,
    title TEXT,
    etag TEXT NOT NULL DEFAULT '',
    last_modified TEXT NOT NULL DEFAULT '',
    first_fetched_at INTEGER,
    last_fetch_at INTEGER,
    last_success_at INTEGER,
    last_new_item_at INTEGER,
    items_seen_at INTEGER,
    failing_since INTEGER,
    next_poll_at INTEGER,
    last_status INTEGER NOT NULL DEFAULT 0,
    last_outcome TEXT NOT NULL DEFAULT '',
    last_error TEXT NOT NULL DEFAULT '',
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    retired INTEGER NOT NULL DEFAULT 0,
    health_reported INTEGER NOT NULL DEFAULT 0,
    publish_interval_estimate INTEGER NOT NULL DEFAULT 0,
    reset_count INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS outbox (
    row_id INTEGER PRIMARY KEY,
    alert_id TEXT NOT NULL,
    sink TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    delivered_at INTEGER,
    last_error TEXT NOT NULL DEFAULT '',
    event TEXT NOT NULL DEFAULT 'alert',
    watch TEXT NOT NULL DEFAULT '',
    dead_at INTEGER,
    last_attempt_at INTEGER,
    age_from INTEGER NOT NULL DEFAULT 0,
    group_key TEXT NOT NULL DEFAULT '',
    urgent INTEGER NOT NULL DEFAULT 0,
    storm_id TEXT,
    UNIQUE (alert_id, sink)
);
CREATE INDEX IF NOT EXISTS outbox_pending ON outbox(delivered_at, next_attempt_at);
CREATE INDEX IF NOT EXISTS outbox_sink_pending ON outbox(sink, row_id) WHERE delivered_at IS NULL AND dead_at IS NULL;
CREATE INDEX IF NOT EXISTS outbox_created ON outbox(created_at);
CREATE TABLE IF NOT EXISTS delivery_attempts (
    row_id INTEGER NOT NULL,
    at INTEGER NOT NULL,
    outcome TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS delivery_attempts_row ON delivery_attempts(row_id);
CREATE TABLE IF NOT EXISTS dedup_stories (
    alert_id TEXT PRIMARY KEY,
    watch TEXT NOT NULL,
    stance TEXT NOT NULL DEFAULT '',
    link TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    signature BLOB,
    remembered_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS dedup_stories_remembered ON dedup_stories(remembered_at);
CREATE TABLE IF NOT EXISTS alert_duplicates (
    original_alert_id TEXT NOT NULL,
    alert_id TEXT NOT NULL,
    watch TEXT NOT NULL,
    feed_url TEXT NOT NULL,
    item_id TEXT NOT NULL,
    item_link TEXT,
    item_title TEXT,
    stance TEXT NOT NULL DEFAULT '',
    rule TEXT NOT NULL,
    similarity REAL NOT NULL DEFAULT 1,
    seen_at INTEGER NOT NULL,
    PRIMARY KEY (original_alert_id, alert_id)
);
CREATE INDEX IF NOT EXISTS alert_duplicates_seen ON alert_duplicates(seen_at);
CREATE INDEX IF NOT EXISTS outbox_storm ON outbox(storm_id) WHERE storm_id IS NOT NULL;
CREATE TABLE IF NOT EXISTS storms (
    storm_id TEXT PRIMARY KEY,
    watch TEXT NOT NULL DEFAULT '',
    feed_url TEXT NOT NULL DEFAULT '',
    started_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL,
    emitted_at INTEGER
);
)sql";

// Version 4 -> 5: the outbox columns of grouping, urgency and storms (each added when
// missing: a file may have been written by a development build in between).
constexpr std::array<std::pair<std::string_view, std::string_view>, 3> columns_added_in_5{{
    {"group_key", "ALTER TABLE outbox ADD COLUMN group_key TEXT NOT NULL DEFAULT ''"},
    {"urgent", "ALTER TABLE outbox ADD COLUMN urgent INTEGER NOT NULL DEFAULT 0"},
    {"storm_id", "ALTER TABLE outbox ADD COLUMN storm_id TEXT"},
}};

// ---- schema 7: WebSub subscriptions (issue #16 item 3) -------------------------------
// A new table only: CREATE ... IF NOT EXISTS is the whole upgrade from 4, 5 or 6. Kept
// apart from schema_sql so that parallel schema changes merge without touching it.
constexpr const char* websub_schema_sql = R"sql(
CREATE TABLE IF NOT EXISTS websub_subscriptions (
    feed_url TEXT PRIMARY KEY,
    hub TEXT NOT NULL,
    topic TEXT NOT NULL,
    callback_id TEXT NOT NULL UNIQUE,
    secret TEXT NOT NULL,
    state TEXT NOT NULL,
    lease_seconds INTEGER NOT NULL DEFAULT 0,
    requested_at INTEGER NOT NULL,
    verified_at INTEGER,
    expires_at INTEGER,
    failures INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT ''
);
)sql";
// ---- end of schema 7 ------------------------------------------------------------------

// ---- schema 9: hashed seen items (issue #16, cold-round CPU) ---------------------------
// Up to 8 a row held the feed URL and the item id as text (55 bytes on average, twice: in
// the table and in an index on last_present_at). Now both are 64-bit keys, seen_key() below:
// the first 8 bytes of SHA-256 of the UTF-8 text, big-endian, as a signed integer (Python:
// int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big", signed=True)). It never
// changes across builds or platforms, and it is cryptographic, so a publisher cannot craft
// ids that collide with another's. A chance collision (2^-64 per pair of ids of one feed, or
// per pair of feed URLs) costs at worst one item wrongly taken as seen: no alert for it,
// nothing else; the keys are never used to find anything but "seen or not".
//
// No index on last_present_at any more: only prune_seen reads by it, every ten minutes and
// at the end of a --once round, while every item of every document read moves
// last_present_at, i.e. rewrote an index entry (a delete and an insert in a second b-tree).
// Measured at 10,000 feeds (597,910 rows): the pruning scan costs 0.02-0.04 CPU s when
// nothing is due (0.2 s returning every row), where the index was 50 MB of the 102 MB and a
// cold round with it and text keys took 19.4 CPU s against 17.1 s now.
//
// The 8 -> 9 upgrade (and from any older file) rewrites the table within one transaction,
// the keys computed by the SQL function newswatch_seen_key (registered on every read-write
// connection); two old rows that hash alike keep the earliest first and latest presence.
constexpr const char* seen_items_sql = R"sql(
CREATE TABLE IF NOT EXISTS seen_items (
    feed_key INTEGER NOT NULL,
    item_key INTEGER NOT NULL,
    first_seen_at INTEGER NOT NULL,
    last_present_at INTEGER NOT NULL,
    PRIMARY KEY (feed_key, item_key)
) WITHOUT ROWID;
)sql";
// Run around seen_items_sql: the old table (and its index) is renamed, then emptied into the
// new one in key order (GROUP BY sorts: dense pages).
constexpr const char* seen_items_rename_sql = "ALTER TABLE seen_items RENAME TO seen_items_8";
constexpr const char* seen_items_convert_sql = R"sql(
INSERT INTO seen_items (feed_key, item_key, first_seen_at, last_present_at)
    SELECT newswatch_seen_key(feed_url), newswatch_seen_key(item_id), MIN(first_seen_at),
           MAX(last_present_at)
    FROM seen_items_8 GROUP BY 1, 2;
DROP TABLE seen_items_8;
)sql";

std::int64_t seen_key(std::string_view text) {
    return static_cast<std::int64_t>(core::sha256_prefix64(text));
}

void seen_key_function(sqlite3_context* context, int, sqlite3_value** args) {
    if (sqlite3_value_type(args[0]) == SQLITE_NULL) return sqlite3_result_null(context);
    const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(args[0]));
    const auto size = static_cast<std::size_t>(sqlite3_value_bytes(args[0]));
    sqlite3_result_int64(context, seen_key(std::string_view(text ? text : "", text ? size : 0)));
}
// ---- end of schema 9 -------------------------------------------------------------------

// ---- schema 8: meta -------------------------------------------------------------------
// A new table only (like 6 and 7). Keys: clean_shutdown ("1" from a clean stop until the
// next start), full_check_at (unix seconds of the last full quick_check that passed).
constexpr const char* meta_schema_sql = R"sql(
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
)sql";
// ---- end of schema 8 -------------------------------------------------------------------

// ---- schema 6: the article cache (issue #15) --------------------------------------------
// A new table only, created for a new database and by the 5 -> 6 step alike (CREATE ...
// IF NOT EXISTS); store/article_cache.cpp reads and writes it. Rows: the text under the
// page's canonical URL, and each link that led there with text NULL (see article_cache.hpp).
constexpr const char* article_cache_sql = R"sql(
CREATE TABLE IF NOT EXISTS article_cache (
    url TEXT PRIMARY KEY,
    canonical_url TEXT NOT NULL,
    text TEXT,
    fetched_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS article_cache_fetched ON article_cache(fetched_at);
)sql";
// ---- end of schema 6 -------------------------------------------------------------------

// Version 2 -> 3: the outbox columns of dead letters and the alert tool (the tables and
// indexes are then created by schema_sql).
constexpr const char* upgrade_to_3_sql = R"sql(
ALTER TABLE outbox ADD COLUMN event TEXT NOT NULL DEFAULT 'alert';
ALTER TABLE outbox ADD COLUMN watch TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN dead_at INTEGER;
ALTER TABLE outbox ADD COLUMN last_attempt_at INTEGER;
ALTER TABLE outbox ADD COLUMN age_from INTEGER NOT NULL DEFAULT 0;
UPDATE outbox SET age_from=created_at;
UPDATE outbox SET watch=COALESCE(json_extract(payload, '$.watch'), '') WHERE json_valid(payload);
UPDATE outbox SET event=COALESCE(json_extract(payload, '$.type'), 'alert') WHERE json_valid(payload);
)sql";

// The feeds table's columns, in the order read_feed_row and save_feed bind them.
constexpr std::array<std::string_view, 20> feed_column_names{"url",
                                                             "effective_url",
                                                             "title",
                                                             "etag",
                                                             "last_modified",
                                                             "first_fetched_at",
                                                             "last_fetch_at",
                                                             "last_success_at",
                                                             "last_new_item_at",
                                                             "items_seen_at",
                                                             "failing_since",
                                                             "next_poll_at",
                                                             "last_status",
                                                             "last_outcome",
                                                             "last_error",
                                                             "consecutive_failures",
                                                             "retired",
                                                             "health_reported",
                                                             "publish_interval_estimate",
                                                             "reset_count"};

std::string feed_columns() {
    std::string out;
    for (const auto column : feed_column_names) out += (out.empty() ? "" : ", ") + std::string(column);
    return out;
}

// The upsert of a feed's state. A row whose reset_count moved on since the state was read
// was reset by `newswatch feeds reset` meanwhile: that reset wins, the write is dropped.
std::string upsert_feed_sql() {
    std::string values, updates;
    for (std::size_t i = 0; i < feed_column_names.size(); ++i) {
        values += (i > 0 ? ",?" : "?") + std::to_string(i + 1);
        const std::string column(feed_column_names[i]);
        if (column == "url" || column == "reset_count") continue;
        updates += (updates.empty() ? "" : ", ") + column + "=excluded." + column;
    }
    return "INSERT INTO feeds (" + feed_columns() + ") VALUES (" + values +
           ") ON CONFLICT(url) DO UPDATE SET " + updates + " WHERE feeds.reset_count=excluded.reset_count";
}

std::int64_t db_time(core::timestamp t) {
    return t.time_since_epoch().count();
}

std::optional<std::int64_t> to_db(const std::optional<core::timestamp>& t) {
    if (!t) return std::nullopt;
    return t->time_since_epoch().count();
}

std::optional<core::timestamp> from_db(const std::optional<std::int64_t>& v) {
    if (!v) return std::nullopt;
    return core::timestamp{core::seconds{*v}};
}

feed_state read_feed_row(const sqlite_statement& s) {
    feed_state f;
    f.url = s.text(0);
    f.effective_url = s.optional_text(1);
    f.title = s.optional_text(2);
    f.etag = s.text(3);
    f.last_modified = s.text(4);
    f.first_fetched_at = from_db(s.optional_integer(5));
    f.last_fetch_at = from_db(s.optional_integer(6));
    f.last_success_at = from_db(s.optional_integer(7));
    f.last_new_item_at = from_db(s.optional_integer(8));
    f.items_seen_at = from_db(s.optional_integer(9));
    f.failing_since = from_db(s.optional_integer(10));
    f.next_poll_at = from_db(s.optional_integer(11));
    f.last_status = static_cast<long>(s.integer(12));
    f.last_outcome = s.text(13);
    f.last_error = s.text(14);
    f.consecutive_failures = static_cast<int>(s.integer(15));
    f.retired = s.integer(16) != 0;
    f.health_reported = s.integer(17) != 0;
    f.publish_interval_estimate = s.integer(18);
    f.reset_count = s.integer(19);
    return f;
}

}  // namespace

struct state_store::impl {
    sqlite3* db = nullptr;
    sqlite_statement load_feed, all_feeds, save_feed, seen_lookup, seen_upsert, outbox_insert, outbox_pending,
        outbox_delivered, outbox_failed, outbox_dead, outbox_attempt, outbox_count, prune_seen, seen_feeds,
        seen_delete, prune_delivered, prune_attempts, reset_feed, feed_resets, sink_pending, sink_head,
        pending_sinks, story_insert, story_select, duplicate_insert, duplicate_select, story_prune,
        duplicate_prune, storm_insert;

    ~impl() {
        // Statements must be finalized before the connection closes.
        for (sqlite_statement* s :
             {&load_feed,        &all_feeds,      &save_feed,        &seen_lookup,   &seen_upsert,
              &outbox_insert,    &outbox_pending, &outbox_delivered, &outbox_failed, &outbox_dead,
              &outbox_attempt,   &outbox_count,   &prune_seen,       &seen_feeds,    &seen_delete,
              &prune_delivered,  &prune_attempts, &reset_feed,       &feed_resets,   &sink_pending,
              &sink_head,        &pending_sinks,  &story_insert,     &story_select,  &duplicate_insert,
              &duplicate_select, &story_prune,    &duplicate_prune,  &storm_insert})
            *s = sqlite_statement{};
        if (db) sqlite3_close_v2(db);
    }

    core::result<void> exec(const char* sql) {
        char* message = nullptr;
        if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
            core::error e{core::errc::database_error,
                          std::string("sqlite: ") + (message ? message : "error")};
            sqlite3_free(message);
            return e;
        }
        return {};
    }

    // Brings a database written by an older newswatch up to schema_version; true when it
    // was not there yet (nothing written otherwise: a daemon must be able to start on a
    // full disk and deliver what waits in the outbox).
    core::result<bool> migrate() {
        sqlite_statement version(db, "PRAGMA user_version");
        if (!version.valid()) return db_error(db, "read user_version");
        auto row = version.step();
        if (!row) return row.err();
        const std::int64_t found = *row ? version.integer(0) : 0;
        version = sqlite_statement{};  // a statement left open would lock the tables 9 drops
        if (found > schema_version)
            return core::error{core::errc::database_error, "written by a newer newswatch (schema " +
                                                               std::to_string(found) + ", this one reads " +
                                                               std::to_string(schema_version) + ")"};
        if (found == schema_version) return false;
        if (found == 1)
            if (auto r = exec("ALTER TABLE feeds ADD COLUMN reset_count INTEGER NOT NULL DEFAULT 0"); !r)
                return r.err();
        if (found >= 1 && found <= 2) {
            sqlite_statement has_outbox(db,
                                        "SELECT 1 FROM sqlite_master WHERE type='table' AND name='outbox'");
            auto exists =
                has_outbox.valid() ? has_outbox.step() : core::result<bool>(db_error(db, "read schema"));
            if (!exists) return exists.err();
            has_outbox = sqlite_statement{};
            if (*exists)
                if (auto r = transaction("BEGIN IMMEDIATE", [&] { return exec(upgrade_to_3_sql); }); !r)
                    return r.err();
        }
        if (found >= 1 && found <= 4)
            if (auto r = transaction("BEGIN IMMEDIATE", [&] { return add_missing_outbox_columns(); }); !r)
                return r.err();
        // 5 -> 6, 6 -> 7 and 7 -> 8: new tables only (article_cache_sql, websub_schema_sql,
        // meta_schema_sql, run by open()).
        if (auto r = hash_seen_items(); !r) return r.err();
        return true;
    }

    // Schema 9: the seen items of an older file, keyed by hashes (seen_items_upgrade_sql).
    core::result<void> hash_seen_items() {
        sqlite_statement old_layout(db,
                                    "SELECT 1 FROM pragma_table_info('seen_items') WHERE name='feed_url'");
        auto found = old_layout.valid() ? old_layout.step() : core::result<bool>(db_error(db, "read schema"));
        if (!found) return found.err();
        old_layout = sqlite_statement{};
        if (!*found) return {};  // no seen items yet: schema_sql creates the table
        return transaction("BEGIN IMMEDIATE", [&]() -> core::result<void> {
            for (const char* sql : {seen_items_rename_sql, seen_items_sql, seen_items_convert_sql})
                if (auto r = exec(sql); !r) return r;
            return {};
        });
    }

    core::result<void> add_missing_outbox_columns() {
        std::set<std::string> present;
        {
            sqlite_statement info(db, "SELECT name FROM pragma_table_info('outbox')");
            if (!info.valid()) return db_error(db, "read outbox columns");
            auto names = info.collect([](const sqlite_statement& s) { return s.text(0); });
            if (!names) return names.err();
            present.insert(names->begin(), names->end());
        }
        if (present.empty()) return {};  // no outbox yet: schema_sql creates it whole
        for (const auto& [column, sql] : columns_added_in_5)
            if (!present.contains(std::string(column)))
                if (auto r = exec(std::string(sql).c_str()); !r) return r;
        return {};
    }

    // One transaction around `body`; rolled back when it fails.
    template <class Body>
    core::result<void> transaction(const char* begin, Body&& body) {
        if (auto r = exec(begin); !r) return r;
        if (auto r = body(); !r) {
            (void)exec("ROLLBACK");
            return r;
        }
        if (auto r = exec("COMMIT"); !r) {
            (void)exec("ROLLBACK");
            return r;
        }
        return {};
    }

    // The dedup rows of one document (stories and duplicate sources), inside apply()'s
    // transaction; a row's own time wins over the document's when set.
    core::result<void> write_dedup(const fetch_commit& commit, std::int64_t at) {
        const auto when = [at](core::timestamp t) {
            return t == core::timestamp{} ? at : std::int64_t{t.time_since_epoch().count()};
        };
        for (const auto& s : commit.stories) {
            auto& q = story_insert.reset();
            q.bind(1, std::string_view(s.alert_id))
                .bind(2, std::string_view(s.watch))
                .bind(3, std::string_view(s.stance));
            q.bind(4, std::string_view(s.link)).bind(5, std::string_view(s.title));
            if (!s.signature.empty()) q.bind_blob(6, s.signature);
            q.bind(7, when(s.remembered_at));
            if (auto r = q.run(); !r) return r;
        }
        for (const auto& d : commit.duplicates) {
            auto& q = duplicate_insert.reset();
            q.bind(1, std::string_view(d.original_alert_id)).bind(2, std::string_view(d.alert_id));
            q.bind(3, std::string_view(d.watch))
                .bind(4, std::string_view(d.feed_url))
                .bind(5, std::string_view(d.item_id));
            q.bind_opt(6, d.item_link).bind_opt(7, d.item_title).bind(8, std::string_view(d.stance));
            q.bind(9, std::string_view(d.rule)).bind(10, d.similarity).bind(11, when(d.seen_at));
            if (auto r = q.run(); !r) return r;
        }
        story_insert.reset();
        duplicate_insert.reset();
        return {};
    }

    // Every statement the store runs; a read-only connection prepares them too (writes
    // fail when stepped, never when prepared).
    core::result<void> prepare_all();

    core::result<void> prepare(sqlite_statement& s, const char* sql) {
        s = sqlite_statement(db, sql);
        if (!s.valid()) return db_error(db, std::string("prepare ") + sql);
        return {};
    }
};

namespace {

bool is_corruption(sqlite3* db) {
    const int code = db ? sqlite3_errcode(db) & 0xff : SQLITE_OK;
    return code == SQLITE_CORRUPT || code == SQLITE_NOTADB;
}

// An open-time failure, as corrupt when SQLite says the file is damaged.
core::error open_error(sqlite3* db, const std::filesystem::path& db_file, const core::error& e) {
    return core::error{is_corruption(db) ? core::make_error_code(core::errc::database_corrupt) : e.code,
                       db_file.string() + ": " + e.message};
}

}  // namespace

namespace {

// Runs one quick_check pragma: errc::database_corrupt naming the first problems found.
core::result<void> run_check(sqlite3* db, const std::string& sql) {
    sqlite_statement check(db, sql.c_str());
    if (!check.valid()) {
        core::error e = db_error(db, "quick_check");
        if (is_corruption(db)) e.code = core::errc::database_corrupt;
        return e;
    }
    std::string problems;
    for (;;) {
        auto row = check.step();
        if (!row) return core::error{core::errc::database_corrupt, row.err().message};
        if (!*row) break;
        const std::string line = check.text(0);
        if (line == "ok") return {};
        problems += (problems.empty() ? "" : "; ") + line;
    }
    return core::error{core::errc::database_corrupt,
                       problems.empty() ? "quick_check returned nothing" : problems};
}

}  // namespace

core::result<void> state_store::quick_check() {
    return run_check(impl_->db, "PRAGMA quick_check(5)");
}

core::result<void> state_store::quick_check_tables(const std::vector<std::string_view>& tables) {
    for (const auto table : tables)
        if (auto r = run_check(impl_->db, "PRAGMA quick_check(\"" + std::string(table) + "\")"); !r) return r;
    return {};
}

core::result<std::optional<std::string>> state_store::meta(std::string_view key) {
    sqlite_statement select(impl_->db, "SELECT value FROM meta WHERE key=?1");
    if (!select.valid()) {
        core::error e = db_error(impl_->db, "read meta");
        if (is_corruption(impl_->db)) e.code = core::errc::database_corrupt;
        return e;
    }
    select.bind(1, key);
    auto row = select.step();
    if (!row) {
        core::error e = row.err();
        if (is_corruption(impl_->db)) e.code = core::errc::database_corrupt;
        return e;
    }
    if (!*row) return std::optional<std::string>{};
    return std::optional<std::string>{select.text(0)};
}

core::result<void> state_store::set_meta(std::string_view key, std::string_view value) {
    sqlite_statement upsert(impl_->db,
                            "INSERT INTO meta (key, value) VALUES (?1, ?2) "
                            "ON CONFLICT (key) DO UPDATE SET value=excluded.value");
    if (!upsert.valid()) return db_error(impl_->db, "write meta");
    upsert.bind(1, key).bind(2, value);
    return upsert.run();
}

core::result<state_store> state_store::open(const std::filesystem::path& db_file) {
    auto p = std::make_unique<impl>();
    if (sqlite3_open_v2(db_file.c_str(), &p->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        nullptr) != SQLITE_OK)
        return db_error(p->db, "cannot open " + db_file.string());
    sqlite3_busy_timeout(p->db, 5000);
    if (sqlite3_create_function_v2(p->db, "newswatch_seen_key", 1,
                                   SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, nullptr,
                                   seen_key_function, nullptr, nullptr, nullptr) != SQLITE_OK)
        return db_error(p->db, "register newswatch_seen_key");
    // WAL: readers (newswatch feeds list) never block the daemon; NORMAL sync is durable
    // against process crashes, which is what the outbox promise is about.
    if (auto r = p->exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"); !r)
        return open_error(p->db, db_file, r.err());
    auto migrated = p->migrate();
    if (!migrated) return open_error(p->db, db_file, migrated.err());
    if (*migrated) {
        if (auto r = p->exec(schema_sql); !r) return open_error(p->db, db_file, r.err());
        // 5 -> 6 (and a new database): the article cache; 6 -> 7: WebSub subscriptions.
        if (auto r = p->exec(article_cache_sql); !r) return open_error(p->db, db_file, r.err());
        if (auto r = p->exec(websub_schema_sql); !r) return open_error(p->db, db_file, r.err());
        if (auto r = p->exec(meta_schema_sql); !r) return open_error(p->db, db_file, r.err());
        if (auto r = p->exec(seen_items_sql); !r) return open_error(p->db, db_file, r.err());
        if (auto r = p->exec(("PRAGMA user_version=" + std::to_string(schema_version)).c_str()); !r)
            return open_error(p->db, db_file, r.err());
    }
    if (auto r = p->prepare_all(); !r) return r.err();
    return state_store(std::move(p));
}

namespace {

// "file:" URI of a path: the characters URIs give a meaning are percent-encoded.
std::string file_uri(const std::filesystem::path& file) {
    std::string uri = "file:";
    for (const char c : file.string()) {
        if (c == '%' || c == '?' || c == '#') {
            static constexpr char hex[] = "0123456789ABCDEF";
            uri += '%';
            uri += hex[(static_cast<unsigned char>(c) >> 4) & 0xF];
            uri += hex[static_cast<unsigned char>(c) & 0xF];
        } else {
            uri += c;
        }
    }
    return uri;
}

}  // namespace

core::result<state_store> state_store::open_read_only(const std::filesystem::path& db_file) {
    std::error_code ec;
    if (!std::filesystem::exists(db_file, ec))
        return core::error{core::errc::database_error, "cannot open " + db_file.string() + ": no such file"};
    // A WAL database is readable without write access when its -wal and -shm files exist
    // (the daemon runs). When it has stopped cleanly they are gone and a reader that may not
    // create files in the state directory reads the file as immutable: nobody writes it.
    for (const bool immutable : {false, true}) {
        auto p = std::make_unique<impl>();
        const std::string uri = file_uri(db_file) + (immutable ? "?immutable=1" : "?mode=ro");
        if (sqlite3_open_v2(uri.c_str(), &p->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX,
                            nullptr) != SQLITE_OK) {
            if (immutable) return db_error(p->db, "cannot open " + db_file.string());
            continue;
        }
        sqlite3_busy_timeout(p->db, 5000);
        sqlite_statement version(p->db, "PRAGMA user_version");
        auto row =
            version.valid() ? version.step() : core::result<bool>(db_error(p->db, "read user_version"));
        if (!row) {
            if (immutable) return core::error{row.err().code, db_file.string() + ": " + row.err().message};
            continue;
        }
        const std::int64_t found = *row ? version.integer(0) : 0;
        version = sqlite_statement{};
        if (found != schema_version)
            return core::error{core::errc::database_error,
                               db_file.string() + ": schema " + std::to_string(found) +
                                   ", this newswatch reads " + std::to_string(schema_version) +
                                   " (newswatchd migrates it when it starts)"};
        if (auto r = p->prepare_all(); !r) return r.err();
        return state_store(std::move(p));
    }
    return core::error{core::errc::database_error, "cannot open " + db_file.string()};
}

core::result<void> state_store::impl::prepare_all() {
    auto* p = this;
    const std::string select_feed = "SELECT " + feed_columns() + " FROM feeds WHERE url=?1";
    const std::string select_all = "SELECT " + feed_columns() + " FROM feeds ORDER BY url";
    const std::string upsert_feed = upsert_feed_sql();
    struct {
        sqlite_statement& s;
        const char* sql;
    } statements[] = {
        {p->load_feed, select_feed.c_str()},
        {p->all_feeds, select_all.c_str()},
        {p->save_feed, upsert_feed.c_str()},
        {p->seen_lookup, "SELECT 1 FROM seen_items WHERE feed_key=?1 AND item_key=?2"},
        {p->seen_upsert,
         "INSERT INTO seen_items (feed_key, item_key, first_seen_at, last_present_at) VALUES (?1,?2,?3,?3) "
         "ON CONFLICT(feed_key, item_key) DO UPDATE SET last_present_at=excluded.last_present_at"},
        {p->outbox_insert,
         "INSERT OR IGNORE INTO outbox (alert_id, sink, payload, created_at, next_attempt_at, age_from, "
         "event, watch, group_key, urgent, storm_id) "
         "VALUES (?1,?2,?3,?4,?4,?4,?5,?6,?7,?8,"
         // An alert folded into a storm whose summary went out already (its document was
         // written after the window's end) is delivered on its own rather than never.
         "CASE WHEN EXISTS (SELECT 1 FROM storms WHERE storm_id=?9 AND emitted_at IS NOT NULL) THEN NULL "
         "ELSE ?9 END)"},
        {p->storm_insert,
         "INSERT OR IGNORE INTO storms (storm_id, watch, feed_url, started_at, ends_at) VALUES "
         "(?1,?2,?3,?4,?5)"},
        {p->outbox_pending,
         "SELECT " OUTBOX_ROW_COLUMNS " FROM outbox "
         "WHERE delivered_at IS NULL AND dead_at IS NULL AND storm_id IS NULL AND next_attempt_at<=?1 "
         "ORDER BY row_id LIMIT ?2"},
        {p->sink_pending,
         "SELECT " OUTBOX_ROW_COLUMNS
         " FROM outbox WHERE sink=?1 AND delivered_at IS NULL AND dead_at IS NULL "
         "AND storm_id IS NULL AND row_id>?4 AND next_attempt_at<=?2 ORDER BY row_id LIMIT ?3"},
        {p->sink_head, "SELECT " OUTBOX_ROW_COLUMNS
                       " FROM outbox WHERE sink=?1 AND delivered_at IS NULL AND dead_at IS NULL "
                       "AND storm_id IS NULL ORDER BY row_id LIMIT 1"},
        {p->pending_sinks, "SELECT DISTINCT sink FROM outbox WHERE delivered_at IS NULL AND dead_at IS NULL"},
        {p->outbox_delivered,
         "UPDATE outbox SET delivered_at=?2, last_attempt_at=?2, attempts=attempts+1, last_error=?3 WHERE "
         "row_id=?1"},
        {p->outbox_failed,
         "UPDATE outbox SET attempts=attempts+1, last_error=?2, next_attempt_at=?3, last_attempt_at=?4 "
         "WHERE row_id=?1"},
        {p->outbox_dead,
         "UPDATE outbox SET attempts=attempts+1, last_error=?2, dead_at=?3, last_attempt_at=?3 WHERE "
         "row_id=?1"},
        {p->outbox_attempt,
         "INSERT INTO delivery_attempts (row_id, at, outcome, detail) VALUES (?1,?2,?3,?4)"},
        {p->outbox_count,
         "SELECT COALESCE(SUM(dead_at IS NULL), 0), COALESCE(SUM(dead_at IS NULL AND attempts>0), 0), "
         "COALESCE(SUM(dead_at IS NOT NULL), 0) FROM outbox WHERE delivered_at IS NULL"},
        // prune_seen: the candidates (a scan: no index, see schema 9), the feeds' latest
        // documents, and the delete of one row.
        {p->prune_seen,
         "SELECT feed_key, item_key, last_present_at FROM seen_items WHERE last_present_at<?1"},
        {p->seen_feeds, "SELECT url, items_seen_at FROM feeds WHERE items_seen_at IS NOT NULL"},
        {p->seen_delete, "DELETE FROM seen_items WHERE feed_key=?1 AND item_key=?2"},
        {p->prune_delivered,
         "DELETE FROM outbox WHERE (delivered_at IS NOT NULL AND delivered_at<?1) OR (dead_at IS NOT NULL "
         "AND "
         "dead_at<?1)"},
        {p->prune_attempts, "DELETE FROM delivery_attempts WHERE row_id NOT IN (SELECT row_id FROM outbox)"},
        {p->reset_feed,
         "UPDATE feeds SET retired=0, consecutive_failures=0, failing_since=NULL, next_poll_at=NULL, "
         "health_reported=0, reset_count=reset_count+1 WHERE url=?1"},
        {p->feed_resets, "SELECT url, reset_count FROM feeds WHERE reset_count>0"},
        {p->story_insert,
         "INSERT OR IGNORE INTO dedup_stories (alert_id, watch, stance, link, title, signature, "
         "remembered_at) "
         "VALUES (?1,?2,?3,?4,?5,?6,?7)"},
        {p->story_select,
         "SELECT alert_id, watch, stance, link, title, signature, remembered_at FROM dedup_stories "
         "WHERE remembered_at>=?1 ORDER BY remembered_at, rowid"},
        {p->duplicate_insert,
         "INSERT OR IGNORE INTO alert_duplicates (original_alert_id, alert_id, watch, feed_url, item_id, "
         "item_link, "
         "item_title, stance, rule, similarity, seen_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)"},
        {p->duplicate_select,
         "SELECT original_alert_id, alert_id, watch, feed_url, item_id, item_link, item_title, stance, rule, "
         "similarity, seen_at FROM alert_duplicates WHERE original_alert_id=?1 ORDER BY seen_at, rowid"},
        {p->story_prune, "DELETE FROM dedup_stories WHERE remembered_at<?1"},
        {p->duplicate_prune, "DELETE FROM alert_duplicates WHERE seen_at<?1"},
    };
    for (auto& st : statements)
        if (auto r = p->prepare(st.s, st.sql); !r) return r.err();
    return {};
}

state_store::state_store(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
state_store::state_store(state_store&&) noexcept = default;
state_store& state_store::operator=(state_store&&) noexcept = default;
state_store::~state_store() = default;

core::result<std::optional<feed_state>> state_store::load_feed(std::string_view url) {
    auto& s = impl_->load_feed.reset().bind(1, url);
    auto row = s.step();
    if (!row) return row.err();
    std::optional<feed_state> out;
    if (*row) out = read_feed_row(s);
    s.reset();
    return out;
}

core::result<std::vector<feed_state>> state_store::all_feeds() {
    auto& s = impl_->all_feeds.reset();
    std::vector<feed_state> out;
    for (;;) {
        auto row = s.step();
        if (!row) return row.err();
        if (!*row) break;
        out.push_back(read_feed_row(s));
    }
    s.reset();
    return out;
}

core::result<void> state_store::save_feed(const feed_state& f) {
    auto& s = impl_->save_feed.reset();
    s.bind(1, std::string_view(f.url))
        .bind_opt(2, f.effective_url)
        .bind_opt(3, f.title)
        .bind(4, std::string_view(f.etag))
        .bind(5, std::string_view(f.last_modified));
    s.bind_opt(6, to_db(f.first_fetched_at))
        .bind_opt(7, to_db(f.last_fetch_at))
        .bind_opt(8, to_db(f.last_success_at));
    s.bind_opt(9, to_db(f.last_new_item_at))
        .bind_opt(10, to_db(f.items_seen_at))
        .bind_opt(11, to_db(f.failing_since));
    s.bind_opt(12, to_db(f.next_poll_at))
        .bind(13, std::int64_t{f.last_status})
        .bind(14, std::string_view(f.last_outcome));
    s.bind(15, std::string_view(f.last_error))
        .bind(16, std::int64_t{f.consecutive_failures})
        .bind(17, std::int64_t{f.retired});
    s.bind(18, std::int64_t{f.health_reported}).bind(19, std::int64_t{f.publish_interval_estimate});
    s.bind(20, std::int64_t{f.reset_count});
    auto r = s.run();
    s.reset();
    return r;
}

core::result<bool> state_store::reset_feed(std::string_view url) {
    auto& s = impl_->reset_feed.reset().bind(1, url);
    if (auto r = s.run(); !r) return r.err();
    s.reset();
    return sqlite3_changes(impl_->db) > 0;
}

core::result<std::vector<bool>> state_store::find_new_items(std::string_view feed_url,
                                                            const std::vector<std::string>& ids) {
    std::vector<bool> out;
    out.reserve(ids.size());
    auto& s = impl_->seen_lookup;
    // One read transaction: each lookup on its own would take and drop the WAL read lock.
    const std::int64_t feed = seen_key(feed_url);
    auto r = impl_->transaction("BEGIN", [&]() -> core::result<void> {
        for (const auto& id : ids) {
            s.reset().bind(1, feed).bind(2, seen_key(id));
            auto row = s.step();
            if (!row) return row.err();
            out.push_back(!*row);
        }
        s.reset();
        return {};
    });
    if (!r) return r.err();
    return out;
}

core::result<std::vector<std::pair<std::string, std::int64_t>>> state_store::feed_resets() {
    auto& s = impl_->feed_resets.reset();
    std::vector<std::pair<std::string, std::int64_t>> out;
    for (;;) {
        auto row = s.step();
        if (!row) return row.err();
        if (!*row) break;
        out.emplace_back(s.text(0), s.integer(1));
    }
    s.reset();
    return out;
}

core::result<void> state_store::commit_fetch(const fetch_commit& commit, core::timestamp now) {
    write_batch batch;
    batch.documents.push_back(commit);
    return apply(batch, now);
}

core::result<void> state_store::apply(const write_batch& batch, core::timestamp now) {
    return impl_->transaction("BEGIN IMMEDIATE", [&]() -> core::result<void> {
        auto& upsert = impl_->seen_upsert;
        auto& insert = impl_->outbox_insert;
        for (const fetch_commit& commit : batch.documents) {
            const core::timestamp at = commit.read_at == core::timestamp{} ? now : commit.read_at;
            const std::int64_t now_db = at.time_since_epoch().count();
            const std::int64_t feed = seen_key(commit.feed.url);
            for (const auto& id : commit.present_item_ids) {
                upsert.reset().bind(1, feed).bind(2, seen_key(id)).bind(3, now_db);
                if (auto r = upsert.run(); !r) return r;
            }
            for (const auto& a : commit.alerts) {
                insert.reset().bind(1, std::string_view(a.alert_id)).bind(2, std::string_view(a.sink));
                insert.bind(3, std::string_view(a.payload))
                    .bind(4, now_db)
                    .bind(5, std::string_view(a.event));
                insert.bind(6, std::string_view(a.watch)).bind(7, std::string_view(a.group_key));
                insert.bind(8, std::int64_t{a.urgent ? 1 : 0}).bind_opt(9, a.storm_id);
                if (auto r = insert.run(); !r) return r;
            }
            if (auto r = impl_->write_dedup(commit, now_db); !r) return r;
            for (const auto& storm : commit.storms) {
                auto& q = impl_->storm_insert.reset();
                q.bind(1, std::string_view(storm.storm_id))
                    .bind(2, std::string_view(storm.watch))
                    .bind(3, std::string_view(storm.feed_url));
                q.bind(4, db_time(storm.started_at)).bind(5, db_time(storm.ends_at));
                if (auto r = q.run(); !r) return r;
                q.reset();
            }
            if (auto r = save_feed(commit.feed); !r) return r;
        }
        for (const feed_state& feed : batch.feeds)
            if (auto r = save_feed(feed); !r) return r;
        upsert.reset();
        insert.reset();
        return {};
    });
}

namespace {

// Reads the OUTBOX_ROW_COLUMNS of the current row.
outbox_row read_outbox_row(const sqlite_statement& s) {
    outbox_row r;
    r.row_id = s.integer(0);
    r.entry.alert_id = s.text(1);
    r.entry.sink = s.text(2);
    r.entry.payload = s.text(3);
    r.attempts = static_cast<int>(s.integer(4));
    r.created_at = core::timestamp{core::seconds{s.integer(5)}};
    r.entry.event = s.text(6);
    r.entry.watch = s.text(7);
    r.age_from = core::timestamp{core::seconds{s.integer(8)}};
    r.next_attempt_at = core::timestamp{core::seconds{s.integer(9)}};
    r.entry.group_key = s.text(10);
    r.entry.urgent = s.integer(11) != 0;
    return r;
}

core::result<std::vector<outbox_row>> read_outbox_rows(sqlite_statement& s) {
    return s.collect(read_outbox_row);
}

}  // namespace

core::result<std::vector<outbox_row>> state_store::pending_outbox(core::timestamp now, int limit) {
    return read_outbox_rows(impl_->outbox_pending.reset().bind(1, db_time(now)).bind(2, std::int64_t{limit}));
}

core::result<std::vector<outbox_row>> state_store::pending_for_sink(std::string_view sink,
                                                                    core::timestamp due, int limit,
                                                                    std::int64_t after_row_id) {
    auto& s = impl_->sink_pending.reset().bind(1, sink).bind(2, db_time(due)).bind(3, std::int64_t{limit});
    return read_outbox_rows(s.bind(4, after_row_id));
}

core::result<std::optional<outbox_row>> state_store::head_of_sink(std::string_view sink) {
    auto rows = read_outbox_rows(impl_->sink_head.reset().bind(1, sink));
    if (!rows) return rows.err();
    if (rows->empty()) return std::optional<outbox_row>{};
    return std::optional<outbox_row>{std::move(rows->front())};
}

core::result<std::vector<std::string>> state_store::sinks_with_pending() {
    return impl_->pending_sinks.reset().collect([](const sqlite_statement& row) { return row.text(0); });
}

core::result<void> state_store::hold_until(
    const std::vector<std::pair<std::int64_t, core::timestamp>>& rows) {
    if (rows.empty()) return {};
    return impl_->transaction("BEGIN IMMEDIATE", [&]() -> core::result<void> {
        sqlite_statement hold(impl_->db,
                              "UPDATE outbox SET next_attempt_at=?2 WHERE row_id=?1 AND delivered_at IS NULL "
                              "AND dead_at IS NULL");
        if (!hold.valid()) return db_error(impl_->db, "prepare hold_until");
        for (const auto& [row_id, until] : rows)
            if (auto r = hold.reset().bind(1, row_id).bind(2, db_time(until)).run(); !r) return r;
        return {};
    });
}

core::result<void> state_store::mark_delivered(std::int64_t row_id, core::timestamp now) {
    return mark_outcomes({{row_id, outcome_kind::delivered, now, {}, {}}});
}

core::result<void> state_store::mark_failed(std::int64_t row_id, std::string_view error,
                                            core::timestamp next_attempt) {
    return mark_outcomes({{row_id, outcome_kind::retry, core::now_utc(), next_attempt, std::string(error)}});
}

core::result<void> state_store::mark_outcomes(const std::vector<delivery_outcome>& outcomes) {
    return impl_->transaction("BEGIN IMMEDIATE", [&]() -> core::result<void> {
        for (const auto& o : outcomes) {
            const std::string_view detail = o.detail;
            sqlite_statement* s = nullptr;
            std::string_view kind;
            switch (o.kind) {
                case outcome_kind::delivered:
                    s = &impl_->outbox_delivered.reset()
                             .bind(1, o.row_id)
                             .bind(2, db_time(o.at))
                             .bind(3, detail);
                    kind = "delivered";
                    break;
                case outcome_kind::retry:
                    s = &impl_->outbox_failed.reset()
                             .bind(1, o.row_id)
                             .bind(2, detail)
                             .bind(3, db_time(o.next_attempt));
                    s->bind(4, db_time(o.at));
                    kind = "retry";
                    break;
                case outcome_kind::dead:
                    s = &impl_->outbox_dead.reset().bind(1, o.row_id).bind(2, detail).bind(3, db_time(o.at));
                    kind = "dead";
                    break;
            }
            if (auto r = s->run(); !r) return r;
            s->reset();
            auto& history = impl_->outbox_attempt.reset().bind(1, o.row_id).bind(2, db_time(o.at));
            if (auto r = history.bind(3, kind).bind(4, detail).run(); !r) return r;
            history.reset();
        }
        return {};
    });
}

core::result<std::int64_t> state_store::count_pending() {
    auto counts = count_outbox();
    if (!counts) return counts.err();
    return counts->pending;
}

core::result<outbox_counts> state_store::count_outbox() {
    auto& s = impl_->outbox_count.reset();
    auto row = s.step();
    if (!row) return row.err();
    const outbox_counts counts{s.integer(0), s.integer(1), s.integer(2)};
    s.reset();
    return counts;
}

core::result<std::int64_t> state_store::prune_seen(core::timestamp cutoff) {
    std::int64_t pruned = 0;
    auto r = impl_->transaction("BEGIN IMMEDIATE", [&]() -> core::result<void> {
        // An item of the feed's latest document (last_present_at == the feed's items_seen_at)
        // is still in the feed, however long the feed has answered 304 since. A row of no
        // known feed (or of one never read) goes with the retention alone.
        std::unordered_map<std::int64_t, std::int64_t> latest;
        auto& feeds = impl_->seen_feeds.reset();
        for (;;) {
            auto row = feeds.step();
            if (!row) return row.err();
            if (!*row) break;
            auto [at, added] = latest.try_emplace(seen_key(feeds.text(0)), feeds.integer(1));
            if (!added && feeds.integer(1) > at->second) at->second = feeds.integer(1);
        }
        feeds.reset();
        std::vector<std::pair<std::int64_t, std::int64_t>> doomed;
        auto& candidates = impl_->prune_seen.reset().bind(1, db_time(cutoff));
        for (;;) {
            auto row = candidates.step();
            if (!row) return row.err();
            if (!*row) break;
            const auto feed = latest.find(candidates.integer(0));
            if (feed == latest.end() || candidates.integer(2) < feed->second)
                doomed.emplace_back(candidates.integer(0), candidates.integer(1));
        }
        candidates.reset();
        // Deleted once the scan is done: SQLite leaves a scan undefined across writes to its table.
        for (const auto& [feed, item] : doomed)
            if (auto run = impl_->seen_delete.reset().bind(1, feed).bind(2, item).run(); !run) return run;
        impl_->seen_delete.reset();
        pruned = static_cast<std::int64_t>(doomed.size());
        return {};
    });
    if (!r) return r.err();
    return pruned;
}

core::result<std::vector<remembered_story>> state_store::remembered_stories(core::timestamp since) {
    auto& s = impl_->story_select.reset().bind(1, std::int64_t{since.time_since_epoch().count()});
    std::vector<remembered_story> out;
    for (;;) {
        auto row = s.step();
        if (!row) return row.err();
        if (!*row) break;
        out.push_back({s.text(0), s.text(1), s.text(2), s.text(3), s.text(4), s.blob(5),
                       core::timestamp{core::seconds{s.integer(6)}}});
    }
    s.reset();
    return out;
}

core::result<std::vector<duplicate_source>> state_store::duplicates_of(std::string_view alert_id) {
    auto& s = impl_->duplicate_select.reset().bind(1, alert_id);
    std::vector<duplicate_source> out;
    for (;;) {
        auto row = s.step();
        if (!row) return row.err();
        if (!*row) break;
        out.push_back({s.text(0), s.text(1), s.text(2), s.text(3), s.text(4), s.optional_text(5),
                       s.optional_text(6), s.text(7), s.text(8), s.real(9),
                       core::timestamp{core::seconds{s.integer(10)}}});
    }
    s.reset();
    return out;
}

core::result<std::int64_t> state_store::prune_dedup(core::timestamp story_cutoff,
                                                    core::timestamp source_cutoff) {
    std::int64_t removed = 0;
    auto r = impl_->transaction("BEGIN IMMEDIATE", [&]() -> core::result<void> {
        for (auto [statement, cutoff] : {std::pair{&impl_->story_prune, story_cutoff},
                                         std::pair{&impl_->duplicate_prune, source_cutoff}}) {
            auto& s = statement->reset().bind(1, std::int64_t{cutoff.time_since_epoch().count()});
            if (auto run = s.run(); !run) return run;
            s.reset();
            removed += sqlite3_changes(impl_->db);
        }
        return {};
    });
    if (!r) return r.err();
    return removed;
}

core::result<std::int64_t> state_store::prune_delivered(core::timestamp cutoff) {
    std::int64_t pruned = 0;
    auto r = impl_->transaction("BEGIN IMMEDIATE", [&]() -> core::result<void> {
        auto& s = impl_->prune_delivered.reset().bind(1, db_time(cutoff));
        if (auto r = s.run(); !r) return r;
        s.reset();
        pruned = sqlite3_changes(impl_->db);
        // Storms summarised before the cutoff: their summaries and folded rows went with it.
        sqlite_statement storms(impl_->db,
                                "DELETE FROM storms WHERE emitted_at IS NOT NULL AND emitted_at<?1");
        if (!storms.valid()) return db_error(impl_->db, "prepare storm prune");
        if (auto r = storms.bind(1, db_time(cutoff)).run(); !r) return r;
        if (pruned == 0) return {};
        auto& history = impl_->prune_attempts.reset();
        if (auto r = history.run(); !r) return r;
        history.reset();
        return {};
    });
    if (!r) return r.err();
    return pruned;
}

namespace {

storm_record read_storm_row(const sqlite_statement& s) {
    return {s.text(0), s.text(1), s.text(2), core::timestamp{core::seconds{s.integer(3)}},
            core::timestamp{core::seconds{s.integer(4)}}};
}

constexpr const char* storm_columns = "storm_id, watch, feed_url, started_at, ends_at";

// A folded row of a storm: its sink and what the summary lists of it.
struct folded_row {
    std::int64_t row_id = 0;
    std::string sink;
    folded_alert_ref alert;
};

}  // namespace

core::result<std::vector<storm_record>> state_store::open_storms(core::timestamp now) {
    sqlite_statement s(impl_->db, (std::string("SELECT ") + storm_columns +
                                   " FROM storms WHERE emitted_at IS NULL AND ends_at>?1 ORDER BY started_at")
                                      .c_str());
    if (!s.valid()) return db_error(impl_->db, "prepare open storms");
    return s.bind(1, db_time(now)).collect(read_storm_row);
}

core::result<std::vector<emitted_storm>> state_store::emit_storms(core::timestamp now, bool all,
                                                                  const storm_payload_builder& build) {
    sqlite3* db = impl_->db;
    sqlite_statement due(db,
                         (std::string("SELECT ") + storm_columns +
                          " FROM storms WHERE emitted_at IS NULL AND (?2 OR ends_at<=?1) ORDER BY started_at")
                             .c_str());
    sqlite_statement folded(
        db,
        "SELECT row_id, sink, alert_id, CASE WHEN json_valid(payload) THEN "
        "COALESCE(json_extract(payload, '$.item.title'), '') ELSE '' END, CASE WHEN json_valid(payload) THEN "
        "COALESCE(json_extract(payload, '$.item.link'), '') ELSE '' END FROM outbox WHERE storm_id=?1 AND "
        "delivered_at IS NULL AND dead_at IS NULL ORDER BY sink, row_id");
    sqlite_statement emitted(db, "UPDATE storms SET emitted_at=?2 WHERE storm_id=?1");
    if (!due.valid() || !folded.valid() || !emitted.valid()) return db_error(db, "prepare storm summaries");
    std::vector<emitted_storm> out;
    const std::int64_t at = db_time(now);
    auto r = impl_->transaction("BEGIN IMMEDIATE", [&]() -> core::result<void> {
        auto storms = due.bind(1, at).bind(2, std::int64_t{all ? 1 : 0}).collect(read_storm_row);
        if (!storms) return storms.err();
        for (auto& storm : *storms) {
            auto rows = folded.reset()
                            .bind(1, std::string_view(storm.storm_id))
                            .collect([](const sqlite_statement& s) {
                                return folded_row{s.integer(0), s.text(1), {s.text(2), s.text(3), s.text(4)}};
                            });
            if (!rows) return rows.err();
            emitted_storm summary{std::move(storm), 0, rows->size()};
            const std::string detail = "folded into storm " + summary.storm.storm_id;
            for (std::size_t begin = 0; begin < rows->size();) {
                std::size_t end = begin;
                std::vector<folded_alert_ref> alerts;
                while (end < rows->size() && (*rows)[end].sink == (*rows)[begin].sink)
                    alerts.push_back((*rows)[end++].alert);
                auto& insert = impl_->outbox_insert.reset();
                insert.bind(1, std::string_view(summary.storm.storm_id))
                    .bind(2, std::string_view((*rows)[begin].sink));
                insert.bind(3, std::string_view(build(summary.storm, alerts)))
                    .bind(4, at)
                    .bind(5, std::string_view("storm"));
                insert.bind(6, std::string_view(summary.storm.watch))
                    .bind(7, std::string_view(""));  // not NULL
                insert.bind(8, std::int64_t{0}).bind_null(9);
                if (auto run = insert.run(); !run) return run;
                insert.reset();
                for (std::size_t i = begin; i < end; ++i) {
                    auto& mark = impl_->outbox_delivered.reset().bind(1, (*rows)[i].row_id).bind(2, at);
                    if (auto run = mark.bind(3, std::string_view(detail)).run(); !run) return run;
                    mark.reset();
                    auto& history = impl_->outbox_attempt.reset().bind(1, (*rows)[i].row_id).bind(2, at);
                    if (auto run = history.bind(3, std::string_view("folded"))
                                       .bind(4, std::string_view(detail))
                                       .run();
                        !run)
                        return run;
                    history.reset();
                }
                ++summary.sinks;
                begin = end;
            }
            if (auto run =
                    emitted.reset().bind(1, std::string_view(summary.storm.storm_id)).bind(2, at).run();
                !run)
                return run;
            out.push_back(std::move(summary));
        }
        return {};
    });
    if (!r) return r.err();
    return out;
}

sqlite3* state_store::connection() noexcept {
    return impl_->db;
}

}  // namespace newswatch::store
