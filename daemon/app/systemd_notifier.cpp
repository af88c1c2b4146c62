#include "systemd_notifier.hpp"

#include <systemd/sd-daemon.h>

namespace newswatch::app {

systemd_notifier::systemd_notifier(boost::asio::any_io_executor executor)
    : watchdog_timer_(std::move(executor)) {}

void systemd_notifier::ready() noexcept {
    sd_notify(0, "READY=1");
}
void systemd_notifier::reloading() noexcept {
    sd_notify(0, "RELOADING=1");
}
void systemd_notifier::stopping() noexcept {
    sd_notify(0, "STOPPING=1");
}

void systemd_notifier::status(const std::string& line) noexcept {
    if (line == last_status_) return;
    last_status_ = line;
    sd_notify(0, ("STATUS=" + line).c_str());
}

std::chrono::microseconds systemd_notifier::start_watchdog() noexcept {
    std::uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) return period_;
    period_ = std::chrono::microseconds(usec / 2);
    sd_notify(0, "WATCHDOG=1");
    schedule_keep_alive();
    return period_;
}

void systemd_notifier::schedule_keep_alive() noexcept {
    watchdog_timer_.expires_after(period_);
    watchdog_timer_.async_wait([this](const boost::system::error_code& ec) {
        if (ec) return;
        sd_notify(0, "WATCHDOG=1");
        schedule_keep_alive();
    });
}

void systemd_notifier::cancel() noexcept {
    watchdog_timer_.cancel();
}

}  // namespace newswatch::app
