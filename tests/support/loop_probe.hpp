#pragma once
// Waiting on an event loop and on processes, for tests of components that run children or
// talk to servers: conditions with generous limits, never sleeps-and-hope.
#include <sys/types.h>

#include <chrono>
#include <functional>
#include <string>

#include <boost/asio/io_context.hpp>

#include "test_paths.hpp"

namespace newswatch::testing {

// Runs `io` until `done()` holds or `limit` has passed; returns done(). `io` must have work
// (an executor_work_guard) or run_one_for returns at once.
inline bool run_until(boost::asio::io_context& io, const std::function<bool()>& done,
                      std::chrono::seconds limit = std::chrono::seconds(120)) {
    for (auto until = std::chrono::steady_clock::now() + limit;
         !done() && std::chrono::steady_clock::now() < until;)
        io.run_one_for(std::chrono::milliseconds(50));
    return done();
}

// The process is gone, or a zombie waiting for an init that does not reap (as in some
// containers): either way it runs no more.
inline bool process_gone(pid_t pid) {
    std::string stat;
    try {
        stat = read_file("/proc/" + std::to_string(pid) + "/stat");
    } catch (...) {
        return true;
    }
    const auto paren = stat.rfind(')');
    return paren != std::string::npos && paren + 2 < stat.size() && stat[paren + 2] == 'Z';
}

}  // namespace newswatch::testing
