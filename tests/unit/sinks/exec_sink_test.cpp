#include "newswatch/sinks/exec_sink.hpp"

#include <gtest/gtest.h>

#include <signal.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <sstream>

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include "loop_probe.hpp"
#include "newswatch/config/config_error.hpp"
#include "test_paths.hpp"

namespace newswatch::sinks {
namespace {

using namespace std::chrono_literals;
using testing::process_gone;
using testing::temp_dir;

constexpr std::string_view alert_id = "0123456789abcdef0123456789abcdef";
const std::string alert_payload =
    R"({"type":"alert","id":"0123456789abcdef0123456789abcdef","watch":"membership","item":{"title":"t"}})";

std::filesystem::path script(const temp_dir& dir, const std::string& name, const std::string& body) {
    const auto path = dir.path() / name;
    testing::write_file(path, "#!/bin/sh\n" + body);
    std::filesystem::permissions(path, std::filesystem::perms::owner_all);
    return path;
}

class exec_sink_test : public ::testing::Test {
protected:
    exec_sink_test() {
        logger_ =
            std::make_shared<spdlog::logger>("sinks", std::make_shared<spdlog::sinks::ostream_sink_mt>(log_));
        logger_->set_level(spdlog::level::debug);
        spdlog::drop("sinks");
        spdlog::register_logger(logger_);
    }
    ~exec_sink_test() override { spdlog::drop("sinks"); }

    std::unique_ptr<exec_sink> make(std::vector<std::string> command, core::seconds timeout = 60s,
                                    std::chrono::milliseconds grace = 5s) {
        return std::make_unique<exec_sink>(
            "runner", io_.get_executor(),
            config::exec_sink_options{.command = std::move(command), .timeout = timeout}, grace);
    }

    delivery_result send(alert_sink& sink, std::string_view payload = alert_payload,
                         std::string_view event = "alert") {
        std::optional<delivery_result> result;
        sink.send({.event = event, .id = alert_id, .payload = payload},
                  [&](delivery_result r) { result = std::move(r); });
        // Generous for a busy machine: the sink's own timeout is what the tests set.
        testing::run_until(io_, [&] { return result.has_value(); });
        EXPECT_TRUE(result) << "no completion within 120 s";
        return result.value_or(delivery_result::retry("no completion"));
    }

    sink_context context() {
        return {.executor = io_.get_executor(), .http = nullptr, .state_dir = dir_.path()};
    }

