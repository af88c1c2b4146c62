#pragma once
// The daemon's state database and the files beside it. `state.id` is written beside a new
// state.db: when state.db is missing but state.id is not, the database was lost (deleted,
// a volume not mounted), and starting afresh would send every alert still in the feeds
// again, so the daemon refuses; `--new-state` is the only way to start over.
#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>

#include "newswatch/store/state_store.hpp"

namespace newswatch::app {

class state_database {
public:
    // Startup only. Opens <dir>/state.db (creating it only when there is no state.id, or
    // with `new_state`, which moves an existing database aside first) and checks it: the
    // whole file (PRAGMA quick_check) after a run that did not stop cleanly or once a day,
    // the small tables otherwise. Throws refusal_error (exit 2) when the database is
    // missing or damaged, std::runtime_error when it cannot be opened otherwise.
    state_database(const std::filesystem::path& dir, bool new_state);

    store::state_store& store() noexcept { return store_; }
    const std::filesystem::path& file() const noexcept { return file_; }
    // At a clean stop, after the last write: the next start may skip the full check.
    core::result<void> mark_clean_stop();

    // Empty while the file opened at startup is still <dir>/state.db; otherwise what
    // happened (deleted, replaced). Cheap (one stat): the daemon calls it every few seconds.
    std::optional<std::string> check_still_there() const;

private:
    std::filesystem::path file_;
    ino_t inode_ = 0;
    dev_t device_ = 0;
    store::state_store store_;
};

}  // namespace newswatch::app
