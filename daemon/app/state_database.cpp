#include "state_database.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>
#include <stdexcept>

#include <spdlog/spdlog.h>

#include "newswatch/core/errc.hpp"
#include "newswatch/core/time.hpp"
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

store::state_store open_checked(const fs::path& db) {
    auto opened = store::state_store::open(db);
    if (!opened) {
        if (opened.err().code == core::errc::database_corrupt)
            throw refusal_error(opened.err().message + "; the database is damaged: " + recovery_of(db));
        throw std::runtime_error(opened.err().message);
    }
    if (auto checked = opened->quick_check(); !checked) {
        if (checked.err().code != core::errc::database_corrupt)
            throw std::runtime_error(checked.err().message);
        throw refusal_error(db.string() + ": the database is damaged (quick_check: " + checked.err().message +
                            "); " + recovery_of(db));
    }
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
