#pragma once
// Thin RAII over sqlite3 and sqlite3_stmt; errors become core::error values.
#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "newswatch/core/errc.hpp"
#include "newswatch/core/result.hpp"

namespace newswatch::store {

inline core::error db_error(sqlite3* db, std::string_view what) {
    return {core::errc::database_error, std::string(what) + ": " + (db ? sqlite3_errmsg(db) : "no database")};
}

class sqlite_statement {
public:
    sqlite_statement() = default;
    sqlite_statement(sqlite3* db, const char* sql) : db_(db) {
        if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr) != SQLITE_OK)
            stmt_ = nullptr;
    }
    ~sqlite_statement() { sqlite3_finalize(stmt_); }
    sqlite_statement(sqlite_statement&& o) noexcept : db_(o.db_), stmt_(o.stmt_) { o.stmt_ = nullptr; }
    sqlite_statement& operator=(sqlite_statement&& o) noexcept {
        std::swap(db_, o.db_);
        std::swap(stmt_, o.stmt_);
        return *this;
    }
    bool valid() const noexcept { return stmt_ != nullptr; }

    // Resets for reuse; returns *this for chaining binds.
    sqlite_statement& reset() {
        sqlite3_reset(stmt_);
        sqlite3_clear_bindings(stmt_);
        return *this;
    }
    sqlite_statement& bind(int i, std::string_view text) {
        sqlite3_bind_text(stmt_, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
        return *this;
    }
    sqlite_statement& bind_blob(int i, std::string_view bytes) {
        sqlite3_bind_blob(stmt_, i, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
        return *this;
    }
    sqlite_statement& bind(int i, double v) {
        sqlite3_bind_double(stmt_, i, v);
        return *this;
    }
    sqlite_statement& bind(int i, std::int64_t v) {
        sqlite3_bind_int64(stmt_, i, v);
        return *this;
    }
    sqlite_statement& bind_null(int i) {
        sqlite3_bind_null(stmt_, i);
        return *this;
    }
    sqlite_statement& bind_opt(int i, const std::optional<std::string>& v) {
        return v ? bind(i, std::string_view(*v)) : bind_null(i);
    }
    sqlite_statement& bind_opt(int i, const std::optional<std::int64_t>& v) {
        return v ? bind(i, *v) : bind_null(i);
    }

    // SQLITE_ROW -> true, SQLITE_DONE -> false, anything else -> error.
    core::result<bool> step() {
        const int rc = sqlite3_step(stmt_);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        return db_error(db_, "sqlite step");
    }
    core::result<void> run() {
        auto r = step();
        if (!r) return r.err();
        return {};
    }
    // Steps to the end, `read(*this)` for each row, then resets the statement.
    template <class Read>
    auto collect(Read read) -> core::result<std::vector<decltype(read(*this))>> {
        std::vector<decltype(read(*this))> out;
        for (;;) {
            auto row = step();
            if (!row) return row.err();
            if (!*row) break;
            out.push_back(read(*this));
        }
        reset();
        return out;
    }

    bool is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
    std::int64_t integer(int col) const { return sqlite3_column_int64(stmt_, col); }
    std::string text(int col) const {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
        return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col))) : std::string();
    }
    double real(int col) const { return sqlite3_column_double(stmt_, col); }
    std::string blob(int col) const {
        const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, col));
        return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col))) : std::string();
    }
    std::optional<std::string> optional_text(int col) const {
        if (is_null(col)) return std::nullopt;
        return text(col);
    }
    std::optional<std::int64_t> optional_integer(int col) const {
        if (is_null(col)) return std::nullopt;
        return integer(col);
    }

private:
    sqlite3* db_ = nullptr;
    sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace newswatch::store
