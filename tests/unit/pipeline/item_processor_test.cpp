#include "newswatch/pipeline/item_processor.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "test_paths.hpp"

namespace newswatch::pipeline {
namespace {

using testing::temp_dir;

const core::timestamp now{core::seconds{1'720'000'000}};  // 2024-07-03

std::string rss(const std::string& items) {
    return "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Wire</title>" + items + "</channel></rss>";
}

std::string item(const std::string& guid, const std::string& title, const std::string& date = "") {
    return "<item><guid>" + guid + "</guid><title>" + title + "</title><link>https://n/" + guid + "</link>" +
           (date.empty() ? "" : "<pubDate>" + date + "</pubDate>") + "</item>";
}

matcher::watch_spec spec(std::string name, std::string query) {
    matcher::watch_spec s;
    s.name = std::move(name);
    s.query = std::move(query);
    return s;
}

class item_processor_test : public ::testing::Test {
protected:
    item_processor_test()
        : store_(std::move(store::state_store::open(dir_.path() / "state.db")).value()),
          watches_(std::move(matcher::watch_set::compile({spec("nu", "NATO AND Ukraine")})).value()) {
        bindings_.push_back({"nu", {"file", "log"}, std::nullopt});
        feed_.url = "https://n/feed";
    }

    process_summary run(const std::string& body, item_processor& p) {
        fetcher::fetch_response r;
        r.outcome = fetcher::fetch_outcome::ok;
        r.http_status = 200;
        r.body = body;
        r.content_type = "application/rss+xml";
        auto loaded = store_.load_feed(feed_.url);
        if (loaded && *loaded) state_ = **loaded;
        state_.url = feed_.url;
        auto s = p.process(feed_, state_, r, now);
        EXPECT_TRUE(s.ok());
        return s.ok() ? *s : process_summary{};
    }

    std::vector<store::outbox_row> outbox() { return std::move(store_.pending_outbox(now + core::seconds{1})).value(); }

    temp_dir dir_;
    store::state_store store_;
    matcher::watch_set watches_;
    std::vector<watch_binding> bindings_;
    feed_definition feed_;
    store::feed_state state_;
    pipeline_options options_;
};

TEST_F(item_processor_test, new_matching_items_are_queued_once_per_sink_and_only_once) {
    item_processor p(options_, watches_, bindings_, nullptr, store_);
    const std::string doc = rss(item("a", "NATO backs Ukraine", "Wed, 03 Jul 2024 08:00:00 GMT") +
                                item("b", "Football results", "Wed, 03 Jul 2024 08:00:00 GMT"));
    auto s = run(doc, p);
    EXPECT_TRUE(s.parsed);
    EXPECT_EQ(s.items, 2u);
    EXPECT_EQ(s.new_items, 2u);
    EXPECT_EQ(s.alerts, 1u);
    auto rows = outbox();
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].entry.sink, "file");
    EXPECT_EQ(rows[1].entry.sink, "log");
    const auto alert = boost::json::parse(rows[0].entry.payload).as_object();
    EXPECT_EQ(alert.at("id").as_string(), core::alert_id("nu", "https://n/feed", "a"));
    EXPECT_EQ(alert.at("feed").at("title").as_string(), "Wire");

    auto again = run(doc, p);
    EXPECT_EQ(again.new_items, 0u);
    EXPECT_EQ(again.alerts, 0u);
    EXPECT_EQ(outbox().size(), 2u);
}

TEST_F(item_processor_test, old_items_are_remembered_but_do_not_alert) {
    item_processor p(options_, watches_, bindings_, nullptr, store_);
    auto s = run(rss(item("old", "NATO backs Ukraine", "Sun, 30 Jun 2024 08:00:00 GMT")), p);
    EXPECT_EQ(s.new_items, 1u);
    EXPECT_EQ(s.too_old, 1u);
    EXPECT_EQ(s.alerts, 0u);
    EXPECT_TRUE(outbox().empty());
}

TEST_F(item_processor_test, mark_seen_policy_suppresses_only_the_first_fetch) {
    options_.mark_seen_on_first_fetch = true;
    item_processor p(options_, watches_, bindings_, nullptr, store_);
    EXPECT_EQ(run(rss(item("a", "NATO backs Ukraine")), p).alerts, 0u);
    EXPECT_EQ(run(rss(item("a", "NATO backs Ukraine") + item("b", "NATO and Ukraine sign")), p).alerts, 1u);
}

TEST_F(item_processor_test, a_document_that_is_not_a_feed_changes_nothing) {
    item_processor p(options_, watches_, bindings_, nullptr, store_);
    auto s = run("<html><body>Not a feed</body></html>", p);
    EXPECT_FALSE(s.parsed);
    EXPECT_FALSE(s.parse_error.empty());
    auto loaded = store_.load_feed(feed_.url);
    ASSERT_TRUE(loaded);
    EXPECT_FALSE(*loaded);
}

TEST_F(item_processor_test, claim_watches_without_a_model_do_not_alert) {
    bindings_[0].claim = claim_filter{"Ukraine will join NATO", {"agree"}, 0.5};
    item_processor p(options_, watches_, bindings_, nullptr, store_);
    EXPECT_EQ(run(rss(item("a", "NATO backs Ukraine")), p).alerts, 0u);
}

}  // namespace
}  // namespace newswatch::pipeline
