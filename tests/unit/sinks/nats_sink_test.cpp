#include "newswatch/sinks/nats_sink.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <optional>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include "loop_probe.hpp"
#include "nats_test_server.hpp"
#include "newswatch/config/config_error.hpp"
#include "test_paths.hpp"

namespace newswatch::sinks {
namespace {

using namespace std::chrono_literals;
using testing::nats_test_server;
using testing::temp_dir;

const std::string subject = "newswatch.alerts";
const std::string stream = "ALERTS";

std::string id_of(int n) {
    std::string id = "0123456789abcdef0123456789abcd";
    id += static_cast<char>('a' + n / 10);
    id += static_cast<char>('a' + n % 10);
    return id;
}

std::string payload_of(int n) {
    return R"({"type":"alert","id":")" + id_of(n) + R"(","watch":"membership"})";
}

class nats_sink_test : public ::testing::Test {
protected:
    void SetUp() override {
        auto binary = nats_test_server::find_binary();
        if (!binary) GTEST_SKIP() << "nats-server is not installed (Debian package nats-server): skipping";
        server_.emplace(*binary, dir_.path());
    }

    std::unique_ptr<nats_sink> make(core::seconds timeout = 10s) {
        return std::make_unique<nats_sink>(
            "stream", io_.get_executor(),
            config::nats_sink_options{
                .server = server_->url(), .subject = subject, .creds_file = {}, .timeout = timeout});
    }

    delivery_result send(alert_sink& sink, int n) {
        const std::string id = id_of(n), payload = payload_of(n);
        std::optional<delivery_result> result;
        sink.send({.event = "alert", .id = id, .payload = payload},
                  [&](delivery_result r) { result = std::move(r); });
        testing::run_until(io_, [&] { return result.has_value(); });
        EXPECT_TRUE(result) << "no completion within 120 s";
        return result.value_or(delivery_result::retry("no completion"));
    }

    // Sends until the answer is not "still connecting" (the connection is made on a thread
    // of its own, and a busy machine may take a while).
    delivery_result send_when_connected(alert_sink& sink, int n) {
        for (auto until = std::chrono::steady_clock::now() + 60s;;) {
            auto r = send(sink, n);
            if (r.detail.find("not connected") == std::string::npos ||
                std::chrono::steady_clock::now() > until)
                return r;
            io_.run_for(100ms);
        }
    }

    // A sink that has delivered alert 0 to the stream ALERTS, or null.
    std::unique_ptr<nats_sink> connected_sink(core::seconds timeout = 10s) {
        server_->add_stream(stream, subject);
        auto sink = make(timeout);
        auto r = send_when_connected(*sink, 0);
        EXPECT_TRUE(r.delivered()) << r.detail;
        return r.delivered() ? std::move(sink) : nullptr;
    }

    // Sends until delivered (a server coming back, a stream being created); true if it was.
    bool send_until_delivered(alert_sink& sink, int n, std::chrono::seconds limit = 90s) {
        for (auto until = std::chrono::steady_clock::now() + limit;
             std::chrono::steady_clock::now() < until;) {
            if (send(sink, n).delivered()) return true;
            io_.run_for(200ms);
        }
        return false;
    }

