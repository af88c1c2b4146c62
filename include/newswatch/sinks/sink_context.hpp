#pragma once
// What a channel needs from the daemon to be built. Not owned: the daemon keeps the
// executor's loop and the HTTP client alive longer than every sink.
#include <filesystem>

#include <boost/asio/any_io_executor.hpp>

namespace newswatch::http {
class http_client;
}

namespace newswatch::sinks {

struct sink_context {
    // The daemon's event loop: every sink runs and completes there.
    boost::asio::any_io_executor executor;
    // The shared curl-multi client (null in `newswatch check`, which builds the sinks only
    // to validate them: a sink must not use it in its constructor).
    http::http_client* http = nullptr;
    // Where "{state_dir}/..." paths point.
    std::filesystem::path state_dir;
};

}  // namespace newswatch::sinks
