#include "newswatch/sinks/child_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

namespace newswatch::sinks {
namespace asio = boost::asio;

namespace {

// Writing to a pipe whose reader has gone raises SIGPIPE, which would kill the daemon
// when a child exits without reading its input. Ignored once for the process; the child
// gets the default back (POSIX_SPAWN_SETSIGDEF below), because an ignored signal would
// otherwise survive exec.
void ignore_sigpipe() {
    static std::once_flag once;
    std::call_once(once, [] { ::signal(SIGPIPE, SIG_IGN); });
}

// Both ends close on exec: another thread's posix_spawn must not inherit our pipe ends,
// or the child's EOF on stdin (and ours on its stdout) would never come.
bool make_pipe(int fds[2]) {
    return ::pipe2(fds, O_CLOEXEC) == 0;
}

void close_fd(int& fd) noexcept {
    if (fd >= 0) ::close(fd);
    fd = -1;
}

std::string errno_text(const char* what, int error) {
    return std::string(what) + ": " + std::strerror(error);
}

// posix_spawn's attributes and file actions, destroyed on every path.
class spawn_setup {
public:
    spawn_setup() {
        ::posix_spawnattr_init(&attr_);
        ::posix_spawn_file_actions_init(&actions_);
    }
    ~spawn_setup() {
        ::posix_spawn_file_actions_destroy(&actions_);
        ::posix_spawnattr_destroy(&attr_);
    }
    spawn_setup(const spawn_setup&) = delete;
    spawn_setup& operator=(const spawn_setup&) = delete;

    // Returns an errno value, 0 on success.
    int prepare(int stdin_fd, int stdout_fd, int stderr_fd) {
        sigset_t defaults;
        ::sigfillset(&defaults);
        ::sigdelset(&defaults, SIGKILL);
        ::sigdelset(&defaults, SIGSTOP);
        sigset_t empty;
        ::sigemptyset(&empty);
        int e = ::posix_spawnattr_setflags(
            &attr_, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
        if (e == 0) e = ::posix_spawnattr_setpgroup(&attr_, 0);  // a group of its own
        if (e == 0) e = ::posix_spawnattr_setsigdefault(&attr_, &defaults);
        if (e == 0) e = ::posix_spawnattr_setsigmask(&attr_, &empty);
        if (e == 0) e = ::posix_spawn_file_actions_adddup2(&actions_, stdin_fd, STDIN_FILENO);
        if (e == 0) e = ::posix_spawn_file_actions_adddup2(&actions_, stdout_fd, STDOUT_FILENO);
        if (e == 0) e = ::posix_spawn_file_actions_adddup2(&actions_, stderr_fd, STDERR_FILENO);
        // Descriptors some library opened without O_CLOEXEC stay ours too.
        if (e == 0) e = ::posix_spawn_file_actions_addclosefrom_np(&actions_, 3);
        return e;
    }
    const posix_spawnattr_t* attr() const noexcept { return &attr_; }
    const posix_spawn_file_actions_t* actions() const noexcept { return &actions_; }

private:
    posix_spawnattr_t attr_;
    posix_spawn_file_actions_t actions_;
};

std::vector<char*> c_strings(std::vector<std::string>& strings) {
    std::vector<char*> out;
    out.reserve(strings.size() + 1);
    for (auto& s : strings) out.push_back(s.data());
    out.push_back(nullptr);
    return out;
}

}  // namespace

child_process::child_process(asio::any_io_executor executor)
    : executor_(std::move(executor)),
      stdin_(executor_),
      stdout_(executor_),
      stderr_(executor_),
      pidfd_(executor_),
      deadline_(executor_) {}

child_process::~child_process() {
    if (pid_ > 0 && !reaped_) {
        signal_group(SIGKILL);
        int status = 0;
        while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
        }
    }
}

void child_process::start(child_process_request request, completion done) {
    request_ = std::move(request);
    done_ = std::move(done);
    ignore_sigpipe();
    if (request_.argv.empty()) return fail_to_start("no command");

    // [0] is the parent's end, [1] the child's, for all three.
    int in[2] = {-1, -1}, out[2] = {-1, -1}, err[2] = {-1, -1};
    auto close_all = [&] {
        for (int* p : {in, out, err}) {
            close_fd(p[0]);
            close_fd(p[1]);
        }
    };
    // pipe2 gives {read end, write end}: we write stdin and read stdout and stderr.
    int fds[2] = {-1, -1};
    bool piped = make_pipe(fds);
    if (piped) {
        in[0] = fds[1];
        in[1] = fds[0];
        piped = make_pipe(out) && make_pipe(err);
    }
    if (!piped) {
        const int error = errno;
        close_all();
        return fail_to_start(errno_text("pipe", error));
    }
    spawn_setup setup;
    if (int e = setup.prepare(in[1], out[1], err[1]); e != 0) {
        close_all();
        return fail_to_start(errno_text("posix_spawn setup", e));
    }
    auto argv = c_strings(request_.argv);
    auto envp = c_strings(request_.environment);
    pid_t pid = -1;
    // glibc's posix_spawn reports a failed exec (ENOENT, EACCES) as its own result.
    const int e = ::posix_spawn(&pid, argv[0], setup.actions(), setup.attr(), argv.data(), envp.data());
    close_fd(in[1]);
    close_fd(out[1]);
    close_fd(err[1]);
    if (e != 0) {
        close_all();
        return fail_to_start(errno_text(request_.argv.front().c_str(), e));
    }
    pid_ = pid;

    stdin_.assign(in[0]);
    stdout_.pipe.assign(out[0]);
    stderr_.pipe.assign(err[0]);
    boost::system::error_code ignored;
    stdout_.pipe.non_blocking(true, ignored);
    stderr_.pipe.non_blocking(true, ignored);
    const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0));
    if (pidfd < 0) {
        const int error = errno;
        signal_group(SIGKILL);
        int status = 0;
        while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
        }
        reaped_ = true;
        return fail_to_start(errno_text("pidfd_open", error));
    }
    pidfd_.assign(pidfd);

    write_input();
    read_output(stdout_);
    read_output(stderr_);
    wait_for_exit();
    deadline_.expires_after(request_.timeout);
    deadline_.async_wait([this, alive = lifetime_.watch()](const boost::system::error_code& ec) {
        if (alive.expired() || ec || reaped_) return;
        on_deadline();
    });
}