    temp_dir dir_;
    std::optional<nats_test_server> server_;
    boost::asio::io_context io_;
    // The loop never runs out of work between deliveries (run_one_for would return at once).
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_{io_.get_executor()};
};

// Issue #11: the stream holds each alert exactly once after forced re-sends.
TEST_F(nats_sink_test, the_stream_holds_each_alert_once_after_forced_resends) {
    auto sink = connected_sink();
    ASSERT_TRUE(sink);
    for (int n = 0; n < 5; ++n) {
        for (int attempt = 0; attempt < 3; ++attempt) {
            auto r = send(*sink, n);
            EXPECT_TRUE(r.delivered()) << r.detail;
            if (attempt > 0 || n == 0) {
                EXPECT_NE(r.detail.find("duplicate"), std::string::npos) << r.detail;
            }
        }
    }
    // A restarted daemon (a new connection) sends them again.
    sink.reset();
    auto again = make();
    for (int n = 0; n < 5; ++n) EXPECT_TRUE(send_when_connected(*again, n).delivered());

    EXPECT_EQ(server_->stream_messages(stream), 5u);
    for (int n = 0; n < 5; ++n) {
        auto m = server_->stream_message(stream, static_cast<std::uint64_t>(n + 1));
        EXPECT_EQ(m.subject, subject);
        EXPECT_EQ(m.msg_id, id_of(n));
        EXPECT_EQ(m.data, payload_of(n));
    }
}

// The connection is made in the background: a delivery that comes first (a daemon that has
// just started, `--once`, `sink test`) waits for it instead of failing.
TEST_F(nats_sink_test, the_first_delivery_waits_for_the_connection) {
    server_->add_stream(stream, subject);
    auto sink = make();
    auto r = send(*sink, 0);
    EXPECT_TRUE(r.delivered()) << r.detail;
}

TEST_F(nats_sink_test, a_missing_stream_is_retried_with_a_clear_detail_until_it_is_created) {
    auto sink = make();
    auto r = send_when_connected(*sink, 1);
    EXPECT_EQ(r.status, delivery_status::retry);
    EXPECT_NE(r.detail.find("no JetStream stream stores subject 'newswatch.alerts'"), std::string::npos)
        << r.detail;
    server_->add_stream(stream, subject);
    r = send(*sink, 1);
    EXPECT_TRUE(r.delivered()) << r.detail;
    EXPECT_EQ(server_->stream_messages(stream), 1u);
}

TEST_F(nats_sink_test, no_ack_within_the_timeout_is_a_retry) {
    auto sink = connected_sink(1s);
    ASSERT_TRUE(sink);
    server_->freeze();
    auto r = send(*sink, 1);
    server_->thaw();
    EXPECT_EQ(r.status, delivery_status::retry);
    EXPECT_NE(r.detail.find("ack"), std::string::npos) << r.detail;
    // The same alert again, once the server answers: stored once, whether or not the first
    // attempt reached the stream.
    EXPECT_TRUE(send_until_delivered(*sink, 1));
    EXPECT_EQ(server_->stream_messages(stream), 2u);
}

TEST_F(nats_sink_test, a_server_that_goes_away_is_retried_and_reconnected_to) {
    auto sink = connected_sink(2s);
    ASSERT_TRUE(sink);
    server_->stop();
    auto r = send(*sink, 1);
    EXPECT_EQ(r.status, delivery_status::retry) << r.detail;
    server_->start();
    EXPECT_TRUE(send_until_delivered(*sink, 1));
    EXPECT_EQ(server_->stream_messages(stream), 2u);
}

TEST_F(nats_sink_test, cancel_all_answers_a_publish_in_flight) {
    auto sink = connected_sink(60s);
    ASSERT_TRUE(sink);
    server_->freeze();
    std::optional<delivery_result> result;
    const std::string id = id_of(1), payload = payload_of(1);
    sink->send({.event = "alert", .id = id, .payload = payload},
               [&](delivery_result r) { result = std::move(r); });
    io_.poll();
    ASSERT_FALSE(result);
    sink->cancel_all();
    server_->thaw();
    ASSERT_TRUE(result);
    EXPECT_EQ(result->status, delivery_status::retry);
    EXPECT_EQ(result->detail, "cancelled");
    sink.reset();
    io_.run_for(1s);  // a late ack finds the sink gone
}

TEST_F(nats_sink_test, no_server_is_a_retry_naming_the_server_without_credentials) {
    const auto url = server_->url();
    server_->stop();
    auto sink =
        std::make_unique<nats_sink>("stream", io_.get_executor(),
                                    config::nats_sink_options{.server = "nats://user:s3cret@" + url.substr(7),
                                                              .subject = subject,
                                                              .creds_file = {},
                                                              .timeout = 2s});
    auto r = send(*sink, 0);
    EXPECT_EQ(r.status, delivery_status::retry);
    EXPECT_NE(r.detail.find("not connected to " + url), std::string::npos) << r.detail;
    EXPECT_EQ(r.detail.find("s3cret"), std::string::npos);
}

TEST(nats_sink, loggable_servers_drop_user_password_and_token) {
    EXPECT_EQ(nats_sink::loggable_servers("nats://user:pw@a.example:4222,tls://token@b.example,nats://c:1"),
              "nats://a.example:4222,tls://b.example,nats://c:1");
}

TEST(nats_sink, an_unreadable_creds_file_is_a_startup_error_that_names_the_file) {
    temp_dir dir;
    config::sink_config c;
    c.name = "stream";
    c.type = "nats";
    c.options = config::nats_sink_options{.server = "nats://127.0.0.1:1",
                                          .subject = "s",
                                          .creds_file = dir.path() / "missing.creds",
                                          .timeout = 1s};
    try {
        make_nats_sink(c, {.executor = {}, .http = nullptr, .state_dir = dir.path()});
        FAIL() << "no error";
    } catch (const config::config_error& e) {
        EXPECT_NE(std::string(e.what()).find("missing.creds"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace newswatch::sinks
