#pragma once
// What the dispatcher hands a sink and what the sink answers. Plain values.
#include <optional>
#include <string>
#include <string_view>

#include "newswatch/core/time.hpp"

namespace newswatch::sinks {

// One delivery. The views stay valid until the delivery's completion has been called.
struct delivery_message {
    // "alert", "alert_group", "feed_health", "storm", "digest", "test" (X-Newswatch-Event).
    std::string_view event;
    // The alert id (or group id): X-Newswatch-Id, Nats-Msg-Id, the seed of an e-mail's
    // Message-ID, a Matrix transaction id. The same on every retry of one delivery.
    std::string_view id;
    std::string_view payload;  // the JSON document
};

enum class delivery_status {
    delivered,
    retry,      // a temporary failure: try again later (network, 5xx, 429, timeout)
    permanent,  // will never succeed as it is (4xx, SMTP 5xx, exit 64-78): a dead letter
};

struct delivery_result {
    delivery_status status = delivery_status::delivered;
    std::string detail;                        // one line for logs and `alerts show`; never a secret
    std::optional<core::seconds> retry_after;  // the server's hint (429/503 Retry-After)

    static delivery_result ok(std::string detail = {});
    static delivery_result retry(std::string detail, std::optional<core::seconds> after = std::nullopt);
    static delivery_result permanent(std::string detail);
    bool delivered() const noexcept { return status == delivery_status::delivered; }
};

// "delivered", "retry", "permanent".
std::string_view to_string(delivery_status status) noexcept;

}  // namespace newswatch::sinks
