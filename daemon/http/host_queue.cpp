#include "host_queue.hpp"

#include <algorithm>

namespace newswatch::http {

namespace asio = boost::asio;
using clock_type = std::chrono::steady_clock;

host_queue::host_queue(asio::any_io_executor executor, limits limits, starter start)
    : executor_(std::move(executor)), limits_(limits), start_(std::move(start)) {
    if (limits_.max_connections == 0) limits_.max_connections = 1;
    if (limits_.max_per_host == 0) limits_.max_per_host = 1;
}

void host_queue::push(std::unique_ptr<feed_transfer> t) {
    const std::string key = t->host_key;
    auto& host = hosts_[key];
    if (!t->req.gated) ++ungated_waiting_;
    host.waiting.push_back(std::move(t));
    make_runnable_if_possible(hosts_.find(key)->first, host);
}

void host_queue::make_runnable_if_possible(const std::string& key, host_state& host) {
    if (!host.runnable && !host.pacing_wait && !host.waiting.empty() && host.active < limits_.max_per_host) {
        host.runnable = true;
        runnable_hosts_.push_back(key);
    }
}

void host_queue::pump() {
    if (pumping_) return;
    pumping_ = true;
    while (active_ < limits_.max_connections && !runnable_hosts_.empty()) {
        if (start_gate_ && !start_gate_()) {
            start_ungated();
            break;
        }
        std::string key = std::move(runnable_hosts_.front());
        runnable_hosts_.pop_front();
        auto it = hosts_.find(key);
        if (it == hosts_.end()) continue;
        host_state& host = it->second;
        host.runnable = false;
        if (host.waiting.empty() || host.active >= limits_.max_per_host) continue;
        if (limits_.per_host_pacing.count() > 0 && clock_type::now() < host.next_start) {
            wait_for_pacing(key, host);
            continue;
        }
        start_waiting(key, host, host.waiting.begin());
    }
    pumping_ = false;
}

void host_queue::start_waiting(const std::string& key, host_state& host,
                               std::deque<std::unique_ptr<feed_transfer>>::iterator position) {
    auto t = std::move(*position);
    host.waiting.erase(position);
    if (!t->req.gated) --ungated_waiting_;
    ++host.active;
    ++active_;
    host.next_start = clock_type::now() + limits_.per_host_pacing;
    make_runnable_if_possible(key, host);
    start_(std::move(t));
}

void host_queue::start_ungated() {
    // Hosts without an ungated transfer keep their place; each pass ends because every
    // step starts a transfer (bounded by ungated_waiting_) or moves a host out of the list.
    std::deque<std::string> kept;
    while (ungated_waiting_ > 0 && active_ < limits_.max_connections && !runnable_hosts_.empty()) {
        std::string key = std::move(runnable_hosts_.front());
        runnable_hosts_.pop_front();
        auto it = hosts_.find(key);
        if (it == hosts_.end()) continue;
        host_state& host = it->second;
        const auto ungated = std::find_if(host.waiting.begin(), host.waiting.end(),
                                          [](const auto& t) { return !t->req.gated; });
        if (ungated == host.waiting.end() || host.active >= limits_.max_per_host) {
            kept.push_back(std::move(key));  // still runnable once the gate opens
            continue;
        }
        host.runnable = false;
        if (limits_.per_host_pacing.count() > 0 && clock_type::now() < host.next_start) {
            wait_for_pacing(key, host);
            continue;
        }
        start_waiting(key, host, ungated);
    }
    for (auto& key : runnable_hosts_) kept.push_back(std::move(key));
    runnable_hosts_ = std::move(kept);
}

void host_queue::wait_for_pacing(const std::string& key, host_state& host) {
    host.pacing_wait = true;
    if (!host.pace_timer) host.pace_timer = std::make_unique<asio::steady_timer>(executor_);
    host.pace_timer->expires_at(host.next_start);
    host.pace_timer->async_wait([this, alive = lifetime_.watch(), key](boost::system::error_code ec) {
        if (alive.expired() || ec == asio::error::operation_aborted) return;
        auto it = hosts_.find(key);
        if (it == hosts_.end()) return;
        it->second.pacing_wait = false;
        make_runnable_if_possible(key, it->second);
        pump();
    });
}

void host_queue::release(const std::string& host_key) {
    --active_;
    auto it = hosts_.find(host_key);
    if (it == hosts_.end()) return;
    host_state& host = it->second;
    --host.active;
    if (host.active == 0 && host.waiting.empty() && !host.pacing_wait && !host.runnable &&
        limits_.per_host_pacing.count() == 0) {
        hosts_.erase(it);
        return;
    }
    make_runnable_if_possible(it->first, host);
}

std::vector<std::unique_ptr<feed_transfer>> host_queue::take_waiting() {
    std::vector<std::unique_ptr<feed_transfer>> out;
    for (auto& [key, host] : hosts_) {
        for (auto& t : host.waiting) out.push_back(std::move(t));
        host.waiting.clear();
        if (host.pace_timer) host.pace_timer->cancel();
        host.pacing_wait = false;
    }
    runnable_hosts_.clear();
    ungated_waiting_ = 0;
    return out;
}

void host_queue::clear() {
    hosts_.clear();
    runnable_hosts_.clear();
}

}  // namespace newswatch::http
