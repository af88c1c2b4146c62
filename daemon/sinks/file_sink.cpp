#include "newswatch/sinks/file_sink.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <boost/asio/post.hpp>

#include "newswatch/core/errc.hpp"

namespace newswatch::sinks {

file_sink::file_sink(std::string name, boost::asio::any_io_executor executor, std::filesystem::path path,
                     unsigned mode)
    : alert_sink(std::move(name)),
      path_(std::move(path)),
      mode_(mode),
      write_(&::write),
      sync_(&::fdatasync),
      executor_(std::move(executor)) {}

file_sink::~file_sink() {
    if (fd_ < 0) return;
    // Whoever waits for these completions is gone (or going); the lines are kept anyway.
    if (!waiting_.empty()) (void)sync_(fd_);
    ::close(fd_);
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

std::optional<delivery_result> file_sink::append(const std::string& line) {
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
            return delivery_result::retry("write " + path_.string() + ": " + std::strerror(error));
        }
        written += static_cast<std::size_t>(n);
    }
    return std::nullopt;
}

void file_sink::deliver_(const delivery_message& message, completion done) {
    // The file is checked for rotation once per flush: the lines of one turn go to the file
    // that their fdatasync covers.
    if (waiting_.empty() || fd_ < 0) {
        if (auto r = ensure_open(); !r)
            return wait_for_flush(std::move(done), delivery_result::retry(r.err().message));
    }
    std::string line(message.payload);
    line += '\n';
    wait_for_flush(std::move(done), append(line));
}

void file_sink::wait_for_flush(completion done, std::optional<delivery_result> failed) {
    if (!flush_posted_) {
        boost::asio::post(executor_, [this, alive = lifetime_.watch()] {
            if (!alive.expired()) flush();
        });
        flush_posted_ = true;
    }
    waiting_.push_back({std::move(done), std::move(failed)});
}

void file_sink::flush() noexcept {
    flush_posted_ = false;
    // Taken out first: a completion may hand over the next line at once.
    auto batch = std::move(waiting_);
    waiting_.clear();
    bool written = false;
    for (const auto& w : batch) written = written || !w.failed;
    // Delivered means on disk: the outbox forgets an alert once its completion is called.
    auto synced = delivery_result::ok();
    if (written && sync_(fd_) != 0)
        synced = delivery_result::retry("fsync " + path_.string() + ": " + std::strerror(errno));
    for (auto& w : batch) w.done(w.failed ? std::move(*w.failed) : synced);
}

}  // namespace newswatch::sinks
