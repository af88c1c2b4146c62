#pragma once
// newswatchd's side of the systemd notify protocol: READY=1, RELOADING=1, STOPPING=1,
// STATUS= lines, and WATCHDOG=1 from the event loop at half of WATCHDOG_USEC, so that a
// loop that stops turning stops the keep-alives and systemd restarts the service. Without
// $NOTIFY_SOCKET every call does nothing.
#include <chrono>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

namespace newswatch::app {

class systemd_notifier {
public:
    // Construct and use on `executor`'s thread.
    explicit systemd_notifier(boost::asio::any_io_executor executor);

    void ready() noexcept;
    void reloading() noexcept;
    void stopping() noexcept;
    // Sent only when it differs from the last one.
    void status(const std::string& line) noexcept;

    // Starts the keep-alive timer when systemd asked for a watchdog (WATCHDOG_USEC);
    // returns the period used (zero: none).
    std::chrono::microseconds start_watchdog() noexcept;
    void cancel() noexcept;

private:
    void schedule_keep_alive() noexcept;

    boost::asio::steady_timer watchdog_timer_;
    std::chrono::microseconds period_{0};
    std::string last_status_;
};

}  // namespace newswatch::app
