#pragma once
// The sink interface (a template method, after spdlog's base_sink): the public send()
// captures errors and rate-limits error reports; the protected deliver_() does the
// channel's work. A failing sink never takes the daemon down. Retries, backoff, dead
// letters and ordering are the dispatcher's (pipeline/outbox_dispatcher): a sink makes one
// attempt per send and says how it went.
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <spdlog/logger.h>

#include "newswatch/sinks/delivery.hpp"

namespace newswatch::sinks {

class alert_sink {
public:
    // Called exactly once per send, on the daemon's executor (possibly inline). Must not throw.
    using completion = std::function<void(delivery_result)>;

    explicit alert_sink(std::string name);
    virtual ~alert_sink() = default;
    alert_sink(const alert_sink&) = delete;
    alert_sink& operator=(const alert_sink&) = delete;

    // Makes one delivery attempt. Must be called on the daemon's executor. Never throws;
    // failures reach `done` as values and are logged at most once a minute per sink.
    void send(const delivery_message& message, completion done) noexcept;

    const std::string& name() const noexcept { return name_; }
    virtual std::string_view type() const noexcept = 0;

    // Shutdown: aborts what is in flight; each pending completion is called with
    // retry("cancelled"). Executor thread only.
    virtual void cancel_all() noexcept {}

    // Completes now the deliveries whose work is done but whose completion waits for a
    // later turn of the loop (the file sink's lines waiting for their shared fdatasync),
    // so that an owner going away (a reload, shutdown) still learns their outcome.
    // Executor thread only.
    virtual void flush() noexcept {}

protected:
    virtual void deliver_(const delivery_message& message, completion done) = 0;

private:
    void report_failure(const delivery_result& result) noexcept;

    std::string name_;
    std::shared_ptr<spdlog::logger> logger_;
    std::chrono::steady_clock::time_point last_error_report_{};
    int suppressed_errors_ = 0;
};

}  // namespace newswatch::sinks
