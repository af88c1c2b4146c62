#pragma once
// Writes one human-readable log line per alert through the "alerts" spdlog logger
// (the journal under systemd, stderr otherwise).
#include "newswatch/sinks/alert_sink.hpp"

namespace newswatch::sinks {

class log_sink final : public alert_sink {
public:
    log_sink(std::string name, std::string level);
    std::string_view type() const noexcept override { return "log"; }

protected:
    void deliver_(std::string_view payload, completion done) override;

private:
    std::shared_ptr<spdlog::logger> logger_;
    spdlog::level::level_enum level_;
};

// "alert watch=membership feed=<title or url> title=\"...\" link=<url> matched=NATO,Ukraine"
std::string format_alert_line(std::string_view payload);

}  // namespace newswatch::sinks
