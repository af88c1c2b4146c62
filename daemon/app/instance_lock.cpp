#include "instance_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>

namespace newswatch::app {

namespace fs = std::filesystem;

namespace {

std::optional<pid_t> read_pid(int fd) {
    char buffer[32] = {};
    const ssize_t n = ::pread(fd, buffer, sizeof buffer - 1, 0);
    if (n <= 0) return std::nullopt;
    char* end = nullptr;
    const long pid = std::strtol(buffer, &end, 10);
    if (end == buffer || pid <= 0) return std::nullopt;
    return static_cast<pid_t>(pid);
}

}  // namespace

fs::path instance_lock::file_of(const fs::path& state_dir) {
    return state_dir / "newswatchd.lock";
}

instance_lock instance_lock::acquire(const fs::path& state_dir) {
    const fs::path file = file_of(state_dir);
    const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0640);
    if (fd < 0) throw std::runtime_error("cannot open " + file.string() + ": " + std::strerror(errno));
    // `newswatch status` takes a shared lock for an instant to see whether a daemon runs:
    // a short retry keeps such a reader from being mistaken for a daemon.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(300);
    while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const int error = errno;
        if (error == EINTR) continue;
        if (error != EWOULDBLOCK || std::chrono::steady_clock::now() >= deadline) {
            const auto pid = read_pid(fd);
            ::close(fd);
            if (error != EWOULDBLOCK)
                throw std::runtime_error("cannot lock " + file.string() + ": " + std::strerror(error));
            throw instance_conflict("another newswatchd (pid " +
                                    (pid ? std::to_string(*pid) : std::string("?")) + ") holds " +
                                    state_dir.string());
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    const std::string text = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd, 0) != 0 ||
        ::pwrite(fd, text.data(), text.size(), 0) != static_cast<ssize_t>(text.size())) {
        const int error = errno;
        ::close(fd);
        throw std::runtime_error("cannot write " + file.string() + ": " + std::strerror(error));
    }
    return instance_lock(fd);
}

std::optional<pid_t> instance_lock::holder(const fs::path& state_dir) {
    const int fd = ::open(file_of(state_dir).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return std::nullopt;  // no lock file: no daemon ever ran here
    std::optional<pid_t> pid;
    if (::flock(fd, LOCK_SH | LOCK_NB) == 0) {
        ::flock(fd, LOCK_UN);
    } else if (errno == EWOULDBLOCK) {
        pid = read_pid(fd);
        if (!pid) pid = 0;  // held, pid not written yet: a daemon is starting
    }
    ::close(fd);
    return pid;
}

instance_lock::instance_lock(instance_lock&& other) noexcept : fd_(other.fd_) {
    other.fd_ = -1;
}

instance_lock::~instance_lock() {
    if (fd_ >= 0) ::close(fd_);  // releases the flock
}

}  // namespace newswatch::app
