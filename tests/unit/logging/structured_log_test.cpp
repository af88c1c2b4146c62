#include "newswatch/logging/structured_log.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>

#include <spdlog/sinks/base_sink.h>
#include <boost/json.hpp>

#include "newswatch/logging/human_log_sink.hpp"
#include "newswatch/logging/journal_log_sink.hpp"
#include "newswatch/logging/json_log_sink.hpp"

namespace newswatch::logging {
namespace {

// A stdio stream in memory-backed temp storage; what the sink wrote, read back.
class captured_stream {
public:
    captured_stream() : file_(std::tmpfile()) {}
    ~captured_stream() { std::fclose(file_); }
    std::FILE* get() const { return file_; }
    std::string text() const {
        std::fflush(file_);
        std::rewind(file_);
        std::string out;
        char buffer[4096];
        std::size_t n;
        while ((n = std::fread(buffer, 1, sizeof buffer, file_)) > 0) out.append(buffer, n);
        return out;
    }

private:
    std::FILE* file_;
};

const std::string hostile_title =
    "x\" alert_id=\"forged\r\n2024-01-01 00:00:00.000 critical [daemon] FAKE\x1b[2J\xc2\x9b\xe2\x80\xae";

bool has_raw_control(const std::string& s) {
    for (const unsigned char c : s)
        if ((c < 0x20 && c != '\n') || c == 0x7f) return true;
    return s.find("\xc2\x9b") != std::string::npos || s.find("\xe2\x80\xae") != std::string::npos;
}

TEST(structured_log, human_rendering_quotes_and_escapes_every_value) {
    const std::string line = render_human("alert", {.event = "alert",
                                                    .feed = "http://127.0.0.1/f",
                                                    .watch = "w",
                                                    .alert_id = "abc",
                                                    .extra = {{"title", hostile_title}, {"status", 200}}});
    EXPECT_EQ(line.find('\n'), std::string::npos) << line;
    EXPECT_FALSE(has_raw_control(line)) << line;
    EXPECT_NE(line.find("alert event=\"alert\" feed=\"http://127.0.0.1/f\" watch=\"w\" alert_id=\"abc\""),
              std::string::npos)
        << line;
    EXPECT_NE(line.find("title=\"x\\\" alert_id=\\\"forged\\x0D\\x0A2024"), std::string::npos) << line;
    EXPECT_NE(line.find("\\x1B[2J\\u{009B}\\u{202E}\" status=200"), std::string::npos) << line;
    // Exactly one unescaped alert_id="
    EXPECT_EQ(line.find(" alert_id=\""), line.rfind(" alert_id=\"")) << line;
}

TEST(structured_log, human_sink_writes_one_line_with_warn_as_the_level_name) {
    captured_stream out;
    spdlog::logger logger("fetcher", std::make_shared<human_log_sink>(out.get()));
    log(logger, spdlog::level::warn, "fetch failed",
        {.event = "fetch", .feed = hostile_title, .outcome = "timeout"});
    logger.warn("plain {} call", "x\ny\x1b");  // a plain spdlog call is escaped by the sink too
    const std::string text = out.text();
    ASSERT_EQ(std::count(text.begin(), text.end(), '\n'), 2) << text;
    EXPECT_NE(text.find(" warn  [fetcher] fetch failed event=\"fetch\" feed=\"x\\\""), std::string::npos)
        << text;
    EXPECT_NE(text.find("plain x\\x0Ay\\x1B call"), std::string::npos) << text;
    EXPECT_EQ(text.find("warning"), std::string::npos) << text;
    EXPECT_FALSE(has_raw_control(text)) << text;
}

TEST(structured_log, json_sink_puts_fields_as_keys_not_inside_the_message) {
    captured_stream out;
    spdlog::logger logger("alerts", std::make_shared<json_log_sink>(out.get()));
    log(logger, spdlog::level::info, "alert",
        {.event = "alert",
         .feed = "http://f/",
         .watch = "membership",
         .sink = "log",
         .alert_id = "0123",
         .outcome = "delivered",
         .extra = {{"title", hostile_title}, {"status", 304}}});
    const std::string text = out.text();
    ASSERT_EQ(std::count(text.begin(), text.end(), '\n'), 1) << text;
    EXPECT_FALSE(has_raw_control(text)) << text;
    const auto v = boost::json::parse(text).as_object();
    EXPECT_EQ(v.at("level").as_string(), "info");
    EXPECT_EQ(v.at("logger").as_string(), "alerts");
    EXPECT_EQ(v.at("message").as_string(), "alert");
    EXPECT_EQ(v.at("event").as_string(), "alert");
    EXPECT_EQ(v.at("feed").as_string(), "http://f/");
    EXPECT_EQ(v.at("watch").as_string(), "membership");
    EXPECT_EQ(v.at("sink").as_string(), "log");
    EXPECT_EQ(v.at("alert_id").as_string(), "0123");
    EXPECT_EQ(v.at("outcome").as_string(), "delivered");
    EXPECT_EQ(v.at("status").as_int64(), 304);
    const std::string title(v.at("title").as_string());
    EXPECT_FALSE(has_raw_control(title)) << title;
    EXPECT_NE(title.find("\\x0D\\x0A2024"), std::string::npos) << title;
}

// The sandbox has no journald for unit tests; the integration test reads real entries back
// where it can start one. Here: the argument list handed to sd_journal_sendv.
TEST(structured_log, journal_entry_carries_newswatch_fields) {
    std::vector<std::string> fields;
    class capture_sink final : public spdlog::sinks::base_sink<std::mutex> {
    public:
        explicit capture_sink(std::vector<std::string>& out) : out_(out) {}

    protected:
        void sink_it_(const spdlog::details::log_msg& msg) override {
            out_ = journal_log_sink::entry_fields(msg, "newswatchd");
        }
        void flush_() override {}

    private:
        std::vector<std::string>& out_;
    };
    spdlog::logger logger("alerts", std::make_shared<capture_sink>(fields));
    log(logger, spdlog::level::warn, "alert",
        {.event = "alert",
         .feed = "http://f/",
         .watch = "membership",
         .sink = "log",
         .alert_id = "0123",
         .outcome = "delivered",
         .extra = {{"title", hostile_title}, {"status", 304}}});
    const auto has = [&](const std::string& f) {
        return std::find(fields.begin(), fields.end(), f) != fields.end();
    };
    EXPECT_TRUE(has("PRIORITY=4"));
    EXPECT_TRUE(has("SYSLOG_IDENTIFIER=newswatchd"));
    EXPECT_TRUE(has("NEWSWATCH_LOGGER=alerts"));
    EXPECT_TRUE(has("NEWSWATCH_FEED=http://f/"));
    EXPECT_TRUE(has("NEWSWATCH_WATCH=membership"));
    EXPECT_TRUE(has("NEWSWATCH_ALERT_ID=0123"));
    EXPECT_TRUE(has("NEWSWATCH_EVENT=alert"));
    EXPECT_TRUE(has("NEWSWATCH_OUTCOME=delivered"));
    EXPECT_TRUE(has("NEWSWATCH_SINK=log"));
    EXPECT_TRUE(has("NEWSWATCH_STATUS=304"));
    ASSERT_FALSE(fields.empty());
    EXPECT_TRUE(fields[0].starts_with("MESSAGE=[alerts] alert event=\"alert\"")) << fields[0];
    for (const auto& f : fields) EXPECT_FALSE(has_raw_control(f)) << f;
}

TEST(structured_log, level_names_are_the_same_on_input_and_output) {
    for (const char* name : {"trace", "debug", "info", "warn", "error", "critical", "off"}) {
        const auto level = parse_level(name);
        ASSERT_TRUE(level) << name;
        EXPECT_EQ(level_name(*level), name);
    }
    EXPECT_EQ(parse_level("warning"), spdlog::level::warn);  // older configurations
    EXPECT_FALSE(parse_level("verbose"));
}

}  // namespace
}  // namespace newswatch::logging
