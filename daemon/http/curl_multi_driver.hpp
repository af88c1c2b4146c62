#pragma once
// libcurl's multi interface driven by Boost.Asio: one watcher per curl socket, one timer,
// finished transfers collected after each curl call. Knows nothing about HTTP: it runs any
// easy handle it is given (feed GETs, sink requests, SMTP). Internal to the http module.
#include <curl/curl.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <unordered_map>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

namespace newswatch::http {

struct socket_watch;

class curl_multi_driver : public std::enable_shared_from_this<curl_multi_driver> {
public:
    // Called once when curl is done with an easy handle (already removed from the multi).
    using on_done = std::function<void(CURLcode)>;

    // Executor thread only, like every member. `max_connects`: idle connections kept.
    curl_multi_driver(boost::asio::any_io_executor executor, long max_connects);
    ~curl_multi_driver();
    curl_multi_driver(const curl_multi_driver&) = delete;
    curl_multi_driver& operator=(const curl_multi_driver&) = delete;

    // Adds `easy`; `done` runs from inside a later socket or timer event. False when curl
    // refuses the handle (`done` is then never called).
    bool add(CURL* easy, on_done done);
    // Takes `easy` off the multi without calling its `done` (it may be running).
    void remove(CURL* easy) noexcept;

    // Runs after each batch of finished transfers (the client starts queued work there).
    void set_after_completions(std::function<void()> after) { after_completions_ = std::move(after); }

    // Stops watching sockets and the timer; the multi handle is cleaned up. Every handle
    // must have been removed before.
    void shutdown() noexcept;

private:
    static int on_curl_socket(CURL*, curl_socket_t s, int what, void* user, void* socketp) noexcept;
    static int on_curl_timer(CURLM*, long timeout_ms, void* user) noexcept;
    void want_timeout(long timeout_ms) noexcept;
    void on_timeout();
    void arm(const std::shared_ptr<socket_watch>& watch);
    void on_ready(const std::shared_ptr<socket_watch>& watch, int direction, boost::system::error_code ec);
    void collect_done();

    using clock_type = std::chrono::steady_clock;
    boost::asio::any_io_executor executor_;
    boost::asio::steady_timer timer_;
    CURLM* multi_ = nullptr;
    std::unordered_map<curl_socket_t, std::shared_ptr<socket_watch>> sockets_;
    std::unordered_map<CURL*, on_done> handles_;
    std::function<void()> after_completions_;
    bool timer_armed_ = false;
    bool immediate_pending_ = false;
    clock_type::time_point timer_deadline_{};
    std::optional<clock_type::time_point> wanted_deadline_;  // curl's latest deadline
};

}  // namespace newswatch::http
