#pragma once
// The feed side's admission: a global cap on transfers, a cap per host, a minimum gap
// between two starts to one host (pacing) and the consumer's start gate. Round-robin over
// hosts. Sink requests never pass through here. Internal to the http module.
#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "feed_transfer.hpp"
#include "newswatch/core/lifetime_token.hpp"

namespace newswatch::http {

class host_queue {
public:
    struct limits {
        std::size_t max_connections = 64;
        std::size_t max_per_host = 2;
        std::chrono::milliseconds per_host_pacing{0};
    };
    using starter = std::function<void(std::unique_ptr<feed_transfer>)>;

    // Executor thread only. `start` is called from pump() for each admitted transfer.
    host_queue(boost::asio::any_io_executor executor, limits limits, starter start);

    // Queues `t` under its host_key (does not start it: call pump()).
    void push(std::unique_ptr<feed_transfer> t);
    // Starts waiting transfers while the caps, pacing and the gate allow; while the gate is
    // closed, transfers that bypass it (fetch_request::gated == false) still start.
    void pump();
    // A transfer of `host_key` that pump() started has ended.
    void release(const std::string& host_key);
    // Takes every waiting transfer out (cancellation); pacing waits stop.
    std::vector<std::unique_ptr<feed_transfer>> take_waiting();
    // Forgets every host (after take_waiting and the end of every running transfer).
    void clear();

    void set_start_gate(std::function<bool()> may_start) { start_gate_ = std::move(may_start); }

private:
    struct host_state {
        std::size_t active = 0;
        std::deque<std::unique_ptr<feed_transfer>> waiting;
        bool runnable = false;  // listed in runnable_hosts_
        bool pacing_wait = false;
        std::chrono::steady_clock::time_point next_start{};
        std::unique_ptr<boost::asio::steady_timer> pace_timer;
    };

    void make_runnable_if_possible(const std::string& key, host_state& host);
    void wait_for_pacing(const std::string& key, host_state& host);
    // The gate is closed: one pass over the runnable hosts starting their ungated transfers.
    void start_ungated();
    // Takes `t` out of `host`'s waiting list and hands it to start_.
    void start_waiting(const std::string& key, host_state& host,
                       std::deque<std::unique_ptr<feed_transfer>>::iterator t);

    boost::asio::any_io_executor executor_;
    limits limits_;
    starter start_;
    std::function<bool()> start_gate_;
    std::unordered_map<std::string, host_state> hosts_;
    std::deque<std::string> runnable_hosts_;
    std::size_t active_ = 0;
    std::size_t ungated_waiting_ = 0;  // waiting transfers the gate does not hold back
    bool pumping_ = false;
    core::lifetime_token lifetime_;  // pace timer handlers may be queued when this dies
};

}  // namespace newswatch::http
