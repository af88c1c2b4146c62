#pragma once
// The sink interface (a template method, after spdlog's base_sink): the public send()
// captures errors and rate-limits error reports; the protected deliver_() does the
// channel's work. A failing sink never takes the daemon down.
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <spdlog/logger.h>

#include "newswatch/core/result.hpp"

namespace newswatch::sinks {

class alert_sink {
public:
    // Called exactly once per send, on the daemon's executor (possibly inline).
    using completion = std::function<void(core::result<void>)>;

    explicit alert_sink(std::string name);
    virtual ~alert_sink() = default;
    alert_sink(const alert_sink&) = delete;
    alert_sink& operator=(const alert_sink&) = delete;

    // Delivers one JSON payload (an alert or a feed_health event). Must be called on the
    // daemon's executor. Never throws; failures reach `done` as values and are logged at
    // most once a minute per sink.
    void send(std::string_view payload, completion done) noexcept;

    const std::string& name() const noexcept { return name_; }
    virtual std::string_view type() const noexcept = 0;

protected:
    virtual void deliver_(std::string_view payload, completion done) = 0;

private:
    void report_failure(const core::error& e) noexcept;

    std::string name_;
    std::shared_ptr<spdlog::logger> logger_;
    std::chrono::steady_clock::time_point last_error_report_{};
    int suppressed_errors_ = 0;
};

}  // namespace newswatch::sinks