    std::ostringstream log_;
    std::shared_ptr<spdlog::logger> logger_;
    boost::asio::io_context io_;
    // The loop never runs out of work between deliveries (run_one_for would return at once).
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_{io_.get_executor()};
    temp_dir dir_;
};

// Issue #11: a failing, then a succeeding, then a hanging program.
TEST_F(exec_sink_test, a_failing_then_succeeding_program_is_retried_then_delivered) {
    const auto count = dir_.path() / "count";
    auto sink = make({script(dir_, "flaky",
                             "cat > /dev/null\n"
                             "if [ -e '" +
                                 count.string() +
                                 "' ]; then exit 0; fi\n"
                                 "touch '" +
                                 count.string() + "'; echo 'receiver down' >&2; exit 1")
                          .string()});
    auto first = send(*sink);
    EXPECT_EQ(first.status, delivery_status::retry);
    EXPECT_EQ(first.detail, "exit 1: receiver down");
    auto second = send(*sink);
    EXPECT_EQ(second.status, delivery_status::delivered) << second.detail;
}

TEST_F(exec_sink_test, a_hanging_program_ends_by_the_timeout_and_is_gone_afterwards) {
    const auto pid_file = dir_.path() / "pid";
    auto sink =
        make({script(dir_, "hang", "echo $$ > '" + pid_file.string() + "'; exec sleep 1000").string()}, 1s);
    auto r = send(*sink);
    EXPECT_EQ(r.status, delivery_status::retry);
    EXPECT_NE(r.detail.find("timed out after 1s"), std::string::npos) << r.detail;
    EXPECT_TRUE(process_gone(std::stoi(testing::read_file(pid_file))));
}

TEST_F(exec_sink_test, a_program_that_ignores_sigterm_is_killed) {
    auto sink =
        make({script(dir_, "stubborn", "trap '' TERM; while :; do sleep 0.1; done").string()}, 1s, 1s);
    auto r = send(*sink);
    EXPECT_EQ(r.status, delivery_status::retry);
    EXPECT_NE(r.detail.find("timed out"), std::string::npos) << r.detail;
}

TEST_F(exec_sink_test, exit_codes_64_to_78_are_permanent_except_ex_tempfail) {
    auto dataerr = make({script(dir_, "dataerr", "echo 'bad input' >&2; exit 65").string()});
    auto r = send(*dataerr);
    EXPECT_EQ(r.status, delivery_status::permanent);
    EXPECT_EQ(r.detail, "exit 65 (EX_DATAERR): bad input");
    auto tempfail = make({script(dir_, "tempfail", "exit 75").string()});
    r = send(*tempfail);
    EXPECT_EQ(r.status, delivery_status::retry);
    EXPECT_EQ(r.detail, "exit 75 (EX_TEMPFAIL)");
    auto other = make({script(dir_, "other", "exit 2").string()});
    EXPECT_EQ(send(*other).status, delivery_status::retry);
}

TEST_F(exec_sink_test, a_program_killed_by_a_signal_is_retried) {
    auto sink = make({script(dir_, "crash", "kill -USR1 $$").string()});
    auto r = send(*sink);
    EXPECT_EQ(r.status, delivery_status::retry);
    EXPECT_EQ(r.detail, "killed by SIGUSR1");
}

TEST_F(exec_sink_test, the_environment_is_clean_apart_from_the_alert_variables) {
    ::setenv("NEWSWATCH_TEST_SECRET", "inherited", 1);
    auto sink = make({"/usr/bin/env"});
    auto r = send(*sink);
    ::unsetenv("NEWSWATCH_TEST_SECRET");
    EXPECT_EQ(r.status, delivery_status::delivered) << r.detail;
    EXPECT_NE(log_.str().find("stdout=\"PATH=/usr/bin:/bin\\x0ANEWSWATCH_ALERT_ID=" + std::string(alert_id) +
                              "\\x0ANEWSWATCH_EVENT=alert\\x0ANEWSWATCH_WATCH=membership\\x0A\""),
              std::string::npos)
        << log_.str();
    EXPECT_EQ(log_.str().find("NEWSWATCH_TEST_SECRET"), std::string::npos);
    EXPECT_EQ(log_.str().find("HOME="), std::string::npos);
}

TEST_F(exec_sink_test, a_payload_without_a_watch_sets_no_watch_variable) {
    EXPECT_EQ(exec_sink::environment_of(
                  {.event = "feed_health", .id = "x", .payload = R"({"type":"feed_health"})"}),
              (std::vector<std::string>{"PATH=/usr/bin:/bin", "NEWSWATCH_ALERT_ID=x",
                                        "NEWSWATCH_EVENT=feed_health"}));
    // A hostile watch name cannot smuggle control characters into the environment.
    EXPECT_EQ(
        exec_sink::environment_of({.event = "alert", .id = "x", .payload = R"({"watch":"a\u001b[2Jb\n"})"})
            .back(),
        "NEWSWATCH_WATCH=a[2Jb");
}

TEST_F(exec_sink_test, the_payload_arrives_on_stdin_and_stdout_and_stderr_are_logged) {
    const auto received = dir_.path() / "received";
    auto sink = make({script(dir_, "recv",
                             "cat > '" + received.string() + "'; echo \"got it\"; printf 'warn\\033[31m' >&2")
                          .string()});
    auto r = send(*sink);
    EXPECT_EQ(r.status, delivery_status::delivered) << r.detail;
    EXPECT_EQ(testing::read_file(received), alert_payload);
    const std::string log = log_.str();
    EXPECT_NE(log.find("stdout=\"got it\\x0A\""), std::string::npos) << log;
    // The terminal escape the program printed is escaped in the log.
    EXPECT_NE(log.find("stderr=\"warn\\x1B[31m\""), std::string::npos) << log;
    EXPECT_NE(log.find("alert_id=\"" + std::string(alert_id) + "\""), std::string::npos) << log;
}

TEST_F(exec_sink_test, a_program_that_reads_nothing_of_a_2_mb_payload_is_delivered) {
    const std::string big =
        R"({"type":"alert","watch":"w","pad":")" + std::string(2 * 1024 * 1024, 'x') + "\"}";
    auto sink = make({script(dir_, "deaf", "sleep 0.2; exit 0").string()});
    auto r = send(*sink, big);
    EXPECT_EQ(r.status, delivery_status::delivered) << r.detail;
}

TEST_F(exec_sink_test, cancel_all_answers_at_once_and_kills_the_child) {
    const auto pid_file = dir_.path() / "pid";
    auto sink =
        make({script(dir_, "hang", "echo $$ > '" + pid_file.string() + "'; exec sleep 1000").string()});
    std::optional<delivery_result> result;
    sink->send({.event = "alert", .id = alert_id, .payload = alert_payload},
               [&](delivery_result r) { result = std::move(r); });
    std::string pid;  // whole once it ends in a newline
    ASSERT_TRUE(testing::run_until(io_, [&] {
        if (std::filesystem::exists(pid_file)) pid = testing::read_file(pid_file);
        return pid.ends_with('\n');
    })) << "the program did not start";
    ASSERT_FALSE(result);
    sink->cancel_all();
    ASSERT_TRUE(result);
    EXPECT_EQ(result->status, delivery_status::retry);
    EXPECT_EQ(result->detail, "cancelled");
    // Reaped on the loop.
    EXPECT_TRUE(testing::run_until(io_, [&] { return process_gone(std::stoi(pid)); }));
}

TEST_F(exec_sink_test, a_command_that_does_not_exist_is_a_startup_error) {
    config::sink_config c;
    c.name = "runner";
    c.type = "exec";
    c.options = config::exec_sink_options{.command = {(dir_.path() / "missing").string()}};
    EXPECT_THROW(make_exec_sink(c, context()), config::config_error);
    c.options = config::exec_sink_options{.command = {dir_.path().string()}};  // a directory
    EXPECT_THROW(make_exec_sink(c, context()), config::config_error);
    c.options = config::exec_sink_options{.command = {"/bin/true"}};
    EXPECT_NO_THROW(make_exec_sink(c, context()));
}

}  // namespace
}  // namespace newswatch::sinks
