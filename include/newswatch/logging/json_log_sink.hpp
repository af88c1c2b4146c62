#pragma once
// The json format: one object per line on a stdio stream (stderr),
// {"time":"2024-07-09T12:00:00.123Z","level":"warn","logger":"fetcher","message":"fetch failed",
//  "event":"fetch","feed":"…","outcome":"timeout","status":0}
// The fields are keys of their own, never inside "message"; string values are escaped for
// logs (core::append_log_escaped, bare) and then for JSON.
#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>

#include <spdlog/sinks/base_sink.h>

namespace newswatch::logging {

class json_log_sink final : public spdlog::sinks::base_sink<std::mutex> {
public:
    explicit json_log_sink(std::FILE* target = stderr) : target_(target) {}

    // The line for `msg`, without the newline; for tests.
    static std::string render(const spdlog::details::log_msg& msg);

protected:
    void sink_it_(const spdlog::details::log_msg& msg) override;
    void flush_() override { std::fflush(target_); }

private:
    std::FILE* target_;
};

}  // namespace newswatch::logging
