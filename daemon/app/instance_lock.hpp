#pragma once
// One newswatchd per state directory: an flock on <state_dir>/newswatchd.lock, held for the
// life of the process. The kernel drops an flock when its holder dies, so a lock left by a
// SIGKILLed daemon never blocks the next one. The file holds the holder's pid as text.
#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <stdexcept>

namespace newswatch::app {

// Another live daemon holds the state directory (exit code 2, like a configuration error:
// restarting does not help).
struct instance_conflict : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class instance_lock {
public:
    // Takes the lock or throws instance_conflict ("another newswatchd (pid N) holds DIR");
    // other failures (cannot create the file) throw std::runtime_error. Startup only.
    static instance_lock acquire(const std::filesystem::path& state_dir);

    // The pid of the daemon holding `state_dir`, nullopt when none runs. Needs only read
    // access to the lock file (members of the service group).
    static std::optional<pid_t> holder(const std::filesystem::path& state_dir);

    static std::filesystem::path file_of(const std::filesystem::path& state_dir);

    instance_lock(instance_lock&& other) noexcept;
    instance_lock& operator=(instance_lock&&) = delete;
    ~instance_lock();

private:
    explicit instance_lock(int fd) noexcept : fd_(fd) {}
    int fd_ = -1;
};

}  // namespace newswatch::app
