#include "newswatch/config/local_clock.hpp"

#include <cstdlib>
#include <stdexcept>

#include <date/tz.h>

namespace newswatch::config {
namespace {

using namespace std::chrono;

const date::time_zone* zone_of(const std::string& name) {
    if (!name.empty()) return date::locate_zone(name);
    if (const char* tz = std::getenv("TZ"); tz != nullptr && *tz != '\0') {
        std::string_view v(tz);
        if (v.front() == ':') v.remove_prefix(1);
        try {
            return date::locate_zone(v);
        } catch (const std::exception&) {
            // A TZ value the database does not know: the system's zone below.
        }
    }
    try {
        return date::current_zone();
    } catch (const std::exception&) {
        return date::locate_zone("UTC");  // no /etc/localtime (a bare container)
    }
}

const date::time_zone* as_zone(const void* z) {
    return static_cast<const date::time_zone*>(z);
}

date::local_seconds local_of(const date::time_zone* z, core::timestamp t) {
    return z->to_local(date::sys_seconds{t.time_since_epoch()});
}

core::timestamp sys_of(const date::time_zone* z, date::local_seconds local) {
    // Ambiguous (a fall-back hour): the earlier instant. Nonexistent (a spring-forward gap):
    // the instant the gap ends.
    const auto info = z->get_info(local);
    if (info.result == date::local_info::nonexistent)
        return core::timestamp{info.first.end.time_since_epoch()};
    return core::timestamp{z->to_sys(local, date::choose::earliest).time_since_epoch()};
}

}  // namespace

std::optional<int> parse_time_of_day(std::string_view text) {
    if (text.size() != 5 || text[2] != ':') return std::nullopt;
    auto digit = [&](std::size_t i) { return text[i] >= '0' && text[i] <= '9' ? text[i] - '0' : -1; };
    for (std::size_t i : {0u, 1u, 3u, 4u})
        if (digit(i) < 0) return std::nullopt;
    const int h = digit(0) * 10 + digit(1), m = digit(3) * 10 + digit(4);
    if (m > 59 || h > 24 || (h == 24 && m != 0)) return std::nullopt;
    return h * 60 + m;
}

std::optional<std::pair<int, int>> parse_time_range(std::string_view text) {
    const auto dash = text.find('-');
    if (dash == std::string_view::npos) return std::nullopt;
    auto trim = [](std::string_view s) {
        while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
        while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
        return s;
    };
    const auto start = parse_time_of_day(trim(text.substr(0, dash)));
    const auto end = parse_time_of_day(trim(text.substr(dash + 1)));
    if (!start || !end || *start % 1440 == *end % 1440) return std::nullopt;
    return std::pair{*start % 1440, *end % 1440};
}

std::string format_time_of_day(int minutes) {
    char out[8];
    std::snprintf(out, sizeof out, "%02d:%02d", minutes / 60 % 100, minutes % 60);
    return out;
}

bool is_known_time_zone(const std::string& name) noexcept {
    try {
        return zone_of(name) != nullptr;
    } catch (const std::exception&) {
        return false;
    }
}

local_clock::local_clock(const std::string& zone) : name_(zone), zone_(nullptr) {
    try {
        const auto* z = zone_of(zone);
        zone_ = z;
        if (name_.empty()) name_ = std::string(z->name());
    } catch (const std::exception& e) {
        throw std::runtime_error("unknown time zone \"" + zone +
                                 "\" (an IANA name such as Europe/Kyiv): " + e.what());
    }
}

int local_clock::minutes_of_day(core::timestamp t) const {
    const auto local = local_of(as_zone(zone_), t);
    const auto since_midnight = local - floor<days>(local);
    return static_cast<int>(duration_cast<minutes>(since_midnight).count());
}

core::timestamp local_clock::midnight(core::timestamp t, int extra_days) const {
    const auto local = local_of(as_zone(zone_), t);
    return sys_of(as_zone(zone_), floor<days>(local) + days{extra_days});
}

core::timestamp local_clock::next_time_of_day(core::timestamp t, int minutes_after_midnight) const {
    const auto* z = as_zone(zone_);
    const auto day = floor<days>(local_of(z, t));
    for (int d = -1; d <= 2; ++d) {
        const auto candidate = sys_of(z, day + days{d} + minutes{minutes_after_midnight});
        if (candidate > t) return candidate;
    }
    return t + hours{24};  // unreachable: a day always has the time or the gap's end
}

}  // namespace newswatch::config
