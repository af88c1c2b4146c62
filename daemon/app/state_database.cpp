#include "state_database.hpp"

#include <sys/stat.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>
#include <stdexcept>

#include <spdlog/spdlog.h>

#include "newswatch/core/errc.hpp"
#include "newswatch/core/time.hpp"
#include "newswatch/logging/module_logger.hpp"
#include "newswatch/logging/structured_log.hpp"
#include "startup_error.hpp"

namespace newswatch::app {

namespace fs = std::filesystem;

namespace {

constexpr const char* afresh_consequence = "(every alert still in its feeds may be sent again)";

void write_state_id(const fs::path& dir) {
    std::random_device random;
    char id[33];
    std::snprintf(id, sizeof id, "%08x%08x%08x%08x", random(), random(), random(), random());
    const fs::path file = dir / "state.id";
    const fs::path temporary = dir / "state.id.tmp";
    {
        std::ofstream out(temporary, std::ios::trunc);
        out << "# newswatch: state.db in this directory belongs to this installation; if state.db\n"
               "# is missing newswatchd refuses to start until it is restored or --new-state is given.\n"
            << "id " << id << "\ncreated " << core::format_rfc3339(core::now_utc()) << "\n";
        out.flush();
        if (!out) throw std::runtime_error("cannot write " + temporary.string());
    }
    std::error_code ec;
    fs::rename(temporary, file, ec);
    if (ec) throw std::runtime_error("cannot write " + file.string() + ": " + ec.message());
}

// --new-state: the old database (and its WAL) is kept under another name, never deleted.
void move_aside(const fs::path& db) {
    const std::string suffix = ".aside-" + core::format_rfc3339(core::now_utc());
    for (const char* part : {"", "-wal", "-shm"}) {
        const fs::path from = db.string() + part;
        std::error_code ec;
        if (!fs::exists(from, ec)) continue;
        const fs::path to = db.string() + suffix + part;
        fs::rename(from, to, ec);
        if (ec)
            throw std::runtime_error("--new-state: cannot move " + from.string() + " aside: " + ec.message());
        spdlog::warn("--new-state: moved {} to {}", from.string(), to.string());
    }
}

std::string recovery_of(const fs::path& db) {
    return "recover it with `sqlite3 " + db.string() + " .recover | sqlite3 " + db.string() +
           ".recovered` and move that into place, or move it aside and start with --new-state " +
           afresh_consequence;
}

[[noreturn]] void refuse_damaged(const fs::path& db, const core::error& e) {
    if (e.code != core::errc::database_corrupt) throw std::runtime_error(e.message);
    throw refusal_error(db.string() + ": the database is damaged (quick_check: " + e.message + "); " +
                        recovery_of(db));
}

// The full quick_check reads the whole file, seen items and all (0.23 CPU s on a 117 MB
// state, 15 % of a warm --once round): it runs after a stop that was not clean, when the
// last full check is a day old, or when neither is known. Otherwise the tables every start
// reads (and the meta table the decision came from) are checked; SQLite still reports a
// damaged page of the others when a query reads it.
constexpr std::array<std::string_view, 4> small_tables{"meta", "feeds", "storms", "websub_subscriptions"};
constexpr auto full_check_period = std::chrono::hours(24);

std::string full_check_reason(store::state_store& store, const fs::path& db) {
    const auto clean = store.meta("clean_shutdown");
    if (!clean) {
        if (clean.err().code == core::errc::database_corrupt) refuse_damaged(db, clean.err());
        return "the meta table cannot be read: " + clean.err().message;
    }
    if (!*clean) return "no clean stop recorded";
    if (**clean != "1") return "the last run did not stop cleanly";
    const auto last = store.meta("full_check_at");
    if (!last || !*last) return "no full check recorded";
    std::int64_t at = 0;
    const auto& text = **last;
    if (std::from_chars(text.data(), text.data() + text.size(), at).ec != std::errc{})
        return "no full check recorded";
    const auto since = core::now_utc() - core::timestamp{core::seconds{at}};
    if (since >= full_check_period || since < core::seconds{0}) return "the last full check is a day old";
    return {};
}

store::state_store open_checked(const fs::path& db) {
    auto opened = store::state_store::open(db);
    if (!opened) {
        if (opened.err().code == core::errc::database_corrupt)
            throw refusal_error(opened.err().message + "; the database is damaged: " + recovery_of(db));
        throw std::runtime_error(opened.err().message);
    }
    store::state_store& store = *opened;
    std::string reason = full_check_reason(store, db);
    // Cleared for the whole run: a run that ends in a crash leaves it so.
    if (auto cleared = store.set_meta("clean_shutdown", "0"); !cleared && reason.empty())
        reason = "the clean-shutdown marker cannot be cleared: " + cleared.err().message;
    auto logger = logging::module_logger("daemon");
    if (reason.empty()) {
        if (auto checked = store.quick_check_tables({small_tables.begin(), small_tables.end()}); !checked)
            refuse_damaged(db, checked.err());
        logging::log(*logger, spdlog::level::info,
                     "state: checked the small tables (clean stop, full check within a day)",
                     {.event = "state_check", .outcome = "ok", .extra = {{"check", "tables"}}});
        return std::move(*opened);
    }
    if (auto checked = store.quick_check(); !checked) refuse_damaged(db, checked.err());
    logging::log(*logger, spdlog::level::info, "state: checked the whole database",
                 {.event = "state_check", .outcome = "ok", .extra = {{"check", "full"}, {"reason", reason}}});
    // Not fatal (a full disk): the next start checks the whole file again.
    const auto now = std::chrono::duration_cast<core::seconds>(core::now_utc().time_since_epoch()).count();
    (void)store.set_meta("full_check_at", std::to_string(now));
    return std::move(*opened);
}

}  // namespace

state_database::state_database(const fs::path& dir, bool new_state)
    : file_(dir / "state.db"), store_([&] {
          const fs::path db = dir / "state.db";
          std::error_code ec;
          if (new_state) {
              move_aside(db);
              fs::remove(dir / "state.id", ec);
          } else if (!fs::exists(db, ec) && fs::exists(dir / "state.id", ec)) {
              throw refusal_error("state.db missing in " + dir.string() +
                                  "; restore it, or start with --new-state to begin afresh " +
                                  afresh_consequence);
          }
          return open_checked(db);
      }()) {
    // Also for a database written before state.id existed.
    if (!fs::exists(dir / "state.id")) write_state_id(dir);
    struct stat st {};
    if (::stat(file_.c_str(), &st) != 0)
        throw std::runtime_error("cannot stat " + file_.string() + ": " + std::strerror(errno));
    inode_ = st.st_ino;
    device_ = st.st_dev;
}

core::result<void> state_database::mark_clean_stop() {
    return store_.set_meta("clean_shutdown", "1");
}

std::optional<std::string> state_database::check_still_there() const {
    struct stat st {};
    if (::stat(file_.c_str(), &st) != 0) {
        if (errno == ENOENT) return file_.string() + " was deleted";
        return std::nullopt;  // cannot tell (EACCES, EIO): not evidence that it is gone
    }
    if (st.st_ino != inode_ || st.st_dev != device_) return file_.string() + " was replaced by another file";
    if (st.st_nlink == 0) return file_.string() + " was deleted";
    return std::nullopt;
}

}  // namespace newswatch::app
