#pragma once
// One JSON object per log line on stderr, with the message properly escaped:
// {"time":"2024-07-09T12:00:00.123Z","level":"info","logger":"pipeline","message":"..."}
#include <cstdio>
#include <string>

#include <spdlog/details/null_mutex.h>
#include <spdlog/sinks/base_sink.h>

namespace newswatch::app {

class json_log_sink final : public spdlog::sinks::base_sink<spdlog::details::null_mutex> {
protected:
    void sink_it_(const spdlog::details::log_msg& msg) override;
    void flush_() override { std::fflush(stderr); }
};

std::string json_escape(std::string_view text);

}  // namespace newswatch::app
