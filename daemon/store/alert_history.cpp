#include "newswatch/store/alert_history.hpp"

#include "sqlite_handle.hpp"

namespace newswatch::store {
namespace {

constexpr const char* delivery_columns =
    "row_id, alert_id, sink, event, watch, "
    "CASE WHEN delivered_at IS NOT NULL THEN 'delivered' WHEN dead_at IS NOT NULL THEN 'dead' ELSE 'pending' "
    "END, "
    "created_at, COALESCE(delivered_at, dead_at), next_attempt_at, attempts, last_error, "
    "CASE WHEN json_valid(payload) THEN COALESCE(json_extract(payload, '$.item.title'), '') ELSE '' END";

std::int64_t db_time(core::timestamp t) {
    return t.time_since_epoch().count();
}
core::timestamp from_db(std::int64_t v) {
    return core::timestamp{core::seconds{v}};
}

alert_delivery read_delivery(const sqlite_statement& s) {
    alert_delivery d;
    d.row_id = s.integer(0);
    d.alert_id = s.text(1);
    d.sink = s.text(2);
    d.event = s.text(3);
    d.watch = s.text(4);
    d.state = s.text(5);
    d.created_at = from_db(s.integer(6));
    if (auto v = s.optional_integer(7)) d.finished_at = from_db(*v);
    if (d.state == "pending") d.next_attempt_at = from_db(s.integer(8));
    d.attempts = static_cast<int>(s.integer(9));
    d.last_error = s.text(10);
    d.title = s.text(11);
    return d;
}

core::result<sqlite_statement> prepare(sqlite3* db, const std::string& sql) {
    sqlite_statement s(db, sql.c_str());
    if (!s.valid()) return db_error(db, "prepare " + sql);
    return s;
}

core::result<std::int64_t> run_changes(sqlite3* db, sqlite_statement& s) {
    if (auto r = s.run(); !r) return r.err();
    return std::int64_t{sqlite3_changes(db)};
}

// A delivery made due now, as if it were new: attempts and max_age start again.
constexpr const char* revive_set =
    "delivered_at=NULL, dead_at=NULL, attempts=0, next_attempt_at=?1, age_from=?1, last_error=''";

}  // namespace

core::result<std::vector<alert_delivery>> alert_history::list(const alert_filter& f) {
    std::string sql = std::string("SELECT ") + delivery_columns + " FROM outbox WHERE created_at>=?1";
    if (!f.watch.empty()) sql += " AND watch=?2";
    if (!f.sink.empty()) sql += " AND sink=?3";
    if (f.state == "pending") sql += " AND delivered_at IS NULL AND dead_at IS NULL";
    if (f.state == "delivered") sql += " AND delivered_at IS NOT NULL";
    if (f.state == "dead") sql += " AND dead_at IS NOT NULL";
    sql += " ORDER BY created_at DESC, row_id DESC LIMIT ?4";
    auto s = prepare(store_.connection(), sql);
    if (!s) return s.err();
    s->bind(1, f.since ? db_time(*f.since) : std::int64_t{0});
    if (!f.watch.empty()) s->bind(2, std::string_view(f.watch));
    if (!f.sink.empty()) s->bind(3, std::string_view(f.sink));
    s->bind(4, std::int64_t{f.limit});
    return s->collect(read_delivery);
}

core::result<std::vector<alert_delivery>> alert_history::deliveries_of(std::string_view alert_id) {
    auto s = prepare(store_.connection(), std::string("SELECT ") + delivery_columns +
                                              ", payload FROM outbox WHERE alert_id=?1 ORDER BY sink");
    if (!s) return s.err();
    s->bind(1, alert_id);
    return s->collect([](const sqlite_statement& row) {
        alert_delivery d = read_delivery(row);
        d.payload = row.text(12);
        return d;
    });
}

core::result<std::vector<delivery_attempt>> alert_history::attempts_of(std::int64_t row_id) {
    auto s = prepare(store_.connection(),
                     "SELECT at, outcome, detail FROM delivery_attempts WHERE row_id=?1 ORDER BY rowid");
    if (!s) return s.err();
    s->bind(1, row_id);
    return s->collect([](const sqlite_statement& row) {
        return delivery_attempt{from_db(row.integer(0)), row.text(1), row.text(2)};
    });
}

core::result<std::int64_t> alert_history::retry(std::string_view alert_id, std::string_view sink,
                                                core::timestamp now) {
    std::string sql =
        std::string("UPDATE outbox SET ") + revive_set + " WHERE alert_id=?2 AND delivered_at IS NULL";
    if (!sink.empty()) sql += " AND sink=?3";
    auto s = prepare(store_.connection(), sql);
    if (!s) return s.err();
    s->bind(1, db_time(now)).bind(2, alert_id);
    if (!sink.empty()) s->bind(3, sink);
    return run_changes(store_.connection(), *s);
}

core::result<std::int64_t> alert_history::retry_dead(std::string_view sink, core::timestamp now) {
    std::string sql = std::string("UPDATE outbox SET ") + revive_set + " WHERE dead_at IS NOT NULL";
    if (!sink.empty()) sql += " AND sink=?2";
    auto s = prepare(store_.connection(), sql);
    if (!s) return s.err();
    s->bind(1, db_time(now));
    if (!sink.empty()) s->bind(2, sink);
    return run_changes(store_.connection(), *s);
}

core::result<std::int64_t> alert_history::replay(core::timestamp since, std::string_view sink,
                                                 core::timestamp now) {
    sqlite3* db = store_.connection();
    std::int64_t changed = 0;
    auto body = [&]() -> core::result<void> {
        // Deliveries to the sink that exist: due again.
        auto reset = prepare(db, std::string("UPDATE outbox SET ") + revive_set +
                                     " WHERE sink=?2 AND created_at>=?3 AND event='alert'");
        if (!reset) return reset.err();
        reset->bind(1, db_time(now)).bind(2, sink).bind(3, db_time(since));
        auto n = run_changes(db, *reset);
        if (!n) return n.err();
        changed += *n;
        // Alerts the sink never had: a delivery with the payload of another sink's, in
        // detection order (the oldest row id of each alert).
        auto add =
            prepare(db,
                    "INSERT OR IGNORE INTO outbox (alert_id, sink, payload, created_at, next_attempt_at, "
                    "age_from, event, watch) SELECT alert_id, ?2, payload, created_at, ?1, ?1, event, watch "
                    "FROM outbox o WHERE created_at>=?3 AND event='alert' AND row_id=(SELECT MIN(row_id) "
                    "FROM outbox WHERE alert_id=o.alert_id) ORDER BY row_id");
        if (!add) return add.err();
        add->bind(1, db_time(now)).bind(2, sink).bind(3, db_time(since));
        auto m = run_changes(db, *add);
        if (!m) return m.err();
        changed += *m;
        return {};
    };
    sqlite_statement begin(db, "BEGIN IMMEDIATE");
    if (auto r = begin.run(); !r) return r.err();
    if (auto r = body(); !r) {
        sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
        return r.err();
    }
    if (sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
        auto e = db_error(db, "commit");
        sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
        return e;
    }
    return changed;
}

}  // namespace newswatch::store
