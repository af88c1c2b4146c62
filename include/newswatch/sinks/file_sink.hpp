#pragma once
// Appends one JSON object per line to a file and fsyncs it before the delivery counts as
// done (a power cut cannot lose a delivered alert). Survives log rotation:
// when the file is moved or deleted it is reopened at the configured path. A line is
// written whole or not at all: a write that fails part-way (ENOSPC) is cut back, so the
// retry does not glue the alert onto a broken half line.
#include <sys/types.h>

#include <cstddef>
#include <filesystem>

#include "newswatch/core/result.hpp"
#include "newswatch/sinks/alert_sink.hpp"

namespace newswatch::sinks {

class file_sink final : public alert_sink {
public:
    // `mode`: the permission bits a newly created file gets (0640 by default; the umask
    // does not narrow them).
    file_sink(std::string name, std::filesystem::path path, unsigned mode = 0640);
    ~file_sink() override;
    std::string_view type() const noexcept override { return "file"; }
    const std::filesystem::path& path() const noexcept { return path_; }

    // write(2) by default. Tests replace it to make the disk fill up (ENOSPC, short writes)
    // without privileges.
    using write_function = ssize_t (*)(int fd, const void* data, std::size_t size);
    void set_write_function(write_function write) noexcept { write_ = write; }

protected:
    void deliver_(const delivery_message& message, completion done) override;

private:
    core::result<void> ensure_open();
    std::filesystem::path path_;
    unsigned mode_;
    int fd_ = -1;
    unsigned long inode_ = 0;
    write_function write_;
};

}  // namespace newswatch::sinks
