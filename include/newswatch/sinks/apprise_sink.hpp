#pragma once
// The `apprise` channel: runs Debian's apprise CLI (https://github.com/caronc/apprise/wiki/
// CLI_Usage) once per delivery, without a shell, as
//   apprise --config=URLS_FILE --input-format=text --notification-type=info|warning
//           --title=TITLE
// with the body on stdin, so Apprise reaches any of its 80+ services. The URLs stay in
// their file (an Apprise TEXT configuration, one URL per line): they carry the services'
// secrets and never appear in an argv (`ps`), a log or a detail. Exit 0 is delivered;
// 2 (a bad option), 3, and 1 with "You must specify at least one server URL" (no URL in
// the file could be loaded: apprise 1.2 reports an invalid URL so) are permanent; any
// other exit (1: a service failed), a signal and the timeout are retried. Apprise applies each service's
// own length limits and formats; the title is cut to 250 characters and the body to 4,000.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/asio/any_io_executor.hpp>

#include "newswatch/sinks/alert_sink.hpp"
#include "newswatch/sinks/child_process.hpp"
#include "newswatch/sinks/sink_context.hpp"

namespace newswatch::config {
struct sink_config;
}

namespace newswatch::sinks {

class apprise_sink final : public alert_sink {
public:
    struct settings {
        std::string command = "/usr/bin/apprise";
        std::filesystem::path urls_file;
        std::chrono::milliseconds timeout{60'000};
        std::chrono::milliseconds kill_grace{5'000};
    };
    static constexpr std::size_t max_title_chars = 250;
    static constexpr std::size_t max_body_chars = 4000;

    // Call on the executor.
    apprise_sink(std::string name, boost::asio::any_io_executor executor, settings settings);
    ~apprise_sink() override;  // kills the runs still going and reaps them
    std::string_view type() const noexcept override { return "apprise"; }
    void cancel_all() noexcept override;

    // The run deliver_ starts for `message` (tests look at it).
    child_process_request request_for(const delivery_message& message) const;
    // How a run ends as a delivery.
    static delivery_result result_of(const child_process_outcome& outcome);

protected:
    void deliver_(const delivery_message& message, completion done) override;

private:
    struct job {
        completion done;  // empty once cancel_all() has answered it
        std::unique_ptr<child_process> process;
    };
    void finished(std::uint64_t token, child_process_outcome outcome);

    boost::asio::any_io_executor executor_;
    settings settings_;
    std::uint64_t next_token_ = 0;
    std::unordered_map<std::uint64_t, job> jobs_;  // owns the children: destroyed first
};

// Throws config::config_error (startup) when the command is not an executable file or
// urls_file cannot be read or holds no URL.
std::unique_ptr<alert_sink> make_apprise_sink(const config::sink_config& config, const sink_context& context);

}  // namespace newswatch::sinks
