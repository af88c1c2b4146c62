#pragma once
// Wall-clock times of day in an IANA time zone ("08:00" in Europe/Kyiv), DST-correct,
// for digests and quiet hours. libstdc++ 12 has no time-zone database: this uses Howard
// Hinnant's date library (Debian's libhowardhinnant-date-dev) over the system's tzdata.
#include <optional>
#include <string>
#include <string_view>

#include "newswatch/core/time.hpp"

namespace newswatch::config {

// "HH:MM" as minutes after midnight; nullopt unless 00:00-23:59 (24:00 is also accepted,
// as the end of a day).
std::optional<int> parse_time_of_day(std::string_view text);
// "HH:MM-HH:MM": start and end minutes; nullopt when malformed or empty (start == end).
std::optional<std::pair<int, int>> parse_time_range(std::string_view text);
// "08:00".
std::string format_time_of_day(int minutes);

// True when `name` is a zone the system's database knows ("" is the system's zone).
bool is_known_time_zone(const std::string& name) noexcept;

class local_clock {
public:
    // `zone`: an IANA name, "" for the system's zone (TZ, /etc/localtime; UTC if neither).
    // Throws std::runtime_error for an unknown zone (startup only).
    explicit local_clock(const std::string& zone);

    const std::string& zone_name() const noexcept { return name_; }

    // Minutes after local midnight at `t`.
    int minutes_of_day(core::timestamp t) const;
    // The first instant after `t` whose local time of day is `minutes` (a time skipped by a
    // DST change maps to the instant after the gap).
    core::timestamp next_time_of_day(core::timestamp t, int minutes) const;
    // Local midnight of the day of `t` and of the following `days` days, as instants.
    core::timestamp midnight(core::timestamp t, int days = 0) const;

private:
    std::string name_;
    const void* zone_;  // const date::time_zone*: kept out of this header
};

}  // namespace newswatch::config
