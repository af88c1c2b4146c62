#pragma once
// Appends one JSON object per line to a file and fsyncs it before the delivery counts as
// done (a power cut cannot lose a delivered alert). Survives log rotation:
// when the file is moved or deleted it is reopened at the configured path. A line is
// written whole or not at all: a write that fails part-way (ENOSPC) is cut back, so the
// retry does not glue the alert onto a broken half line.
//
// Group commit (issue #16): each line is written at once, but the fdatasync and the
// completions wait for one handler posted on the executor, so every line written in the same
// turn of the loop (a dispatcher with `concurrency` > 1 hands over that many at once) shares
// one fdatasync. A line is reported delivered only after the fdatasync that covers it
// returned; when that fdatasync fails, every line it was to cover is retried.
#include <sys/types.h>

#include <cstddef>
#include <filesystem>
#include <optional>
#include <vector>

#include <boost/asio/any_io_executor.hpp>

#include "newswatch/core/lifetime_token.hpp"
#include "newswatch/core/result.hpp"
#include "newswatch/sinks/alert_sink.hpp"

namespace newswatch::sinks {

class file_sink final : public alert_sink {
public:
    // `executor`: the daemon's loop, where deliveries complete. `mode`: the permission bits a
    // newly created file gets (0640 by default; the umask does not narrow them).
    file_sink(std::string name, boost::asio::any_io_executor executor, std::filesystem::path path,
              unsigned mode = 0640);
    // Syncs the lines still waiting for their fdatasync; their completions are not called.
    ~file_sink() override;
    std::string_view type() const noexcept override { return "file"; }
    const std::filesystem::path& path() const noexcept { return path_; }

    // Syncs the lines written so far and completes their deliveries now. Executor thread.
    void flush() noexcept override;
    // A written line is not cancelled: it is synced and completed as delivered (or retried).
    void cancel_all() noexcept override { flush(); }

    // write(2) and fdatasync(2) by default. Tests replace them to make the disk fill up
    // (ENOSPC, short writes) or fail a sync without privileges.
    using write_function = ssize_t (*)(int fd, const void* data, std::size_t size);
    using sync_function = int (*)(int fd);
    void set_write_function(write_function write) noexcept { write_ = write; }
    void set_sync_function(sync_function sync) noexcept { sync_ = sync; }

protected:
    void deliver_(const delivery_message& message, completion done) override;

private:
    // A delivery waiting for the flush: its line was written (no result yet, the sync
    // decides) or it failed before (the result is known).
    struct waiting {
        completion done;
        std::optional<delivery_result> failed;
    };
    core::result<void> ensure_open();
    // Writes `line` whole; a failure cuts back what was written of it.
    std::optional<delivery_result> append(const std::string& line);
    void wait_for_flush(completion done, std::optional<delivery_result> failed);

    std::filesystem::path path_;
    unsigned mode_;
    int fd_ = -1;
    unsigned long inode_ = 0;
    write_function write_;
    sync_function sync_;
    boost::asio::any_io_executor executor_;
    std::vector<waiting> waiting_;
    bool flush_posted_ = false;
    core::lifetime_token lifetime_;
};

}  // namespace newswatch::sinks
