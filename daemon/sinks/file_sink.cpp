#include "newswatch/sinks/file_sink.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "newswatch/core/errc.hpp"

namespace newswatch::sinks {

file_sink::file_sink(std::string name, std::filesystem::path path)
    : alert_sink(std::move(name)), path_(std::move(path)), write_(&::write) {}

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
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (fd_ < 0)
        return core::error{core::errc::sink_failed, "cannot open " + path_.string() + ": " + std::strerror(errno)};
    if (::fstat(fd_, &st) == 0) inode_ = st.st_ino;
    return {};
}

void file_sink::deliver_(std::string_view payload, completion done) {
    if (auto r = ensure_open(); !r) return done(r);
    std::string line(payload);
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
            return done(core::error{core::errc::sink_failed,
                                    "write " + path_.string() + ": " + std::strerror(error)});
        }
        written += static_cast<std::size_t>(n);
    }
    done({});
}

}  // namespace newswatch::sinks