void child_process::write_input() {
    asio::async_write(stdin_, asio::buffer(request_.input),
                      [this, alive = lifetime_.watch()](const boost::system::error_code&, std::size_t) {
                          if (alive.expired()) return;
                          // All written, or the child closed its end (EPIPE): either way the
                          // child sees EOF now, and an unread input is not a failure of ours.
                          boost::system::error_code ignored;
                          stdin_.close(ignored);
                      });
}

// Readiness only, then our own non-blocking reads: a read that the reactor performed for
// us could still sit in the handler queue when the child is reaped, and its bytes would
// miss the outcome.
void child_process::read_output(output_stream& stream) {
    stream.pipe.async_wait(asio::posix::stream_descriptor::wait_read,
                           [this, &stream, alive = lifetime_.watch()](const boost::system::error_code& ec) {
                               if (alive.expired() || ec) return;
                               if (read_available(stream)) read_output(stream);
                           });
}

// Reads what the pipe holds now; false at EOF or on an error (the pipe is then closed).
bool child_process::read_available(output_stream& stream) {
    boost::system::error_code ec;
    while (stream.pipe.is_open()) {
        const std::size_t n = stream.pipe.read_some(asio::buffer(stream.chunk), ec);
        const std::size_t room = request_.output_cap - std::min(request_.output_cap, stream.kept.size());
        const std::size_t taken = std::min(room, n);
        stream.kept.append(stream.chunk, taken);
        stream.dropped += n - taken;
        if (ec == asio::error::would_block || ec == asio::error::try_again) return true;
        if (ec == asio::error::interrupted) continue;
        if (ec) {
            stream.pipe.close(ec);
            return false;
        }
    }
    return false;
}

void child_process::wait_for_exit() {
    pidfd_.async_wait(asio::posix::stream_descriptor::wait_read,
                      [this, alive = lifetime_.watch()](const boost::system::error_code& ec) {
                          if (alive.expired()) return;
                          if (ec == asio::error::operation_aborted) return;
                          int status = 0;
                          pid_t r;
                          while ((r = ::waitpid(pid_, &status, WNOHANG)) < 0 && errno == EINTR) {
                          }
                          if (r == 0) return wait_for_exit();  // not yet (spurious wake-up)
                          reaped_ = true;
                          // r < 0 (ECHILD) means someone else reaped it: report a kill.
                          finish(r == pid_ ? status : (SIGKILL & 0x7f));
                      });
}

void child_process::on_deadline() {
    if (!timed_out_) {
        timed_out_ = true;
        signal_group(SIGTERM);
        deadline_.expires_after(request_.kill_grace);
    } else {
        killed_ = true;
        signal_group(SIGKILL);
        return;  // the pidfd reports the end
    }
    deadline_.async_wait([this, alive = lifetime_.watch()](const boost::system::error_code& ec) {
        if (alive.expired() || ec || reaped_) return;
        on_deadline();
    });
}

void child_process::kill() noexcept {
    if (pid_ <= 0 || reaped_ || cancelled_) return;
    cancelled_ = true;
    signal_group(SIGKILL);
}

// Only while the child is unreaped: its pid (and so the group id) cannot have been reused.
void child_process::signal_group(int signal) noexcept {
    if (pid_ > 0 && !reaped_) ::kill(-pid_, signal);
}

void child_process::finish(int wait_status) {
    boost::system::error_code ignored;
    deadline_.cancel();
    stdin_.close(ignored);
    // What the child wrote before it ended is in the pipes now; take it without waiting for
    // an EOF that a leftover grandchild holding a pipe open would delay forever.
    read_available(stdout_);
    read_available(stderr_);
    stdout_.pipe.close(ignored);
    stderr_.pipe.close(ignored);
    pidfd_.close(ignored);

    child_process_outcome outcome;
    outcome.pid = pid_;
    if (WIFEXITED(wait_status)) outcome.exit_code = WEXITSTATUS(wait_status);
    if (WIFSIGNALED(wait_status)) outcome.signal = WTERMSIG(wait_status);
    if (cancelled_)
        outcome.how = child_process_outcome::ending::cancelled;
    else if (timed_out_)
        outcome.how = child_process_outcome::ending::timed_out;
    else if (WIFSIGNALED(wait_status))
        outcome.how = child_process_outcome::ending::signalled;
    else
        outcome.how = child_process_outcome::ending::exited;
    outcome.out = std::move(stdout_.kept);
    outcome.err = std::move(stderr_.kept);
    outcome.out_dropped = stdout_.dropped;
    outcome.err_dropped = stderr_.dropped;
    auto done = std::move(done_);
    if (done) done(std::move(outcome));  // may destroy *this: nothing after
}

void child_process::fail_to_start(std::string why) {
    child_process_outcome outcome;
    outcome.how = child_process_outcome::ending::not_started;
    outcome.error = std::move(why);
    asio::post(executor_, [this, alive = lifetime_.watch(), outcome = std::move(outcome)]() mutable {
        if (alive.expired()) return;
        auto done = std::move(done_);
        if (done) done(std::move(outcome));
    });
}

}  // namespace newswatch::sinks
