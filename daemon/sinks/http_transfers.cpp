#include "newswatch/sinks/http_transfers.hpp"

#include <memory>

namespace newswatch::sinks {

void http_transfers::start(http::http_request request, result_of result, alert_sink::completion done) {
    if (client_ == nullptr) return done(delivery_result::retry("no HTTP client"));
    auto id = std::make_shared<http::http_client::transfer_id>(0);
    *id = client_->async_request(std::move(request),
                                 [this, alive = lifetime_.watch(), id, result = std::move(result),
                                  done = std::move(done)](http::http_response response) {
                                     if (!alive.expired()) in_flight_.erase(*id);
                                     if (response.outcome == http::fetch_outcome::cancelled)
                                         return done(delivery_result::retry("cancelled"));
                                     done(result(response));
                                 });
    in_flight_.emplace(*id, true);
}

void http_transfers::cancel_all() noexcept {
    auto ids = std::move(in_flight_);
    in_flight_.clear();
    if (client_ != nullptr)
        for (const auto& [id, unused] : ids) client_->cancel(id);
}

}  // namespace newswatch::sinks
