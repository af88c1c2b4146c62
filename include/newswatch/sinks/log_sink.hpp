#pragma once
// Writes one log line per alert through the "alerts" logger (the journal under systemd,
// stderr otherwise), with the alert's watch, feed, id and sink as log fields:
//   alert event="alert" feed="https://…" watch="membership" sink="log" alert_id="…"
//         feed_title="…" title="…" link="…" matched="NATO,Ukraine"
#include <string>
#include <utility>
#include <vector>

#include "newswatch/logging/log_fields.hpp"
#include "newswatch/sinks/alert_sink.hpp"

namespace newswatch::sinks {

class log_sink final : public alert_sink {
public:
    log_sink(std::string name, std::string level);
    std::string_view type() const noexcept override { return "log"; }

protected:
    void deliver_(const delivery_message& message, completion done) override;

private:
    std::shared_ptr<spdlog::logger> logger_;
    spdlog::level::level_enum level_;
};

// The message and fields the log sink writes for one payload (an alert or a feed_health
// event); owns its strings, fields() views them.
struct alert_log_entry {
    std::string message;
    std::string event, feed, watch, sink, alert_id, outcome;
    std::vector<std::pair<std::string, std::string>> extra;
    logging::log_fields fields() const;
};
alert_log_entry alert_log_entry_of(std::string_view payload, std::string_view sink);

// The human rendering of alert_log_entry_of (what the human log format shows after the level).
std::string format_alert_line(std::string_view payload, std::string_view sink = "log");

}  // namespace newswatch::sinks
