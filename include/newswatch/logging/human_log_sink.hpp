#pragma once
// The human format: "2024-07-09 12:00:00.123 warn  [fetcher] fetch failed feed="…" …", one
// line per record on a stdio stream (stderr), the level coloured when it is a terminal.
// Every part that came from outside is escaped (structured_log.hpp), so no value can end
// the line or fake another one.
#include <cstdio>
#include <mutex>

#include <spdlog/sinks/base_sink.h>

namespace newswatch::logging {

class human_log_sink final : public spdlog::sinks::base_sink<std::mutex> {
public:
    explicit human_log_sink(std::FILE* target = stderr);

protected:
    void sink_it_(const spdlog::details::log_msg& msg) override;
    void flush_() override { std::fflush(target_); }

private:
    std::FILE* target_;
    bool colour_;
};

}  // namespace newswatch::logging
