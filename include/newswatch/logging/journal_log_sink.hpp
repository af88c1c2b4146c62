#pragma once
// The journal format: one structured journal entry per record through sd_journal_sendv,
// with MESSAGE ("[fetcher] fetch failed feed=\"…\" …", the human text without time and
// level: the journal keeps those), PRIORITY, SYSLOG_IDENTIFIER, NEWSWATCH_LOGGER and one
// NEWSWATCH_<KEY> field per log field (NEWSWATCH_FEED, NEWSWATCH_WATCH,
// NEWSWATCH_ALERT_ID, NEWSWATCH_EVENT, NEWSWATCH_OUTCOME, NEWSWATCH_SINK, ...), so that
// `journalctl -u newswatch NEWSWATCH_WATCH=membership` finds a watch's lines.
// If the journal stops accepting entries, lines go to `fallback` (stderr, human format)
// after one warning there.
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <spdlog/sinks/base_sink.h>

namespace newswatch::logging {

class journal_log_sink final : public spdlog::sinks::base_sink<std::mutex> {
public:
    journal_log_sink(std::string identifier, spdlog::sink_ptr fallback);

    // The "KEY=value" strings of the entry for `msg`, in the order they are sent; for tests.
    static std::vector<std::string> entry_fields(const spdlog::details::log_msg& msg,
                                                 const std::string& identifier);

    // True when the journal's socket (/run/systemd/journal/socket) accepts a connection.
    static bool journal_available() noexcept;

protected:
    void sink_it_(const spdlog::details::log_msg& msg) override;
    void flush_() override {}

private:
    std::string identifier_;
    spdlog::sink_ptr fallback_;
    bool failed_ = false;
};

}  // namespace newswatch::logging
