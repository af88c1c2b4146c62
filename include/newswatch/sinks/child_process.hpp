#pragma once
// Runs one program without a shell and reports how it ended, all on the daemon's executor:
// stdin is written and stdout/stderr are read through non-blocking pipes, and the child is
// reaped when its pidfd (pidfd_open(2)) becomes readable, so nothing ever blocks the loop
// and no process-wide SIGCHLD handling is needed.
//
// The child runs in a process group of its own with exactly the given environment, every
// signal at its default and an empty signal mask, and no descriptor of ours but the three
// pipes. A timeout sends SIGTERM to the whole group (a shell script's children too), and
// SIGKILL after a grace period. Output beyond the cap is read and dropped, so a chatty
// child never stalls on a full pipe.
//
// Single use: start() once. Destroying the object while the child runs kills the group
// and reaps the child at once (SIGKILL is not ignorable, so that wait is short).
#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "newswatch/core/lifetime_token.hpp"

namespace newswatch::sinks {

struct child_process_request {
    std::vector<std::string> argv{};         // argv[0]: the program's absolute path (no PATH search)
    std::vector<std::string> environment{};  // "NAME=value": the child's whole environment
    std::string input{};                     // written to stdin, which is then closed
    std::chrono::milliseconds timeout{30000};
    std::chrono::milliseconds kill_grace{5000};  // between SIGTERM and SIGKILL
    std::size_t output_cap = 4096;               // bytes kept of stdout, and of stderr
};

struct child_process_outcome {
    enum class ending {
        exited,       // exit_code is set
        signalled,    // signal is set: the child died of it (not sent by us)
        timed_out,    // we sent SIGTERM (and maybe SIGKILL); signal/exit_code say how it ended
        cancelled,    // kill() was called
        not_started,  // error says why (posix_spawn, pipe or pidfd_open failed)
    };
    ending how = ending::not_started;
    int exit_code = -1;
    int signal = 0;
    std::string error;
    std::string out;  // at most output_cap bytes of stdout
    std::string err;  // at most output_cap bytes of stderr
    std::size_t out_dropped = 0;
    std::size_t err_dropped = 0;
    pid_t pid = -1;
};

class child_process {
public:
    // Called once, on the executor, never inline from start(). The object may be destroyed
    // from inside the call.
    using completion = std::function<void(child_process_outcome)>;

    explicit child_process(boost::asio::any_io_executor executor);
    ~child_process();
    child_process(const child_process&) = delete;
    child_process& operator=(const child_process&) = delete;

    // Call on the executor, once.
    void start(child_process_request request, completion done);

    // Kills the child's process group with SIGKILL; `done` follows (ending::cancelled)
    // once the child has been reaped. No effect after the child has ended.
    void kill() noexcept;

    pid_t pid() const noexcept { return pid_; }

private:
    struct output_stream {
        explicit output_stream(const boost::asio::any_io_executor& executor) : pipe(executor) {}
        boost::asio::posix::stream_descriptor pipe;
        std::string kept;
        std::size_t dropped = 0;
        char chunk[4096];
    };

    void write_input();
    void read_output(output_stream& stream);
    bool read_available(output_stream& stream);
    void wait_for_exit();
    void on_deadline();
    void signal_group(int signal) noexcept;
    void finish(int wait_status);
    void fail_to_start(std::string why);

    boost::asio::any_io_executor executor_;
    child_process_request request_;
    completion done_;
    pid_t pid_ = -1;
    bool reaped_ = false;
    bool timed_out_ = false;
    bool cancelled_ = false;
    bool killed_ = false;  // SIGKILL sent after the grace period
    // These own pending operations and go first on destruction.
    boost::asio::posix::stream_descriptor stdin_;
    output_stream stdout_;
    output_stream stderr_;
    boost::asio::posix::stream_descriptor pidfd_;
    boost::asio::steady_timer deadline_;
    core::lifetime_token lifetime_;
};

}  // namespace newswatch::sinks
