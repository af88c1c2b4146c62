#include "curl_multi_driver.hpp"

#include <algorithm>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>

namespace newswatch::http {

namespace asio = boost::asio;

// A curl socket watched by Asio. Curl owns the descriptor; we only release it.
struct socket_watch {
    explicit socket_watch(const asio::any_io_executor& ex, curl_socket_t s) : fd(s), descriptor(ex) {
        boost::system::error_code ec;
        descriptor.assign(s, ec);
        failed = static_cast<bool>(ec);
    }
    void close() noexcept {
        closed = true;
        boost::system::error_code ec;
        descriptor.cancel(ec);
        if (descriptor.is_open()) (void)descriptor.release();
    }
    curl_socket_t fd;
    asio::posix::stream_descriptor descriptor;
    int want = 0;
    bool reading = false;
    bool writing = false;
    bool closed = false;
    bool failed = false;
    int errors = 0;  // consecutive failed waits
};

curl_multi_driver::curl_multi_driver(asio::any_io_executor executor, long max_connects)
    : executor_(std::move(executor)), timer_(executor_) {
    multi_ = curl_multi_init();
    curl_multi_setopt(multi_, CURLMOPT_SOCKETFUNCTION, &curl_multi_driver::on_curl_socket);
    curl_multi_setopt(multi_, CURLMOPT_SOCKETDATA, this);
    curl_multi_setopt(multi_, CURLMOPT_TIMERFUNCTION, &curl_multi_driver::on_curl_timer);
    curl_multi_setopt(multi_, CURLMOPT_TIMERDATA, this);
    curl_multi_setopt(multi_, CURLMOPT_PIPELINING, long{CURLPIPE_MULTIPLEX});
    curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS, max_connects);
}

curl_multi_driver::~curl_multi_driver() {
    shutdown();
}

void curl_multi_driver::shutdown() noexcept {
    if (multi_ == nullptr) return;
    for (auto& [easy, done] : handles_) curl_multi_remove_handle(multi_, easy);
    handles_.clear();
    for (auto& [fd, watch] : sockets_) watch->close();
    sockets_.clear();
    timer_.cancel();
    curl_multi_setopt(multi_, CURLMOPT_SOCKETFUNCTION, nullptr);
    curl_multi_setopt(multi_, CURLMOPT_TIMERFUNCTION, nullptr);
    curl_multi_cleanup(multi_);
    multi_ = nullptr;
}

bool curl_multi_driver::add(CURL* easy, on_done done) {
    if (multi_ == nullptr) return false;
    auto [it, inserted] = handles_.emplace(easy, std::move(done));
    if (!inserted) return false;
    if (curl_multi_add_handle(multi_, easy) != CURLM_OK) {
        handles_.erase(it);
        return false;
    }
    return true;
}

void curl_multi_driver::remove(CURL* easy) noexcept {
    if (multi_ == nullptr) return;
    if (handles_.erase(easy) > 0) curl_multi_remove_handle(multi_, easy);
}

int curl_multi_driver::on_curl_socket(CURL*, curl_socket_t s, int what, void* user, void* socketp) noexcept {
    auto& self = *static_cast<curl_multi_driver*>(user);
    try {
        auto* watch = static_cast<socket_watch*>(socketp);
        if (what == CURL_POLL_REMOVE) {
            if (auto it = self.sockets_.find(s); it != self.sockets_.end()) {
                it->second->close();
                self.sockets_.erase(it);
            }
            curl_multi_assign(self.multi_, s, nullptr);
            return 0;
        }
        if (watch == nullptr) {
            auto created = std::make_shared<socket_watch>(self.executor_, s);
            if (created->failed) return -1;
            watch = created.get();
            self.sockets_[s] = std::move(created);
            curl_multi_assign(self.multi_, s, watch);
        }
        watch->want = what;
        self.arm(self.sockets_[s]);
    } catch (...) {
        return -1;
    }
    return 0;
}

// Curl moves its deadline on nearly every call; re-arming the Asio timer each time costs
// a timerfd_settime syscall (measured: a fifth of the CPU of a warm round). So the Asio
// timer is only ever moved earlier; when it fires before curl's latest deadline it is
// re-armed for it, and "now" is a posted handler rather than a timer. Curl does not
// repeat a deadline it already reported, so after each timeout action the deadline is
// read back with curl_multi_timeout instead of waiting for the callback.
int curl_multi_driver::on_curl_timer(CURLM*, long timeout_ms, void* user) noexcept {
    static_cast<curl_multi_driver*>(user)->want_timeout(timeout_ms);
    return 0;
}

