#pragma once
// The outbox as `newswatch alerts` reads and changes it: alerts by state, one alert's
// deliveries with their attempts, retrying dead letters and replaying past alerts. A
// running daemon sees the changes at its next drain (within 5 s): they are rows whose next
// attempt is due. Synchronous, on a state_store's connection; failures are values.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "newswatch/core/result.hpp"
#include "newswatch/core/time.hpp"
#include "newswatch/store/state_store.hpp"

namespace newswatch::store {

struct alert_filter {
    std::optional<core::timestamp> since;  // created at or after
    std::string watch;                     // "" = any
    std::string sink;                      // "" = any
    std::string state;                     // "pending", "delivered", "dead"; "" = any
    int limit = 1000;
};

// One alert's delivery to one sink.
struct alert_delivery {
    std::int64_t row_id = 0;
    std::string alert_id;
    std::string sink;
    std::string event;
    std::string watch;
    std::string state;  // "pending", "delivered", "dead"
    core::timestamp created_at{};
    std::optional<core::timestamp> finished_at;      // delivered or dead
    std::optional<core::timestamp> next_attempt_at;  // pending
    int attempts = 0;
    std::string last_error;
    std::string title;    // the item's title from the payload ("" for other events)
    std::string payload;  // only from deliveries_of()
};

struct delivery_attempt {
    core::timestamp at{};
    std::string outcome;  // "delivered", "retry", "dead"
    std::string detail;
};

class alert_history {
public:
    // `store` must outlive this.
    explicit alert_history(state_store& store) : store_(store) {}

    // Newest first.
    core::result<std::vector<alert_delivery>> list(const alert_filter& filter);
    // Every delivery of one alert (or group) id, payload included, by sink.
    core::result<std::vector<alert_delivery>> deliveries_of(std::string_view alert_id);
    core::result<std::vector<delivery_attempt>> attempts_of(std::int64_t row_id);

    // Makes the undelivered deliveries of `alert_id` (dead or waiting) due now, with a fresh
    // attempt budget and max_age. `sink` "" = every sink. Returns how many.
    core::result<std::int64_t> retry(std::string_view alert_id, std::string_view sink, core::timestamp now);
    // The same for every dead letter (of one sink, or of all when `sink` is "").
    core::result<std::int64_t> retry_dead(std::string_view sink, core::timestamp now);
    // Queues every alert created since `since` for `sink` again, with its own id: an
    // existing delivery to that sink is reset, a missing one is added with the payload of
    // the alert's other deliveries. Returns how many.
    core::result<std::int64_t> replay(core::timestamp since, std::string_view sink, core::timestamp now);

private:
    state_store& store_;
};

}  // namespace newswatch::store
