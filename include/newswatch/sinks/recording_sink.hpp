#pragma once
// Keeps every payload in memory; for tests (after spdlog's test sink). Can be told to fail.
#include <string>
#include <vector>

#include "newswatch/sinks/alert_sink.hpp"

namespace newswatch::sinks {

class recording_sink final : public alert_sink {
public:
    explicit recording_sink(std::string name) : alert_sink(std::move(name)) {}
    std::string_view type() const noexcept override { return "recording"; }
    const std::vector<std::string>& payloads() const noexcept { return payloads_; }
    void fail_with(std::string message) { failure_ = std::move(message); }

protected:
    void deliver_(const delivery_message& message, completion done) override;

private:
    std::vector<std::string> payloads_;
    std::string failure_;
};

}  // namespace newswatch::sinks