void curl_multi_driver::want_timeout(long timeout_ms) noexcept {
    if (timeout_ms < 0) {
        // Nothing left to time: a pending wait would keep io_context::run() busy until
        // it fires (a --once round or `newswatch fetch` would wait for it).
        wanted_deadline_.reset();
        if (timer_armed_) {
            timer_armed_ = false;
            timer_.cancel();
        }
        return;
    }
    if (timeout_ms == 0) {
        wanted_deadline_.reset();
        if (!immediate_pending_) {
            immediate_pending_ = true;
            asio::post(executor_, [weak = weak_from_this()] {
                if (auto s = weak.lock()) {
                    s->immediate_pending_ = false;
                    s->on_timeout();
                }
            });
        }
        return;
    }
    wanted_deadline_ = clock_type::now() + std::chrono::milliseconds(timeout_ms);
    if (timer_armed_ && timer_deadline_ <= *wanted_deadline_) return;
    timer_armed_ = true;
    timer_deadline_ = *wanted_deadline_;
    timer_.expires_at(timer_deadline_);
    timer_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
        if (ec == asio::error::operation_aborted) return;  // moved earlier: a newer wait runs
        auto s = weak.lock();
        if (!s) return;
        s->timer_armed_ = false;
        if (!s->wanted_deadline_) return;
        if (clock_type::now() < *s->wanted_deadline_) {
            // Early: curl's deadline moved later meanwhile.
            const auto left =
                std::chrono::ceil<std::chrono::milliseconds>(*s->wanted_deadline_ - clock_type::now());
            s->want_timeout(std::max<long>(1, static_cast<long>(left.count())));
            return;
        }
        s->on_timeout();
    });
}

void curl_multi_driver::on_timeout() {
    if (multi_ == nullptr) return;
    wanted_deadline_.reset();
    int still_running = 0;
    curl_multi_socket_action(multi_, CURL_SOCKET_TIMEOUT, 0, &still_running);
    collect_done();
    if (multi_ == nullptr || wanted_deadline_ || immediate_pending_) return;
    long ms = -1;
    curl_multi_timeout(multi_, &ms);
    want_timeout(ms);
}

void curl_multi_driver::arm(const std::shared_ptr<socket_watch>& watch) {
    if (watch->closed) return;
    if ((watch->want & CURL_POLL_IN) && !watch->reading) {
        watch->reading = true;
        watch->descriptor.async_wait(asio::posix::descriptor_base::wait_read,
                                     [weak = weak_from_this(), watch](boost::system::error_code ec) {
                                         watch->reading = false;
                                         if (auto s = weak.lock()) s->on_ready(watch, CURL_CSELECT_IN, ec);
                                     });
    }
    if ((watch->want & CURL_POLL_OUT) && !watch->writing) {
        watch->writing = true;
        watch->descriptor.async_wait(asio::posix::descriptor_base::wait_write,
                                     [weak = weak_from_this(), watch](boost::system::error_code ec) {
                                         watch->writing = false;
                                         if (auto s = weak.lock()) s->on_ready(watch, CURL_CSELECT_OUT, ec);
                                     });
    }
}

void curl_multi_driver::on_ready(const std::shared_ptr<socket_watch>& watch, int direction,
                                 boost::system::error_code ec) {
    if (watch->closed || ec == asio::error::operation_aborted || multi_ == nullptr) return;
    if ((watch->want & direction) == 0) return;  // curl no longer cares about this direction
    // A descriptor that keeps failing (closed behind our back) must not spin the loop;
    // curl's own timeouts still end its transfer.
    watch->errors = ec ? watch->errors + 1 : 0;
    int still_running = 0;
    curl_multi_socket_action(multi_, watch->fd, ec ? CURL_CSELECT_ERR : direction, &still_running);
    collect_done();
    if (watch->errors <= 3) arm(watch);
}

void curl_multi_driver::collect_done() {
    CURLMsg* msg = nullptr;
    int left = 0;
    while (multi_ != nullptr && (msg = curl_multi_info_read(multi_, &left)) != nullptr) {
        if (msg->msg != CURLMSG_DONE) continue;
        CURL* easy = msg->easy_handle;
        const CURLcode rc = msg->data.result;
        // A handle removed meanwhile (cancelled) is not reported.
        auto it = handles_.find(easy);
        if (it == handles_.end()) continue;
        auto done = std::move(it->second);
        handles_.erase(it);
        curl_multi_remove_handle(multi_, easy);
        if (done) done(rc);
    }
    if (after_completions_) after_completions_();
}

}  // namespace newswatch::http
