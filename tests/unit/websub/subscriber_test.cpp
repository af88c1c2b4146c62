// The subscriber's callback (W3C WebSub §5.2, §5.3, §7, §8) with a real state.db and the
// daemon's HTTP client. The hub it names does not exist (port 1 on loopback, refused by
// the SSRF guard), so the request fails and is retried later; the callback still answers
// what the hub would send, which is what these tests drive.
#include "newswatch/websub/subscriber.hpp"

#include <gtest/gtest.h>

#include <set>

#include <boost/asio/io_context.hpp>
#include <boost/beast/http.hpp>

#include "newswatch/websub/content_signature.hpp"
#include "test_paths.hpp"

namespace newswatch::websub {
namespace {

namespace bhttp = boost::beast::http;
using testing::temp_dir;

const std::string feed = "https://site.example/feed.xml";
const std::string hub = "http://127.0.0.1:1/hub";

struct fixture {
    temp_dir dir;
    boost::asio::io_context io;
    store::state_store store = std::move(store::state_store::open(dir.path() / "state.db")).value();
    http::http_client client{io.get_executor(), http::client_options{}};
    std::vector<std::pair<std::string, std::string>> pushed;  // feed, body
    std::unique_ptr<subscriber> sub;

    fixture() {
        subscriber_options options;
        options.callback_base = "https://public.example/websub/";
        sub = std::make_unique<subscriber>(io.get_executor(), client, store, options,
                                           [this](const std::string& f, std::string body, std::string) {
                                               pushed.emplace_back(f, std::move(body));
                                           });
        sub->start({feed});
        core::feed_meta doc;
        doc.hubs = {hub};
        doc.self_url = feed;
        sub->observe(feed, feed, doc, {});
        // The request fails (refused address) and comes back.
        io.run_for(std::chrono::seconds(2));
    }
    store::websub_subscription stored() {
        auto all = store::websub_subscriptions(store).all().value();
        EXPECT_EQ(all.size(), 1u);
        return all.at(0);
    }
    service::http_response_message get(const std::string& target) {
        service::http_request_message r(bhttp::verb::get, target, 11);
        return sub->handle(r);
    }
    service::http_response_message post(const std::string& target, const std::string& body,
                                        const std::string& signature) {
        service::http_request_message r(bhttp::verb::post, target, 11);
        if (!signature.empty()) r.set("X-Hub-Signature", signature);
        r.set(bhttp::field::content_type, "application/rss+xml");
        r.body() = body;
        return sub->handle(r);
    }
};

std::string encoded(const std::string& url) {
    std::string out;
    for (char c : url)
        out += c == ':' ? std::string("%3A") : c == '/' ? std::string("%2F") : std::string(1, c);
    return out;
}

TEST(websub_subscriber, a_refused_hub_request_is_recorded_and_kept_for_a_retry) {
    fixture f;
    const auto s = f.stored();
    EXPECT_EQ(s.state, "failed");
    EXPECT_EQ(s.hub, hub);
    EXPECT_EQ(s.topic, feed);
    EXPECT_EQ(s.failures, 1);
    EXPECT_EQ(s.secret.size(), 64u);
    EXPECT_EQ(s.callback_id.size(), 32u);
    EXPECT_FALSE(f.sub->active(feed));
}

TEST(websub_subscriber, verification_echoes_the_challenge_only_for_the_subscription_asked_for) {
    fixture f;
    const auto s = f.stored();
    const std::string path = "/websub/" + s.callback_id;
    EXPECT_EQ(f.get(path + "?hub.mode=subscribe&hub.topic=" + encoded("https://other.example/") +
                    "&hub.challenge=abc&hub.lease_seconds=60")
                  .result(),
              bhttp::status::not_found);
    EXPECT_EQ(f.get("/websub/unknown?hub.mode=subscribe&hub.topic=" + encoded(feed) + "&hub.challenge=abc")
                  .result(),
              bhttp::status::not_found);
    EXPECT_EQ(
        f.get(path + "?hub.mode=unsubscribe&hub.topic=" + encoded(feed) + "&hub.challenge=abc").result(),
        bhttp::status::not_found);
    const auto ok = f.get(path + "?hub.mode=subscribe&hub.topic=" + encoded(feed) +
                          "&hub.challenge=x%2By+z&hub.lease_seconds=600");
    EXPECT_EQ(ok.result(), bhttp::status::ok);
    EXPECT_EQ(ok.body(), "x+y z");
    EXPECT_TRUE(f.sub->active(feed));
    EXPECT_EQ(f.sub->active_count(), 1u);
    const auto after = f.stored();
    EXPECT_EQ(after.state, "active");
    EXPECT_EQ(after.lease_seconds, 600);
    ASSERT_TRUE(after.expires_at);
    EXPECT_EQ(*after.expires_at, *after.verified_at + core::seconds{600});
}

TEST(websub_subscriber, content_is_taken_only_with_a_valid_signature) {
    fixture f;
    const auto s = f.stored();
    const std::string path = "/websub/" + s.callback_id;
    ASSERT_EQ(f.get(path + "?hub.mode=subscribe&hub.topic=" + encoded(feed) + "&hub.challenge=c").result(),
              bhttp::status::ok);
    EXPECT_EQ(f.post(path, "<rss/>", "").result(), bhttp::status::accepted);  // 2xx, ignored
    EXPECT_EQ(f.post(path, "<rss/>", sign("sha256", "wrong", "<rss/>")).result(), bhttp::status::accepted);
    EXPECT_TRUE(f.pushed.empty());
    EXPECT_EQ(f.post(path, "<rss/>", sign("sha1", s.secret, "<rss/>")).result(), bhttp::status::accepted);
    ASSERT_EQ(f.pushed.size(), 1u);
    EXPECT_EQ(f.pushed[0], std::make_pair(feed, std::string("<rss/>")));
    EXPECT_EQ(f.post("/websub/unknown", "<rss/>", sign("sha1", s.secret, "<rss/>")).result(),
              bhttp::status::gone);
}

TEST(websub_subscriber, a_denial_is_recorded_and_a_removed_feed_is_forgotten) {
    fixture f;
    const auto s = f.stored();
    const std::string path = "/websub/" + s.callback_id;
    EXPECT_EQ(f.get(path + "?hub.mode=denied&hub.topic=" + encoded(feed) + "&hub.reason=no+thanks").result(),
              bhttp::status::ok);
    EXPECT_EQ(f.stored().state, "denied");
    EXPECT_EQ(f.stored().last_error, "no thanks");
    EXPECT_FALSE(f.sub->active(feed));
    f.sub->set_feeds({});  // denied: nothing to end at the hub
    EXPECT_TRUE(store::websub_subscriptions(f.store).all().value().empty());
}

// §4: every hub a feed names (up to max_hubs_per_feed) gets a subscription of its own; a
// hub the feed names no more is dropped.
TEST(websub_subscriber, each_named_hub_gets_its_own_subscription_up_to_the_cap) {
    fixture f;
    core::feed_meta doc;
    doc.self_url = feed;
    for (int i = 1; i <= 6; ++i) doc.hubs.push_back("http://127.0.0.1:1/hub" + std::to_string(i));
    doc.hubs.push_back(doc.hubs.front());  // named twice: once
    f.sub->observe(feed, feed, doc, {});
    f.io.run_for(std::chrono::seconds(2));
    auto all = store::websub_subscriptions(f.store).all().value();
    ASSERT_EQ(all.size(), subscriber::max_hubs_per_feed);
    std::set<std::string> hubs, callbacks, secrets;
    for (const auto& s : all) {
        EXPECT_EQ(s.feed_url, feed);
        hubs.insert(s.hub);
        callbacks.insert(s.callback_id);
        secrets.insert(s.secret);
    }
    EXPECT_EQ(hubs, (std::set<std::string>{"http://127.0.0.1:1/hub1", "http://127.0.0.1:1/hub2",
                                           "http://127.0.0.1:1/hub3", "http://127.0.0.1:1/hub4"}));
    EXPECT_EQ(callbacks.size(), all.size());
    EXPECT_EQ(secrets.size(), all.size());

    // Each verification makes its own subscription active.
    const std::string path = "/websub/" + all[0].callback_id;
    ASSERT_EQ(f.get(path + "?hub.mode=subscribe&hub.topic=" + encoded(feed) + "&hub.challenge=c").result(),
              bhttp::status::ok);
    EXPECT_TRUE(f.sub->active(feed));
    EXPECT_EQ(f.sub->active_count(), 1u);

    doc.hubs = {"http://127.0.0.1:1/hub2"};
    f.sub->observe(feed, feed, doc, {});
    f.io.run_for(std::chrono::milliseconds(500));
    all = store::websub_subscriptions(f.store).all().value();
    // hub2 stays; the failed ones are forgotten; the active hub1 is being unsubscribed.
    std::set<std::string> left;
    for (const auto& s : all) left.insert(s.hub + " " + s.state);
    EXPECT_TRUE(left.contains("http://127.0.0.1:1/hub2 failed")) << all.size();
    EXPECT_FALSE(left.contains("http://127.0.0.1:1/hub3 failed"));
    EXPECT_FALSE(left.contains("http://127.0.0.1:1/hub4 failed"));
}

TEST(websub_subscriber, subscriptions_survive_a_restart) {
    fixture f;
    const auto s = f.stored();
    ASSERT_EQ(
        f.get("/x/" + s.callback_id + "?hub.mode=subscribe&hub.topic=" + encoded(feed) + "&hub.challenge=c")
            .result(),
        bhttp::status::ok);
    f.sub.reset();
    subscriber_options options;
    options.callback_base = "https://p.example/w";
    subscriber again(f.io.get_executor(), f.client, f.store, options,
                     [](const std::string&, std::string, std::string) {});
    again.start({feed});
    EXPECT_TRUE(again.active(feed));
}

}  // namespace
}  // namespace newswatch::websub
