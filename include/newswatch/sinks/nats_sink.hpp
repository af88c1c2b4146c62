#pragma once
// Publishes each payload to a NATS JetStream subject with the header `Nats-Msg-Id: <id>`,
// so the stream's duplicate window drops an alert that is sent again (a retry after a
// lost ack, a replay, a restart after a crash). The server's publish ack means delivered;
// no ack within `timeout`, no connection, or no stream for the subject mean retry.
//
// cnats works on threads of its own: the connection is made on a short-lived thread (so a
// slow DNS lookup or an unreachable server never blocks the loop), publishes are
// asynchronous (js_PublishMsgAsync), and cnats's ack callbacks only post the outcome to the
// executor. cnats reconnects by itself; the sink starts a new connection only when cnats
// has given up (closed) or the first attempt failed outright. Credentials are cnats's to
// read; they are never logged, and logged server URLs show only scheme, host and port.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include <nats/nats.h>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "newswatch/config/config.hpp"
#include "newswatch/core/lifetime_token.hpp"
#include "newswatch/sinks/alert_sink.hpp"
#include "newswatch/sinks/sink_context.hpp"

namespace newswatch::sinks {

class nats_sink final : public alert_sink {
public:
    // Call on the executor. Starts connecting at once (unless `executor` is empty, as in
    // `newswatch check`); deliveries before the connection is up are retried.
    nats_sink(std::string name, boost::asio::any_io_executor executor, config::nats_sink_options options);
    // Waits for a connection attempt still running (bounded by the connect timeout, 5 s).
    ~nats_sink() override;
    std::string_view type() const noexcept override { return "nats"; }
    void cancel_all() noexcept override;

    // The server list with any user:password@ or token@ removed, for logs and details.
    static std::string loggable_servers(std::string_view servers);

protected:
    void deliver_(const delivery_message& message, completion done) override;

private:
public:
    struct shared_state;  // what cnats's threads share with the loop (nats_sink.cpp)

private:
    struct in_flight {
        completion done;
        const natsMsg* msg = nullptr;  // the key of its ack in shared_state::tokens
        std::unique_ptr<boost::asio::steady_timer> deadline;
    };
    friend struct nats_callbacks;

    void connect();
    std::optional<delivery_result> not_ready();
    // A delivery in in_flight_ under a new token; answered with retry(expired) after `wait`
    // (none when zero).
    std::uint64_t track(completion done, std::chrono::milliseconds wait, std::string expired);
    void arm_deadline(std::uint64_t token, std::chrono::milliseconds wait, std::string expired);
    void publish(std::uint64_t token, const delivery_message& message);
    void complete(std::uint64_t token, delivery_result result);

    boost::asio::any_io_executor executor_;
    config::nats_sink_options options_;
    std::string servers_for_logs_;
    std::shared_ptr<shared_state> state_;
    // Used and destroyed on the executor only; the connector thread hands them over.
    natsConnection* connection_ = nullptr;
    jsCtx* js_ = nullptr;
    std::chrono::steady_clock::time_point last_connect_{};
    bool connecting_ = false;  // a connector thread runs and has not handed over yet
    std::thread connector_;
    struct parked_delivery {
        std::uint64_t token;
        delivery_message message;
    };
    std::vector<parked_delivery> parked_;  // waiting for the first connection
    std::uint64_t next_token_ = 0;
    std::unordered_map<std::uint64_t, in_flight> in_flight_;  // by token, on the executor only
    core::lifetime_token lifetime_;
};

// Throws config::config_error (startup) when creds_file cannot be read.
std::unique_ptr<alert_sink> make_nats_sink(const config::sink_config& config, const sink_context& context);

}  // namespace newswatch::sinks
