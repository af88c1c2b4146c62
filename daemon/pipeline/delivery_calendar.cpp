#include "newswatch/pipeline/delivery_calendar.hpp"

#include <chrono>

namespace newswatch::pipeline {

delivery_calendar::delivery_calendar(const config::delivery_policy& policy)
    : clock_(policy.timezone),
      digest_(policy.digest),
      digest_offset_(policy.digest_at.value_or(0)),
      quiet_(policy.quiet_hours) {}

bool delivery_calendar::in_quiet_hours(core::timestamp t) const {
    if (!quiet_) return false;
    const int now = clock_.minutes_of_day(t);
    const auto [start, end] = *quiet_;
    return start < end ? (now >= start && now < end) : (now >= start || now < end);
}

core::timestamp delivery_calendar::next_digest_boundary(core::timestamp t) const {
    // The period divides a day (the config loader checks it): the boundaries are the same
    // times of day every day, offset + k * period. The first of them after t's time of day,
    // else the first of the next day; next_time_of_day makes that an instant, DST-correct.
    const int period = static_cast<int>(std::chrono::duration_cast<std::chrono::minutes>(digest_).count());
    if (period <= 0) return t;
    const int now = clock_.minutes_of_day(t);
    int first = digest_offset_ % period;
    int next = first;
    while (next <= now && next + period < 1440) next += period;
    if (next <= now) next = first;  // past the day's last boundary: tomorrow's first
    return clock_.next_time_of_day(t, next);
}

core::timestamp delivery_calendar::release_of(core::timestamp queued) const {
    core::timestamp release = digest_.count() > 0 ? next_digest_boundary(queued) : queued;
    if (in_quiet_hours(release)) release = clock_.next_time_of_day(release, quiet_->second);
    return release;
}

}  // namespace newswatch::pipeline
