#include "newswatch/store/article_cache.hpp"

#include "sqlite_handle.hpp"

namespace newswatch::store {
namespace {

std::int64_t db_time(core::timestamp t) {
    return t.time_since_epoch().count();
}

core::result<sqlite_statement> prepare(sqlite3* db, const char* sql) {
    sqlite_statement s(db, sql);
    if (!s.valid()) return db_error(db, std::string("prepare ") + sql);
    return s;
}

}  // namespace

core::result<std::optional<cached_article>> article_cache::find(std::string_view url,
                                                                core::timestamp not_before) {
    // The row of `url` names the canonical row, which holds the text (itself, for a
    // canonical URL).
    auto q = prepare(store_.connection(),
                     "SELECT c.url, c.text, c.fetched_at FROM article_cache a JOIN article_cache c "
                     "ON c.url=a.canonical_url WHERE a.url=?1 AND c.fetched_at>=?2 AND c.text IS NOT NULL");
    if (!q) return q.err();
    q->bind(1, url).bind(2, db_time(not_before));
    auto row = q->step();
    if (!row) return row.err();
    if (!*row) return std::optional<cached_article>{};
    return std::optional<cached_article>{
        cached_article{q->text(0), q->text(1), core::timestamp{core::seconds{q->integer(2)}}}};
}

core::result<void> article_cache::put(std::string_view link, std::string_view canonical_url,
                                      std::string_view text, core::timestamp fetched_at) {
    auto q =
        prepare(store_.connection(),
                "INSERT INTO article_cache(url, canonical_url, text, fetched_at) VALUES(?1, ?2, ?3, ?4) "
                "ON CONFLICT(url) DO UPDATE SET canonical_url=excluded.canonical_url, text=excluded.text, "
                "fetched_at=excluded.fetched_at");
    if (!q) return q.err();
    q->bind(1, canonical_url).bind(2, canonical_url).bind(3, text).bind(4, db_time(fetched_at));
    if (auto r = q->run(); !r) return r;
    if (link == canonical_url) return {};
    q->reset().bind(1, link).bind(2, canonical_url).bind_null(3).bind(4, db_time(fetched_at));
    return q->run();
}

core::result<std::int64_t> article_cache::prune(core::timestamp cutoff) {
    auto q = prepare(store_.connection(), "DELETE FROM article_cache WHERE fetched_at<?1");
    if (!q) return q.err();
    q->bind(1, db_time(cutoff));
    if (auto r = q->run(); !r) return r.err();
    return std::int64_t{sqlite3_changes(store_.connection())};
}

core::result<std::int64_t> article_cache::count() {
    // A canonical row names itself; its url and canonical_url come before the text in the
    // record, so counting them never reads a page's text.
    auto q = prepare(store_.connection(), "SELECT count(*) FROM article_cache WHERE url=canonical_url");
    if (!q) return q.err();
    auto row = q->step();
    if (!row) return row.err();
    return *row ? q->integer(0) : std::int64_t{0};
}

}  // namespace newswatch::store
