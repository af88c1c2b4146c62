#include "newswatch/sinks/file_sink.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "newswatch/core/errc.hpp"

namespace newswatch::sinks {

file_sink::file_sink(std::string name, std::filesystem::path path, unsigned mode)
    : alert_sink(std::move(name)), path_(std::move(path)), mode_(mode), write_(&::write) {}

file_sink::~file_sink() {
    if (fd_ >= 0) ::close(fd_);
}

core::result<void> file_sink::ensure_open() {
    struct stat st {};
    if (fd_ >= 0 && ::stat(path_.c_str(), &st) == 0 && st.st_ino == inode_) return {};
    if (fd_ >= 0) {
        ::close(fd_);
        fd_ = -1;
    }
    std::error_code ec;
    if (path_.has_parent_path()) std::filesystem::create_directories(path_.parent_path(), ec);
    const bool existed = ::stat(path_.c_str(), &st) == 0;
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, mode_);
    if (fd_ < 0)
        return core::error{core::errc::sink_failed,
                           "cannot open " + path_.string() + ": " + std::strerror(errno)};
    // open() applies the umask; the configured mode is what the operator asked for (a
    // reader group that must see the alerts). An existing file keeps its own mode.
    if (!existed) (void)::fchmod(fd_, mode_);
    if (::fstat(fd_, &st) == 0) inode_ = st.st_ino;
    return {};
}

void file_sink::deliver_(const delivery_message& message, completion done) {
    if (auto r = ensure_open(); !r) return done(delivery_result::retry(r.err().message));
    std::string line(message.payload);
    line += '\n';
    // One write() per line: with O_APPEND a line is never interleaved with another writer's.
    struct stat before {};
    const bool sized = ::fstat(fd_, &before) == 0;
    std::size_t written = 0;
    while (written < line.size()) {
        const ssize_t n = write_(fd_, line.data() + written, line.size() - written);
        if (n < 0) {
            if (errno == EINTR) continue;
            const int error = errno;
            // The delivery fails and is retried: a half line left behind would join the
            // retried line into one that no reader can parse, losing that alert.
            if (written > 0 && sized) (void)::ftruncate(fd_, before.st_size);
            return done(delivery_result::retry("write " + path_.string() + ": " + std::strerror(error)));
        }
        written += static_cast<std::size_t>(n);
    }
    // Delivered means on disk: the outbox forgets the alert once this returns.
    if (::fdatasync(fd_) != 0)
        return done(delivery_result::retry("fsync " + path_.string() + ": " + std::strerror(errno)));
    done(delivery_result::ok());
}

}  // namespace newswatch::sinks
