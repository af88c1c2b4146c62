#pragma once
// Worker threads for the CPU-heavy part of a poll (parsing, matching, stance), so the
// event loop thread keeps fetching and storing while documents are being read. With zero
// threads the work runs inline on the caller's thread.
#include <cstddef>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace newswatch::pipeline {

class compute_pool {
public:
    // `threads` == 0: no workers, run() computes inline.
    explicit compute_pool(std::size_t threads) : threads_(threads) {
        if (threads > 0) pool_.emplace(threads);
    }
    // Joins the workers: every task already handed over finishes first.
    ~compute_pool() { join(); }
    compute_pool(const compute_pool&) = delete;
    compute_pool& operator=(const compute_pool&) = delete;

    void join() {
        if (pool_) pool_->join();
    }
    std::size_t threads() const noexcept { return threads_; }

    // Runs `work` on a worker and resumes the awaiting coroutine on its own executor with
    // the result. `work` must be noexcept in effect (it runs where nobody can catch) and
    // must only touch what is immutable or owned by it while it runs.
    template <class Work>
    boost::asio::awaitable<std::invoke_result_t<Work&>> run(Work work) {
        using result_type = std::invoke_result_t<Work&>;
        if (!pool_) co_return work();
        co_return co_await boost::asio::async_initiate<decltype(boost::asio::use_awaitable),
                                                       void(result_type)>(
            [this](auto handler, Work w) {
                auto home = boost::asio::get_associated_executor(handler);
                boost::asio::post(pool_->get_executor(), [w = std::move(w), handler = std::move(handler),
                                                          home = std::move(home)]() mutable {
                    result_type value = w();
                    boost::asio::post(home,
                                      [handler = std::move(handler), value = std::move(value)]() mutable {
                                          std::move(handler)(std::move(value));
                                      });
                });
            },
            boost::asio::use_awaitable, std::move(work));
    }

private:
    std::optional<boost::asio::thread_pool> pool_;
    std::size_t threads_;
};

}  // namespace newswatch::pipeline
