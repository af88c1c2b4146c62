#pragma once
// The requests an HTTP channel (webhook, the chat channels) has in flight on the daemon's
// HTTP client: each started with its answer mapped to a delivery result, all cancelled
// together at shutdown. A completion that runs after the owner is gone touches nothing of
// it (CONTRIBUTING.md, "Lifetimes": a lifetime token).
#include <functional>
#include <unordered_map>

#include "newswatch/core/lifetime_token.hpp"
#include "newswatch/http/http_client.hpp"
#include "newswatch/sinks/alert_sink.hpp"

namespace newswatch::sinks {

class http_transfers {
public:
    using result_of = std::function<delivery_result(const http::http_response&)>;

    // `client` may be null (`newswatch check` builds sinks without one): every start then
    // reports retry("no HTTP client"). It must outlive this object or cancel_all() must
    // have run. Executor thread only.
    explicit http_transfers(http::http_client* client) : client_(client) {}
    ~http_transfers() { cancel_all(); }
    http_transfers(const http_transfers&) = delete;
    http_transfers& operator=(const http_transfers&) = delete;

    // Sends `request`; `done` gets retry("cancelled") when it was cancelled, else
    // `result(response)`. `done` runs on the executor, inline only without a client.
    void start(http::http_request request, result_of result, alert_sink::completion done);
    // Aborts every request in flight; their completions report retry("cancelled").
    void cancel_all() noexcept;

private:
    http::http_client* client_;
    std::unordered_map<http::http_client::transfer_id, bool> in_flight_;
    core::lifetime_token lifetime_;
};

}  // namespace newswatch::sinks
