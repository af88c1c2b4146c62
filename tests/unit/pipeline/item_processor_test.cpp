#include "newswatch/pipeline/item_processor.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>

#include "newswatch/core/metrics_registry.hpp"
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

// Parameter: worker threads of the compute pool (0 = inline on the loop thread).
class item_processor_test : public ::testing::TestWithParam<std::size_t> {
protected:
    item_processor_test()
        : store_(std::move(store::state_store::open(dir_.path() / "state.db")).value()),
          watches_(std::move(matcher::watch_set::compile({spec("nu", "NATO AND Ukraine")})).value()),
          compute_(GetParam()),
          journal_(io_.get_executor(), store_) {
        bindings_.push_back({"nu", {"file", "log"}, std::nullopt});
        feed_.url = "https://n/feed";
    }

    item_processor make_processor(dedup::story_index* stories = nullptr) {
        return item_processor(options_, watches_, bindings_, nullptr, store_, journal_, compute_, stories);
    }

    // One document through the processor on a real event loop; the journal is written
    // before this returns, as the monitor's flush would.
    process_summary run(const std::string& body, item_processor& p) {
        http::fetch_response r;
        r.outcome = http::fetch_outcome::ok;
        r.http_status = 200;
        r.body = body;
        r.content_type = "application/rss+xml";
        auto loaded = store_.load_feed(feed_.url);
        if (loaded && *loaded) state_ = **loaded;
        state_.url = feed_.url;
        std::optional<core::result<process_summary>> out;
        auto body_of_test = [&]() -> boost::asio::awaitable<void> {
            out.emplace(co_await p.process(feed_, state_, r, now));
        };
        boost::asio::co_spawn(io_, body_of_test(), [](std::exception_ptr e) { EXPECT_FALSE(e); });
        io_.run();
        io_.restart();
        journal_.flush();
        EXPECT_TRUE(out && out->ok());
        return out && out->ok() ? **out : process_summary{};
    }

    std::vector<store::outbox_row> outbox() { return std::move(store_.pending_outbox(now + core::seconds{1})).value(); }

    temp_dir dir_;
    store::state_store store_;
    matcher::watch_set watches_;
    std::vector<watch_binding> bindings_;
    feed_definition feed_;
    store::feed_state state_;
    pipeline_options options_;
    boost::asio::io_context io_;
    compute_pool compute_;
    state_journal journal_;
};

INSTANTIATE_TEST_SUITE_P(threads, item_processor_test, ::testing::Values(std::size_t{0}, std::size_t{2}));

TEST_P(item_processor_test, new_matching_items_are_queued_once_per_sink_and_only_once) {
    item_processor p = make_processor();
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

TEST_P(item_processor_test, old_items_are_remembered_but_do_not_alert) {
    item_processor p = make_processor();
    auto s = run(rss(item("old", "NATO backs Ukraine", "Sun, 30 Jun 2024 08:00:00 GMT")), p);
    EXPECT_EQ(s.new_items, 1u);
    EXPECT_EQ(s.too_old, 1u);
    EXPECT_EQ(s.alerts, 0u);
    EXPECT_TRUE(outbox().empty());
}

TEST_P(item_processor_test, mark_seen_policy_suppresses_only_the_first_fetch) {
    options_.mark_seen_on_first_fetch = true;
    item_processor p = make_processor();
    EXPECT_EQ(run(rss(item("a", "NATO backs Ukraine")), p).alerts, 0u);
    EXPECT_EQ(run(rss(item("a", "NATO backs Ukraine") + item("b", "NATO and Ukraine sign")), p).alerts, 1u);
}

TEST_P(item_processor_test, a_document_that_is_not_a_feed_changes_nothing) {
    item_processor p = make_processor();
    auto s = run("<html><body>Not a feed</body></html>", p);
    EXPECT_FALSE(s.parsed);
    EXPECT_FALSE(s.parse_error.empty());
    auto loaded = store_.load_feed(feed_.url);
    ASSERT_TRUE(loaded);
    EXPECT_FALSE(*loaded);
}

TEST_P(item_processor_test, claim_watches_without_a_model_do_not_alert) {
    bindings_[0].claim = claim_filter{"Ukraine will join NATO", {"agree"}, 0.5};
    item_processor p = make_processor();
    EXPECT_EQ(run(rss(item("a", "NATO backs Ukraine")), p).alerts, 0u);
}

}  // namespace
}  // namespace newswatch::pipeline

namespace newswatch::pipeline {
namespace {

std::string linked_item(const std::string& guid, const std::string& title, const std::string& link) {
    return "<item><guid>" + guid + "</guid><title>" + title + "</title><link>" + link + "</link></item>";
}

// Issue #13 item 2: a feed that changes every guid on each fetch while its items stay the
// same (GUID churn) alerts once; the repeats are recorded with the original alert.
TEST_P(item_processor_test, guid_churn_alerts_once_and_records_the_repeats) {
    dedup::story_index stories;
    item_processor p = make_processor(&stories);
    const auto counted = [] {
        const auto s = core::metrics_registry::process().snapshot();
        const auto it = s.alerts_deduplicated.find("nu");
        return it == s.alerts_deduplicated.end() ? std::uint64_t{0} : it->second;
    };
    const std::uint64_t counted_before = counted();
    for (int fetch = 0; fetch < 5; ++fetch) {
        const auto s = run(rss(linked_item("churn-" + std::to_string(fetch), "NATO backs Ukraine at the summit",
                                           "https://n.example/story-1")),
                           p);
        EXPECT_EQ(s.new_items, 1u);
        EXPECT_EQ(s.alerts, fetch == 0 ? 1u : 0u) << fetch;
        EXPECT_EQ(s.duplicates, fetch == 0 ? 0u : 1u) << fetch;
    }
    EXPECT_EQ(outbox().size(), 2u);  // one alert, two sinks
    const std::string original = core::alert_id("nu", feed_.url, "churn-0");
    const auto sources = store_.duplicates_of(original).value();
    ASSERT_EQ(sources.size(), 4u);
    EXPECT_EQ(sources[0].item_id, "churn-1");
    EXPECT_EQ(sources[0].rule, "link");
    EXPECT_EQ(sources[0].watch, "nu");
    EXPECT_EQ(store_.remembered_stories(core::timestamp{}).value().size(), 1u);
    EXPECT_EQ(counted() - counted_before, 4u);  // newswatch_alerts_deduplicated_total{watch="nu"}
}

TEST_P(item_processor_test, the_same_story_from_another_feed_is_a_duplicate_and_dedup_window_0s_turns_it_off) {
    dedup::story_index stories;
    item_processor p = make_processor(&stories);
    EXPECT_EQ(run(rss(linked_item("a", "NATO backs Ukraine at the summit", "https://n.example/story-1")), p).alerts,
              1u);
    feed_.url = "https://aggregator.example/feed";
    state_ = {};
    const auto s = run(rss(linked_item("x", "Other words on NATO and Ukraine here",
                                       "https://n.example/story-1?utm_source=agg&utm_medium=rss")),
                       p);
    EXPECT_EQ(s.alerts, 0u);
    EXPECT_EQ(s.duplicates, 1u);

    options_.dedup_window = core::seconds{0};
    feed_.url = "https://third.example/feed";
    state_ = {};
    EXPECT_EQ(run(rss(linked_item("y", "NATO backs Ukraine at the summit", "https://n.example/story-1")), p).alerts,
              1u);
}

}  // namespace
}  // namespace newswatch::pipeline
