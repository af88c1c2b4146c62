// The apprise channel (issue #12) runs Debian's real apprise CLI against a loopback
// receiver through a json://127.0.0.1:PORT URL: the title and body arrive, the URLs never
// reach the argv, exits map to delivered/retry/permanent, the hostile-title table and a
// 100 KB title.
#include "newswatch/sinks/apprise_sink.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <fstream>
#include <optional>

#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>

#include "hostile_text.hpp"
#include "http_test_server.hpp"
#include "newswatch/sinks/grouped_json.hpp"
#include "newswatch/text/word_cut.hpp"

namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using namespace newswatch::sinks;
using newswatch::testing::http_request;
using newswatch::testing::http_test_server;

constexpr const char* apprise_program = "/usr/bin/apprise";

std::string alert_payload(const std::string& title, const std::string& summary,
                          const std::string& priority = "default") {
    json::object root{
        {"type", "alert"},
        {"id", "a1"},
        {"watch", "budget"},
        {"priority", priority},
        {"feed", {{"url", "https://news.example/feed"}, {"title", "Example News"}}},
        {"item", {{"id", "i1"}, {"title", title}, {"link", "https://news.example/b"}, {"summary", summary}}},
        {"detected_at", "2026-12-06T10:00:00Z"}};
    return json::serialize(root);
}

class apprise_sink_test : public ::testing::Test {
protected:
    void SetUp() override {
        if (::access(apprise_program, X_OK) != 0)
            GTEST_SKIP() << "Debian's apprise is not installed (scripts/install-deps.sh installs it)";
        dir = std::filesystem::temp_directory_path() / ("newswatch-apprise-" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir);
        urls_file = dir / "apprise.urls";
        std::ofstream(urls_file) << "# newswatch test\njson://127.0.0.1:" << server.port() << "/hook\n";
        server.on("/hook",
                  [this](const http_request&) { return http_test_server::make_response(status, "{}"); });
    }
    void TearDown() override {
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }
    apprise_sink make() {
        return apprise_sink("a", io.get_executor(),
                            {.command = "/usr/bin/apprise",
                             .urls_file = urls_file,
                             .timeout = std::chrono::seconds(60),
                             .kill_grace = std::chrono::seconds(5)});
    }
    delivery_result send(apprise_sink& sink, std::string_view event, std::string_view payload) {
        std::optional<delivery_result> out;
        sink.send(delivery_message{.event = event, .id = "a1", .payload = payload},
                  [&](delivery_result r) { out = std::move(r); });
        io.restart();
        while (!out && io.run_one() > 0) {
        }
        EXPECT_TRUE(out);
        return out.value_or(delivery_result::permanent("no result"));
    }
    json::object last_received() const {
        const auto reqs = server.requests("/hook");
        EXPECT_FALSE(reqs.empty());
        return reqs.empty() ? json::object{} : json::parse(reqs.back().body()).as_object();
    }

    std::atomic<unsigned> status{200};
    asio::io_context io;
    http_test_server server;
    std::filesystem::path dir;
    std::filesystem::path urls_file;
};

TEST_F(apprise_sink_test, delivers_title_and_body_through_the_urls_in_the_file) {
    auto sink = make();
    const auto payload = alert_payload("Parliament passes the budget", "The vote was 301 to 250.", "high");
    const auto run = sink.request_for({.event = "alert", .id = "a1", .payload = payload});
    for (const auto& arg : run.argv)
        EXPECT_EQ(arg.find("127.0.0.1"), std::string::npos) << arg;  // not in `ps`
    EXPECT_EQ(run.argv.at(1), "--config=" + urls_file.string());

    const auto r = send(sink, "alert", payload);
    ASSERT_TRUE(r.delivered()) << r.detail;
    const auto got = last_received();
    EXPECT_EQ(got.at("title").as_string(), "Parliament passes the budget");
    EXPECT_EQ(got.at("type").as_string(), "warning");  // a high-priority watch
    const std::string message(got.at("message").as_string());
    for (const auto* part :
         {"Watch: budget", "The vote was 301 to 250.", "Link: https://news.example/b", "Feed: Example News"})
        EXPECT_NE(message.find(part), std::string::npos) << part << "\n" << message;
}

TEST_F(apprise_sink_test, a_failing_service_is_retried_and_an_invalid_url_is_permanent) {
    auto sink = make();
    status = 500;
    const auto failed = send(sink, "alert", alert_payload("T", "S"));
    EXPECT_EQ(failed.status, delivery_status::retry) << failed.detail;
    EXPECT_EQ(failed.detail.find("127.0.0.1:" + std::to_string(server.port()) + "/hook"), std::string::npos)
        << failed.detail;

    std::ofstream(urls_file) << "notaservice://secret-token@host\n";
    const auto invalid = send(sink, "alert", alert_payload("T", "S"));
    EXPECT_EQ(invalid.status, delivery_status::permanent) << invalid.detail;
    EXPECT_EQ(invalid.detail.find("secret-token"), std::string::npos) << invalid.detail;
}

TEST_F(apprise_sink_test, a_100_kb_title_is_delivered_cut_and_a_storm_lists_its_stories) {
    auto sink = make();
    const std::string huge = newswatch::test::huge_title();
    ASSERT_TRUE(send(sink, "alert", alert_payload(huge, huge)).delivered());
    auto got = last_received();
    EXPECT_LE(newswatch::text::count_code_points(got.at("title").as_string()), apprise_sink::max_title_chars);
    EXPECT_TRUE(std::string_view(got.at("title").as_string()).ends_with("…"));
    EXPECT_LE(newswatch::text::count_code_points(got.at("message").as_string()),
              apprise_sink::max_body_chars);

    storm_summary s;
    s.watch = "budget";
    for (int i = 0; i < 400; ++i)
        s.alerts.push_back(
            {"s" + std::to_string(i), "Storm story " + std::to_string(i), "https://news.example/s"});
    ASSERT_TRUE(send(sink, "storm", storm_to_json(s)).delivered());
    got = last_received();
    const std::string message(got.at("message").as_string());
    EXPECT_NE(message.find("- Storm story 0 https://news.example/s"), std::string::npos) << message;
    EXPECT_NE(message.find("…and "), std::string::npos);
}

TEST_F(apprise_sink_test, hostile_titles_arrive_as_plain_text_without_controls_or_bidi) {
    auto sink = make();
    for (const auto& h : newswatch::test::hostile_cases()) {
        const auto r = send(sink, "alert", alert_payload(h.text, h.text));
        ASSERT_TRUE(r.delivered()) << h.name << ": " << r.detail;
        const auto got = last_received();
        const std::string title(got.at("title").as_string());
        const std::string message(got.at("message").as_string());
        for (const auto* hidden : {"\u202E", "\u2066", "\u2069", "\r"}) {
            EXPECT_EQ(title.find(hidden), std::string::npos) << h.name;
            EXPECT_EQ(message.find(hidden), std::string::npos) << h.name;
        }
        EXPECT_EQ(title.find('\n'), std::string::npos) << h.name;
        // Passed on as the text it is (json:// does no formatting): the same words arrive.
        if (h.name == "html link") {
            EXPECT_EQ(title, h.text);
        }
    }
}

}  // namespace
