#pragma once
// Runs `command` (an argv, no shell) once per delivery with the payload on stdin and an
// environment of exactly PATH=/usr/bin:/bin, NEWSWATCH_ALERT_ID, NEWSWATCH_EVENT and, when
// the payload names one, NEWSWATCH_WATCH. Exit 0 is delivered; an exit of 64-78 other than
// 75 (sysexits.h: the input or the setup is wrong, trying again cannot help) is permanent;
// any other exit, death by a signal or the timeout is retried. stdout and stderr are kept
// (4 KiB each) and logged; the last line of stderr is the failure's detail.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/asio/any_io_executor.hpp>

#include "newswatch/config/config.hpp"
#include "newswatch/sinks/alert_sink.hpp"
#include "newswatch/sinks/child_process.hpp"
#include "newswatch/sinks/sink_context.hpp"

namespace newswatch::sinks {

class exec_sink final : public alert_sink {
public:
    // Call on the executor. `kill_grace`: from SIGTERM to SIGKILL after the timeout.
    exec_sink(std::string name, boost::asio::any_io_executor executor, config::exec_sink_options options,
              std::chrono::milliseconds kill_grace = std::chrono::seconds(5));
    ~exec_sink() override;  // kills the children still running and reaps them
    std::string_view type() const noexcept override { return "exec"; }
    // Completes every delivery in flight with retry("cancelled") and kills the children;
    // they are reaped on the executor as usual.
    void cancel_all() noexcept override;

    // How a run ends as a delivery (exposed for the tests and `sink test` output).
    static delivery_result result_of(const child_process_outcome& outcome, std::chrono::seconds timeout);
    static std::vector<std::string> environment_of(const delivery_message& message);

    static constexpr std::size_t output_cap = 4096;

protected:
    void deliver_(const delivery_message& message, completion done) override;

private:
    struct job {
        completion done;  // empty once cancel_all() has answered it
        std::string alert_id;
        std::unique_ptr<child_process> process;
    };
    void finished(std::uint64_t token, child_process_outcome outcome);

    boost::asio::any_io_executor executor_;
    config::exec_sink_options options_;
    std::chrono::milliseconds kill_grace_;
    std::shared_ptr<spdlog::logger> logger_;
    std::uint64_t next_token_ = 0;
    std::unordered_map<std::uint64_t, job> jobs_;  // owns the children: destroyed first
};

// Throws config::config_error (startup) when the command is empty, not an absolute path
// or not an executable file.
std::unique_ptr<alert_sink> make_exec_sink(const config::sink_config& config, const sink_context& context);

}  // namespace newswatch::sinks
