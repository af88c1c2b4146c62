#include "service_status.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>

#include <boost/json.hpp>

#include "newswatch/core/errc.hpp"

namespace newswatch::app {

namespace fs = std::filesystem;
namespace json = boost::json;

feed_counts count_feeds(const std::vector<store::feed_state>& states) {
    feed_counts c;
    for (const auto& s : states) {
        if (s.retired)
            ++c.retired;
        else if (s.consecutive_failures > 0)
            ++c.failing;
        else if (!s.last_fetch_at)
            ++c.never_fetched;
        else
            ++c.ok;
    }
    return c;
}

std::optional<core::timestamp> last_poll_of(const std::vector<store::feed_state>& states) {
    std::optional<core::timestamp> last;
    for (const auto& s : states)
        if (s.last_fetch_at && (!last || *s.last_fetch_at > *last)) last = s.last_fetch_at;
    return last;
}

namespace {

json::value time_or_null(const std::optional<core::timestamp>& t) {
    if (!t) return nullptr;
    return json::string(core::format_rfc3339(*t));
}

std::optional<core::timestamp> time_of(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (!v || !v->is_string()) return std::nullopt;
    return core::parse_rfc3339(v->as_string());
}

std::string string_of(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::int64_t integer_of(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (!v) return 0;
    if (v->is_int64()) return v->as_int64();
    if (v->is_uint64()) return static_cast<std::int64_t>(v->as_uint64());
    return 0;
}

const json::object& object_of(const json::object& o, std::string_view key) {
    static const json::object empty;
    const auto* v = o.if_contains(key);
    return v && v->is_object() ? v->as_object() : empty;
}

}  // namespace

json::object to_json(const service_status& status) {
    json::object o;
    o["pid"] = status.pid;
    o["running"] = status.running;
    o["version"] = status.version;
    o["config"] = status.config;
    o["state_dir"] = status.state_dir;
    o["started_at"] = core::format_rfc3339(status.started_at);
    o["updated_at"] = core::format_rfc3339(status.updated_at);
    o["feeds"] = json::object{{"total", status.feeds.total()},
                              {"ok", status.feeds.ok},
                              {"failing", status.feeds.failing},
                              {"retired", status.feeds.retired},
                              {"never_fetched", status.feeds.never_fetched}};
    o["last_round"] = time_or_null(status.last_round);
    o["alerts"] = json::object{{"pending", status.alerts.pending}, {"retrying", status.alerts.retrying}};
    json::object reload{{"count", status.reload.count},
                        {"at", time_or_null(status.reload.at)},
                        {"accepted", status.reload.accepted}};
    if (!status.reload.accepted) reload["error"] = status.reload.error;
    o["reload"] = std::move(reload);
    return o;
}

fs::path status_file_of(const fs::path& state_dir) {
    return state_dir / "status.json";
}

core::result<void> write_status_file(const fs::path& state_dir, const service_status& status) noexcept {
    try {
        const fs::path file = status_file_of(state_dir);
        const fs::path temporary = state_dir / ".status.json.tmp";
        const std::string text = json::serialize(to_json(status)) + "\n";
        const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
        if (fd < 0)
            return core::error{core::errc::io_error,
                               "cannot write " + temporary.string() + ": " + std::strerror(errno)};
        const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
        const int error = errno;
        ::close(fd);
        if (!written || ::rename(temporary.c_str(), file.c_str()) != 0)
            return core::error{core::errc::io_error, "cannot write " + file.string() + ": " +
                                                         std::strerror(written ? errno : error)};
        return {};
    } catch (const std::exception& e) {
        return core::error{core::errc::io_error, e.what()};
    }
}

std::optional<service_status> read_status_file(const fs::path& state_dir) {
    std::ifstream in(status_file_of(state_dir));
    if (!in) return std::nullopt;
    std::stringstream text;
    text << in.rdbuf();
    boost::system::error_code ec;
    const json::value parsed = json::parse(text.str(), ec);
    if (ec || !parsed.is_object()) return std::nullopt;
    const json::object& o = parsed.as_object();
    service_status s;
    s.pid = static_cast<pid_t>(integer_of(o, "pid"));
    const auto* running = o.if_contains("running");
    s.running = running && running->is_bool() && running->as_bool();
    s.version = string_of(o, "version");
    s.config = string_of(o, "config");
    s.state_dir = string_of(o, "state_dir");
    s.started_at = time_of(o, "started_at").value_or(core::timestamp{});
    s.updated_at = time_of(o, "updated_at").value_or(core::timestamp{});
    const json::object& feeds = object_of(o, "feeds");
    s.feeds.ok = static_cast<std::size_t>(integer_of(feeds, "ok"));
    s.feeds.failing = static_cast<std::size_t>(integer_of(feeds, "failing"));
    s.feeds.retired = static_cast<std::size_t>(integer_of(feeds, "retired"));
    s.feeds.never_fetched = static_cast<std::size_t>(integer_of(feeds, "never_fetched"));
    s.last_round = time_of(o, "last_round");
    const json::object& alerts = object_of(o, "alerts");
    s.alerts.pending = integer_of(alerts, "pending");
    s.alerts.retrying = integer_of(alerts, "retrying");
    const json::object& reload = object_of(o, "reload");
    s.reload.count = static_cast<std::uint64_t>(integer_of(reload, "count"));
    s.reload.at = time_of(reload, "at");
    const auto* accepted = reload.if_contains("accepted");
    s.reload.accepted = !accepted || !accepted->is_bool() || accepted->as_bool();
    s.reload.error = string_of(reload, "error");
    return s;
}

std::string with_thousands(std::uint64_t n) {
    std::string digits = std::to_string(n), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

std::string systemd_status_line(const service_status& status) {
    std::string line = with_thousands(status.feeds.total()) + " feeds, " +
                       with_thousands(status.feeds.failing) + " failing; last round ";
    if (status.last_round) {
        const std::time_t t = std::chrono::system_clock::to_time_t(*status.last_round);
        std::tm tm{};
        localtime_r(&t, &tm);
        char buffer[16];
        std::strftime(buffer, sizeof buffer, "%H:%M:%S", &tm);
        line += buffer;
    } else {
        line += "none yet";
    }
    line += "; " + with_thousands(static_cast<std::uint64_t>(status.alerts.pending)) +
            (status.alerts.pending == 1 ? " alert pending" : " alerts pending");
    return line;
}

}  // namespace newswatch::app
