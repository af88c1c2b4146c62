#pragma once
// When a sink's digest and quiet hours let an outbox entry go (issue #13 item 4).
// A digest sink sends what was queued in one period at the period's end; periods are
// aligned to local midnight (plus `digest_at`). Quiet hours defer everything queued in
// them, and any digest that falls in them, to their end. Urgent alerts are not held; that
// is the dispatcher's decision, not the calendar's.
#include <optional>
#include <utility>

#include "newswatch/config/config.hpp"
#include "newswatch/config/local_clock.hpp"
#include "newswatch/core/time.hpp"

namespace newswatch::pipeline {

class delivery_calendar {
public:
    // Throws std::runtime_error for an unknown time zone (startup only; the config loader
    // has already checked it).
    explicit delivery_calendar(const config::delivery_policy& policy);

    // True when the sink holds anything back (a digest or quiet hours).
    bool holds_back() const noexcept { return digest_.count() > 0 || quiet_.has_value(); }
    bool is_digest() const noexcept { return digest_.count() > 0; }

    // The moment an entry queued at `queued` may go: `queued` itself when nothing holds it.
    core::timestamp release_of(core::timestamp queued) const;
    bool in_quiet_hours(core::timestamp t) const;
    // The next digest boundary after `t` (only for a digest sink).
    core::timestamp next_digest_boundary(core::timestamp t) const;

private:
    config::local_clock clock_;
    core::seconds digest_{0};
    int digest_offset_ = 0;  // minutes after midnight
    std::optional<std::pair<int, int>> quiet_;
};

}  // namespace newswatch::pipeline
