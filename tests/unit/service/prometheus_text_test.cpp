#include "newswatch/service/prometheus_text.hpp"

#include <gtest/gtest.h>

#include "newswatch/core/metrics_registry.hpp"
#include "newswatch/service/status_endpoint.hpp"

namespace newswatch::service {
namespace {

bool contains(const std::string& text, const std::string& line) {
    return text.find("\n" + line + "\n") != std::string::npos;
}

TEST(prometheus_text, renders_every_family_with_help_type_and_cumulative_buckets) {
    core::metrics_registry registry;
    registry.fetch_finished(std::chrono::milliseconds(30), 1000, 200);
    registry.fetch_finished(std::chrono::milliseconds(300), 500, 304);
    registry.fetch_finished(std::chrono::milliseconds(90'000), 0, 0);  // beyond the last bucket
    registry.items_processed(5, 3, 1);
    registry.watch_matched("nato \"quoted\"\\x");
    registry.alert_recorded("out");
    registry.alert_deduplicated("nu");
    registry.alert_deduplicated("nu");
    registry.alert_folded("nu");
    registry.alert_retried("out");
    registry.alert_delivered("out");
    core::metrics_snapshot s = registry.snapshot();
    s.feeds_ok = 7;
    s.feeds_retired = 1;
    s.outbox_depth = 4;
    s.event_loop_lag_seconds = 0.25;
    const std::string text = render_prometheus(s, "1.2.3");

    EXPECT_EQ(text.rfind("# HELP newswatch_build_info ", 0), 0u);
    EXPECT_TRUE(contains(text, "newswatch_build_info{version=\"1.2.3\"} 1"));
    EXPECT_TRUE(contains(text, "# TYPE newswatch_fetch_duration_seconds histogram"));
    EXPECT_TRUE(contains(text, "newswatch_fetch_duration_seconds_bucket{le=\"0.05\"} 1"));
    EXPECT_TRUE(contains(text, "newswatch_fetch_duration_seconds_bucket{le=\"0.25\"} 1"));
    EXPECT_TRUE(contains(text, "newswatch_fetch_duration_seconds_bucket{le=\"0.5\"} 2"));
    EXPECT_TRUE(contains(text, "newswatch_fetch_duration_seconds_bucket{le=\"60\"} 2"));
    EXPECT_TRUE(contains(text, "newswatch_fetch_duration_seconds_bucket{le=\"+Inf\"} 3"));
    EXPECT_TRUE(contains(text, "newswatch_fetch_duration_seconds_sum 90.33"));
    EXPECT_TRUE(contains(text, "newswatch_fetch_duration_seconds_count 3"));
    EXPECT_TRUE(contains(text, "newswatch_fetched_bytes_total 1500"));
    EXPECT_TRUE(contains(text, "newswatch_fetch_responses_total{class=\"2xx\"} 1"));
    EXPECT_TRUE(contains(text, "newswatch_fetch_responses_total{class=\"304\"} 1"));
    EXPECT_TRUE(contains(text, "newswatch_fetch_responses_total{class=\"3xx\"} 0"));
    EXPECT_TRUE(contains(text, "newswatch_fetch_responses_total{class=\"none\"} 1"));
    EXPECT_TRUE(contains(text, "newswatch_items_parsed_total 5"));
    EXPECT_TRUE(contains(text, "newswatch_items_new_total 3"));
    EXPECT_TRUE(contains(text, "newswatch_items_too_old_total 1"));
    EXPECT_TRUE(contains(text, "newswatch_watch_matches_total{watch=\"nato \\\"quoted\\\"\\\\x\"} 1"));
    EXPECT_TRUE(contains(text, "newswatch_alerts_recorded_total{sink=\"out\"} 1"));
    EXPECT_TRUE(contains(text, "# TYPE newswatch_alerts_deduplicated_total counter"));
    EXPECT_TRUE(contains(text, "newswatch_alerts_deduplicated_total{watch=\"nu\"} 2"));
    EXPECT_TRUE(contains(text, "# TYPE newswatch_alerts_folded_total counter"));
    EXPECT_TRUE(contains(text, "newswatch_alerts_folded_total{watch=\"nu\"} 1"));
    EXPECT_TRUE(contains(text, "newswatch_alerts_delivered_total{sink=\"out\"} 1"));
    EXPECT_TRUE(contains(text, "newswatch_alerts_retried_total{sink=\"out\"} 1"));
    EXPECT_TRUE(contains(text, "newswatch_feeds{state=\"ok\"} 7"));
    EXPECT_TRUE(contains(text, "newswatch_feeds{state=\"retired\"} 1"));
    EXPECT_TRUE(contains(text, "newswatch_outbox_depth 4"));
    EXPECT_TRUE(contains(text, "newswatch_event_loop_lag_seconds 0.25"));
    EXPECT_EQ(text.back(), '\n');
    // Every sample's family is declared once, before it.
    for (const char* family :
         {"newswatch_feeds", "newswatch_fetch_duration_seconds", "newswatch_alerts_retried_total"}) {
        const std::string type = std::string("# TYPE ") + family + " ";
        EXPECT_EQ(text.find(type), text.rfind(type)) << family;
    }
}

TEST(prometheus_text, label_values_are_escaped) {
    EXPECT_EQ(escape_label_value("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
}

TEST(status_endpoint, listen_addresses_are_ip_literals_with_a_port) {
    EXPECT_EQ(parse_listen_address("127.0.0.1:9464")->port(), 9464);
    EXPECT_TRUE(parse_listen_address("[::1]:0")->address().is_v6());
    EXPECT_FALSE(parse_listen_address("localhost:9464"));
    EXPECT_FALSE(parse_listen_address("127.0.0.1"));
    EXPECT_FALSE(parse_listen_address("127.0.0.1:65536"));
    EXPECT_FALSE(parse_listen_address("::1:9464"));
    EXPECT_FALSE(parse_listen_address(":9464"));
}

}  // namespace
}  // namespace newswatch::service
