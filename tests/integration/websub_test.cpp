// The WebSub subscriber end to end (issue #16 item 3): the real newswatchd, a feed that
// names a hub, and a hub written for the tests that follows the W3C Recommendation
// (tests/support/websub_test_hub.hpp), all on 127.0.0.1. The feed is polled hourly, so
// an alert that comes within the test's wait came by push.
#include <gtest/gtest.h>

#include <signal.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "daemon_fixture.hpp"
#include "http_test_server.hpp"
#include "metrics_scrape.hpp"
#include "websub_test_hub.hpp"

namespace newswatch::testing {
namespace {

using namespace std::chrono_literals;

// A port nobody listens on now (the daemon binds it a moment later).
int free_port() {
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    return acceptor.local_endpoint().port();
}

// An RSS document that names `hubs` and its own URL (atom:link, as WordPress writes them).
std::string feed_with_hubs(const std::vector<std::string>& hubs, const std::string& self,
                           const std::vector<rss_item>& items) {
    std::string xml = rss_document("Wire", items);
    xml.replace(xml.find("<rss version=\"2.0\">"), 19,
                "<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">");
    std::string links;
    for (const auto& hub : hubs) links += "<atom:link rel=\"hub\" href=\"" + hub + "\"/>";
    xml.replace(
        xml.find("<channel>"), 9,
        "<channel>" + links + "<atom:link rel=\"self\" href=\"" + self + "\" type=\"application/rss+xml\"/>");
    return xml;
}

std::string feed_with_hub(const std::string& hub, const std::string& self,
                          const std::vector<rss_item>& items) {
    return feed_with_hubs({hub}, self, items);
}

struct websub_setup {
    temp_dir dir;
    http_test_server feeds;
    websub_test_hub hub;
    int port = free_port();
    std::string topic = feeds.url("/feed.xml");
    std::filesystem::path config = dir.path() / "c.toml";
    std::filesystem::path out = dir.path() / "out.jsonl";
    std::string interval = "1h";  // [daemon] interval (and min_interval)
    std::string metrics = "";     // [daemon] metrics ("" = off)

    std::string callback_base() const { return "http://127.0.0.1:" + std::to_string(port) + "/websub"; }
    // `allow` = allow_private_addresses (the hub is on loopback).
    void write_config(bool allow = true, bool with_feed = true) {
        std::string text = "[daemon]\nstate_dir = \"state\"\ninterval = \"" + interval +
                           "\"\nmin_interval = \"" + interval + "\"\njitter = 0.0\nmetrics = \"" + metrics +
                           "\"\n"
                           "default_sinks = [\"out\"]\nwebsub_listen = \"127.0.0.1:" +
                           std::to_string(port) + "\"\nwebsub_callback = \"" + callback_base() +
                           "\"\nwebsub_poll_interval = \"1h\"\n";
        if (allow) text += "allow_private_addresses = [\"127.0.0.1\"]\n";
        if (with_feed) text += "[[feed]]\nurl = \"" + topic + "\"\n";
        text +=
            "[[watch]]\nname = \"nu\"\nquery = 'NATO AND Ukraine'\n"
            "[[sink]]\nname = \"out\"\ntype = \"file\"\npath = \"out.jsonl\"\n";
        write_file(config, text);
    }
    int alerts_for(const std::string& item_id) const {
        int n = 0;
        for (const auto& o : read_json_lines(out))
            if (o.at("type").as_string() == "alert" &&
                o.at("item").as_object().at("id").as_string() == item_id)
                ++n;
        return n;
    }
    std::string log() const {
        std::error_code ec;
        return std::filesystem::exists(dir.path() / "daemon.log", ec) ? read_file(dir.path() / "daemon.log")
                                                                      : "";
    }
    bool verified() const {
        auto s = hub.find(topic);
        return s && s->verified;
    }
};

std::size_t occurrences(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) ++n;
    return n;
}

TEST(websub, a_pushed_item_alerts_at_once_and_only_once_and_bad_signatures_are_ignored) {
    websub_setup s;
    const auto now = std::chrono::system_clock::now();
    const rss_item a{"a", "NATO and Ukraine meet", "https://n/a", "x", now - 1h};
    s.feeds.serve_feed("/feed.xml", feed_with_hub(s.hub.url(), s.topic, {a}));
    s.write_config();
    running_daemon daemon(s.config, s.dir.path() / "daemon.log");

    // Discovery from the first poll, subscription request, verification of intent (§5.3).
    ASSERT_TRUE(eventually([&] { return s.alerts_for("a") == 1; }, 60s)) << s.log();
    ASSERT_TRUE(eventually([&] { return s.verified(); }, 60s)) << s.log();
    const auto sub = *s.hub.find(s.topic);
    EXPECT_EQ(s.hub.subscribe_requests(), 1);
    EXPECT_GE(sub.secret.size(), 32u);
    EXPECT_EQ(sub.callback.rfind(s.callback_base() + "/", 0), 0u) << sub.callback;

    // §5.3: a verification nobody asked for is refused with 404: another topic, another
    // callback, an unsubscribe we did not ask for.
    EXPECT_EQ(s.hub.verify(sub.callback, "subscribe", "http://127.0.0.1:1/other.xml").first, 404);
    EXPECT_EQ(s.hub.verify(s.callback_base() + "/0123456789abcdef", "subscribe", s.topic).first, 404);
    EXPECT_EQ(s.hub.verify(sub.callback, "unsubscribe", s.topic).first, 404);

    // §8: bad and missing signatures are acknowledged with 2xx and ignored.
    const rss_item evil{"evil", "NATO quits Ukraine, says forged push", "https://n/evil", "x", now};
    const std::string forged = feed_with_hub(s.hub.url(), s.topic, {a, evil});
    const auto bad =
        s.hub.publish_with_signature(s.topic, forged, websub_test_hub::signature("sha256", "wrong", forged));
    ASSERT_EQ(bad.size(), 1u);
    EXPECT_GE(bad[0], 200);
    EXPECT_LT(bad[0], 300);
    const auto unsigned_push = s.hub.publish_with_signature(s.topic, forged, "");
    ASSERT_EQ(unsigned_push.size(), 1u);
    EXPECT_GE(unsigned_push[0], 200);
    EXPECT_LT(unsigned_push[0], 300);

    // §7: the pushed item goes through parse -> match -> outbox long before the hourly poll.
    const rss_item b{"b", "NATO sends jets to Ukraine", "https://n/b", "x", now};
    const std::string pushed = feed_with_hub(s.hub.url(), s.topic, {a, b});
    const auto good = s.hub.publish(s.topic, pushed, "application/rss+xml", "sha512");
    ASSERT_EQ(good.size(), 1u);
    EXPECT_EQ(good[0], 202);
    ASSERT_TRUE(eventually([&] { return s.alerts_for("b") == 1; }, 60s)) << s.log();
    EXPECT_EQ(s.feeds.hits("/feed.xml"), 1);  // no poll: it came by push
    EXPECT_EQ(s.alerts_for("evil"), 0);
    EXPECT_EQ(occurrences(s.log(), "missing or bad X-Hub-Signature"), 2u) << s.log();

    // The same item in the next poll is not alerted again (the same seen-item store).
    s.feeds.serve_feed("/feed.xml", pushed, "application/rss+xml", "\"v2\"", "");
    ASSERT_EQ(run_tool("feeds reset --config " + quote(s.config) + " " + s.topic).exit_code, 0);
    ASSERT_TRUE(eventually([&] { return s.feeds.hits("/feed.xml") >= 2; }, 60s)) << s.log();
    ASSERT_TRUE(eventually([&] { return occurrences(s.log(), "feed processed event") >= 2; }, 60s))
        << s.log();
    EXPECT_EQ(s.alerts_for("b"), 1);
    EXPECT_EQ(s.alerts_for("a"), 1);

    // A restart keeps the subscription (state.db): pushes go on without a new request.
    EXPECT_EQ(daemon.terminate(), 0);
    running_daemon again(s.config, s.dir.path() / "daemon2.log");
    const rss_item c{"c", "NATO trains pilots from Ukraine", "https://n/c", "x", now};
    const std::string later = feed_with_hub(s.hub.url(), s.topic, {a, b, c});
    ASSERT_TRUE(eventually(
        [&] {
            const auto r = s.hub.publish(s.topic, later);
            return !r.empty() && r[0] == 202 && s.alerts_for("c") == 1;
        },
        60s))
        << read_file(s.dir.path() / "daemon2.log");
    EXPECT_EQ(s.alerts_for("c"), 1);
    EXPECT_EQ(s.hub.subscribe_requests(), 1);
    EXPECT_EQ(again.terminate(), 0);
}

TEST(websub, renews_before_the_lease_ends_and_unsubscribes_a_feed_removed_on_reload) {
    websub_setup s;
    s.hub.grant_lease(4);  // seconds: renewed about every 3 s
    s.feeds.serve_feed("/feed.xml", feed_with_hub(s.hub.url(), s.topic, {}));
    s.write_config();
    running_daemon daemon(s.config, s.dir.path() / "daemon.log");
    ASSERT_TRUE(eventually([&] { return s.verified(); }, 60s)) << s.log();
    ASSERT_TRUE(
        eventually([&] { return s.hub.find(s.topic) && s.hub.find(s.topic)->verifications >= 3; }, 90s))
        << s.log();
    EXPECT_GE(s.hub.subscribe_requests(), 3);
    EXPECT_NE(s.log().find("WebSub subscription renewed"), std::string::npos) << s.log();
    const auto callback = s.hub.find(s.topic)->callback;

    // The feed leaves the configuration: hub.mode=unsubscribe, verified, and forgotten.
    s.write_config(true, false);
    daemon.signal(SIGHUP);
    ASSERT_TRUE(eventually([&] { return s.hub.unsubscribe_requests() >= 1 && !s.hub.find(s.topic); }, 60s))
        << s.log();
    EXPECT_TRUE(eventually(
        [&] { return count_rows(s.dir.path() / "state" / "state.db", "websub_subscriptions") == 0; }, 30s));
    // Its old callback is gone: content sent there is refused with 410 (§7).
    EXPECT_EQ(websub_test_hub::request("POST", callback, "x").first, 410);
    EXPECT_EQ(daemon.terminate(), 0);
}

TEST(websub, a_hub_on_a_private_address_is_refused_by_the_ssrf_guard) {
    websub_setup s;
    s.feeds.serve_feed("/feed.xml", feed_with_hub(s.hub.url(), s.topic, {}));
    s.write_config(false);  // no allow_private_addresses: the loopback hub is refused
    running_daemon daemon(s.config, s.dir.path() / "daemon.log");
    ASSERT_TRUE(
        eventually([&] { return s.log().find("WebSub hub request failed") != std::string::npos; }, 60s))
        << s.log();
    EXPECT_NE(s.log().find("address_refused"), std::string::npos) << s.log();
    EXPECT_EQ(s.hub.subscribe_requests(), 0);
    EXPECT_EQ(daemon.terminate(), 0);
}

// `newswatch status --json` of the setup's state directory: its "websub" list.
boost::json::array websub_status(const websub_setup& s) {
    const auto r = run_tool("status --state-dir " + quote(s.dir.path() / "state") + " --json");
    if (r.exit_code != 0) return {};
    boost::system::error_code ec;
    auto v = boost::json::parse(r.out, ec);
    if (ec || !v.is_object() || !v.as_object().contains("websub")) return {};
    return v.as_object().at("websub").as_array();
}

// §4: a feed may name several hubs; each is subscribed (own callback, secret and lease) and
// renewed, and an item both push alerts once.
TEST(websub, every_hub_a_feed_names_is_subscribed_renewed_and_an_item_pushed_twice_alerts_once) {
    websub_setup s;
    websub_test_hub second;
    s.hub.grant_lease(4);  // seconds: each renewed about every 3 s
    second.grant_lease(4);
    const auto now = std::chrono::system_clock::now();
    const rss_item a{"a", "NATO and Ukraine meet", "https://n/a", "x", now - 1h};
    s.feeds.serve_feed("/feed.xml", feed_with_hubs({s.hub.url(), second.url()}, s.topic, {a}));
    s.write_config();
    running_daemon daemon(s.config, s.dir.path() / "daemon.log");

    const auto renewed = [&](const websub_test_hub& h) {
        const auto sub = h.find(s.topic);
        return sub && sub->verified && sub->verifications >= 2;
    };
    ASSERT_TRUE(eventually([&] { return renewed(s.hub) && renewed(second); }, 90s)) << s.log();
    const auto one = *s.hub.find(s.topic), two = *second.find(s.topic);
    EXPECT_NE(one.callback, two.callback);
    EXPECT_NE(one.secret, two.secret);
    const auto listed = websub_status(s);
    ASSERT_EQ(listed.size(), 2u);
    for (const auto& w : listed) EXPECT_EQ(w.at("state").as_string(), "active") << boost::json::serialize(w);

    // The same new item from both hubs, one right after the other: one alert.
    const rss_item b{"b", "NATO sends jets to Ukraine", "https://n/b", "x", now};
    const std::string pushed = feed_with_hubs({s.hub.url(), second.url()}, s.topic, {a, b});
    const auto first_push = s.hub.publish(s.topic, pushed);
    const auto second_push = second.publish(s.topic, pushed);
    ASSERT_EQ(first_push, std::vector<int>{202});
    ASSERT_EQ(second_push, std::vector<int>{202});
    ASSERT_TRUE(eventually([&] { return occurrences(s.log(), "pushed content processed") >= 2; }, 60s))
        << s.log();
    EXPECT_EQ(s.alerts_for("b"), 1);
    EXPECT_EQ(s.alerts_for("a"), 1);
    EXPECT_EQ(s.feeds.hits("/feed.xml"), 1);  // it came by push
    EXPECT_EQ(daemon.terminate(), 0);
}

// §5.2 end to end: the hub denies; newswatchd records the denial (state.db, `newswatch
// status`), logs and exports it, asks no more for a day, and goes on polling the feed.
TEST(websub, a_denied_subscription_is_recorded_logged_exported_and_the_feed_is_still_polled) {
    websub_setup s;
    s.interval = "1s";
    s.metrics = "127.0.0.1:0";
    s.hub.deny("topic not accepted here");
    const auto now = std::chrono::system_clock::now();
    const rss_item a{"a", "NATO and Ukraine meet", "https://n/a", "x", now - 1h};
    s.feeds.serve_feed("/feed.xml", feed_with_hub(s.hub.url(), s.topic, {a}), "application/rss+xml", "\"v1\"",
                       "");
    s.write_config();
    running_daemon daemon(s.config, s.dir.path() / "daemon.log");

    ASSERT_TRUE(eventually([&] { return s.log().find("denied the subscription") != std::string::npos; }, 60s))
        << s.log();
    boost::json::array listed;
    ASSERT_TRUE(eventually([&] {
        listed = websub_status(s);
        return listed.size() == 1 && listed[0].at("state").as_string() == "denied";
    })) << boost::json::serialize(listed);
    EXPECT_EQ(listed[0].at("last_error").as_string(), "topic not accepted here");
    EXPECT_EQ(listed[0].at("hub").as_string(), s.hub.url());
    const auto text = run_tool("status --state-dir " + quote(s.dir.path() / "state"));
    EXPECT_NE(text.out.find("websub       1: 1 denied"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("denied: topic not accepted here"), std::string::npos) << text.out;

    // Polling goes on at the feed's own interval, and a polled item alerts.
    const int hits = s.feeds.hits("/feed.xml");
    const rss_item b{"b", "NATO sends jets to Ukraine", "https://n/b", "x", now};
    s.feeds.serve_feed("/feed.xml", feed_with_hub(s.hub.url(), s.topic, {a, b}), "application/rss+xml",
                       "\"v2\"", "");
    ASSERT_TRUE(
        eventually([&] { return s.alerts_for("b") == 1 && s.feeds.hits("/feed.xml") >= hits + 3; }, 60s))
        << s.log();
    EXPECT_EQ(s.hub.subscribe_requests(), 1);  // asked again only after a day

    const auto [host, port] = bound_address(s.log());
    ASSERT_FALSE(host.empty()) << s.log();
    const std::string m = http_get(host, port, "/metrics").body;
    EXPECT_EQ(sample(m, "newswatch_websub_events_total{event=\"denied\"}"), 1) << m;
    EXPECT_EQ(sample(m, "newswatch_websub_subscriptions_active"), 0) << m;
    EXPECT_EQ(daemon.terminate(), 0);
}

TEST(websub, websub_listen_without_websub_callback_is_a_startup_error) {
    temp_dir dir;
    write_file(dir.path() / "c.toml", "[daemon]\nstate_dir = \"state\"\nwebsub_listen = \"127.0.0.1:0\"\n");
    const auto r = run_daemon("--config " + quote(dir.path() / "c.toml") + " --once");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("websub_callback"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace newswatch::testing
