// What goes as one message (issue #13 items 1 and 4) on a real event loop and a real
// SQLite outbox: one alert_group per item with `group`, one digest per period, quiet hours
// that defer to a digest, urgent alerts that break through, and a digest that survives a
// restart. The sink records what it is handed; the dispatcher is under test.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>

#include "newswatch/pipeline/outbox_dispatcher.hpp"
#include "newswatch/sinks/grouped_json.hpp"
#include "test_paths.hpp"

namespace newswatch::pipeline {
namespace {

using namespace std::chrono_literals;
using testing::temp_dir;
namespace json = boost::json;

struct received {
    std::string event;
    std::string id;
    json::value payload;
};

class recording_sink final : public sinks::alert_sink {
public:
    recording_sink() : alert_sink("people") {}
    std::string_view type() const noexcept override { return "recording"; }
    std::vector<received> messages;
    sinks::delivery_result answer = sinks::delivery_result::ok();

protected:
    void deliver_(const sinks::delivery_message& m, completion done) override {
        messages.push_back({std::string(m.event), std::string(m.id), json::parse(m.payload)});
        done(answer);
    }
};

core::timestamp at(const char* rfc3339) {
    return core::parse_rfc3339(rfc3339).value();
}

class delivery_grouping_test : public ::testing::Test {
protected:
    delivery_grouping_test()
        : store_(std::move(store::state_store::open(dir_.path() / "state.db")).value()) {}

    // One alert of `watch` about `item`, queued at `when`.
    void queue(const std::string& id, const std::string& watch, const std::string& item, core::timestamp when,
               bool urgent = false) {
        store::fetch_commit commit;
        commit.feed.url = "https://wire.example/feed";
        json::object alert{{"type", "alert"},
                           {"id", id},
                           {"watch", watch},
                           {"item", json::object{{"id", item}, {"title", "Story " + item}}}};
        store::outbox_entry e{id, "people", json::serialize(alert), "alert", watch};
        e.group_key = item;
        e.urgent = urgent;
        commit.alerts.push_back(std::move(e));
        commit.read_at = when;
        ASSERT_TRUE(store_.commit_fetch(commit, when));
    }

    template <class Adjust>
    std::unique_ptr<outbox_dispatcher> make(recording_sink& sink, Adjust adjust) {
        config::delivery_policy policy;
        adjust(policy);
        return std::make_unique<outbox_dispatcher>(
            io_.get_executor(), store_, std::map<std::string, sink_binding>{{"people", {&sink, policy}}},
            core::seconds{30 * 86400});
    }

    temp_dir dir_;
    store::state_store store_;
    boost::asio::io_context io_;
};

TEST_F(delivery_grouping_test, one_item_matching_three_watches_is_one_alert_group) {
    recording_sink sink;
    auto d = make(sink, [](auto& p) { p.group = true; });
    const auto now = core::now_utc();
    queue("a1", "membership", "item-1", now);
    queue("a2", "peace-talks", "item-1", now);
    queue("a3", "claims", "item-1", now);
    queue("b1", "membership", "item-2", now);
    d->drain(now);
    ASSERT_EQ(sink.messages.size(), 2u);
    const auto& group = sink.messages[0];
    EXPECT_EQ(group.event, "alert_group");
    EXPECT_EQ(group.id, sinks::alert_group_id({"a1", "a2", "a3"}));
    EXPECT_EQ(group.payload.at("id"), json::value(group.id));
    EXPECT_EQ(group.payload.at("watches"), (json::array{"membership", "peace-talks", "claims"}));
    EXPECT_EQ(group.payload.at("alerts").as_array().size(), 3u);
    EXPECT_EQ(sink.messages[1].payload.at("alerts").as_array().size(), 1u);
    EXPECT_EQ(store_.count_outbox().value().pending, 0);  // every row delivered
}

TEST_F(delivery_grouping_test, without_group_each_alert_is_its_own_message) {
    recording_sink sink;
    auto d = make(sink, [](auto&) {});
    const auto now = core::now_utc();
    queue("a1", "membership", "item-1", now);
    queue("a2", "peace-talks", "item-1", now);
    d->drain(now);
    ASSERT_EQ(sink.messages.size(), 2u);
    EXPECT_EQ(sink.messages[0].event, "alert");
    EXPECT_EQ(sink.messages[0].id, "a1");
}

TEST_F(delivery_grouping_test, a_failed_group_is_retried_whole_with_the_same_id) {
    recording_sink sink;
    sink.answer = sinks::delivery_result::retry("HTTP 503");
    auto d = make(sink, [](auto& p) { p.group = true; });
    const auto now = core::now_utc();
    queue("a1", "membership", "item-1", now);
    queue("a2", "aid", "item-1", now);
    d->drain(now);
    const auto rows = store_.pending_outbox(core::timestamp::max()).value();
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].next_attempt_at, rows[1].next_attempt_at);  // one backoff for the message
    sink.answer = sinks::delivery_result::ok();
    auto restarted = make(sink, [](auto& p) { p.group = true; });
    restarted->drain(core::now_utc(), core::timestamp::max());
    ASSERT_EQ(sink.messages.size(), 2u);
    EXPECT_EQ(sink.messages[0].id, sink.messages[1].id);
    EXPECT_EQ(store_.count_outbox().value().pending, 0);
}

TEST_F(delivery_grouping_test, a_digest_sends_one_message_per_period_across_a_restart) {
    recording_sink sink;
    auto hourly = [](auto& p) {
        p.digest = core::seconds{3600};
        p.timezone = "UTC";
    };
    queue("a1", "membership", "item-1", at("2026-06-01T10:05:00Z"));
    queue("a2", "peace-talks", "item-1", at("2026-06-01T10:05:00Z"));
    queue("b1", "aid", "item-2", at("2026-06-01T10:40:00Z"));
    {
        auto d = make(sink, hourly);
        d->drain(at("2026-06-01T10:50:00Z"), core::timestamp::max());
        EXPECT_TRUE(sink.messages.empty());  // held until 11:00
        // The release time is stored: the next attempt is the period's end.
        const auto rows = store_.pending_outbox(core::timestamp::max()).value();
        ASSERT_EQ(rows.size(), 3u);
        EXPECT_EQ(rows[0].next_attempt_at, at("2026-06-01T11:00:00Z"));
    }
    // A restart during the period loses nothing: a new dispatcher sends the digest.
    auto d = make(sink, hourly);
    d->drain(at("2026-06-01T11:00:01Z"), core::timestamp::max());
    ASSERT_EQ(sink.messages.size(), 1u);
    const auto& digest = sink.messages[0];
    EXPECT_EQ(digest.event, "digest");
    EXPECT_EQ(digest.payload.at("count"), 3);
    ASSERT_EQ(digest.payload.at("groups").as_array().size(), 2u);  // two stories
    EXPECT_EQ(digest.payload.at("groups").at(0).at("watches"), (json::array{"membership", "peace-talks"}));
    EXPECT_EQ(digest.payload.at("until"), "2026-06-01T11:00:00Z");
    EXPECT_EQ(store_.count_outbox().value().pending, 0);
    // Nothing queued: nothing sent at the next boundary.
    d->drain(at("2026-06-01T12:00:01Z"), core::timestamp::max());
    EXPECT_EQ(sink.messages.size(), 1u);
}

TEST_F(delivery_grouping_test, quiet_hours_defer_to_a_digest_at_their_end_around_a_dst_change) {
    recording_sink sink;
    auto quiet = [](auto& p) {
        p.quiet_hours = std::pair{22 * 60, 7 * 60};
        p.timezone = "Europe/Kyiv";
    };
    auto d = make(sink, quiet);
    // 23:30 and 02:00 local the night Kyiv moves to summer time; quiet hours end at 07:00
    // local = 04:00 UTC.
    queue("a1", "membership", "item-1", at("2026-03-28T21:30:00Z"));
    queue("b1", "aid", "item-2", at("2026-03-29T00:00:00Z"));
    d->drain(at("2026-03-29T03:59:00Z"), core::timestamp::max());
    EXPECT_TRUE(sink.messages.empty());
    d->drain(at("2026-03-29T04:00:00Z"), core::timestamp::max());
    ASSERT_EQ(sink.messages.size(), 1u);
    EXPECT_EQ(sink.messages[0].event, "digest");
    EXPECT_EQ(sink.messages[0].payload.at("count"), 2);
    // After quiet hours an alert goes at once.
    queue("c1", "aid", "item-3", at("2026-03-29T09:00:00Z"));
    d->drain(at("2026-03-29T09:00:00Z"), core::timestamp::max());
    ASSERT_EQ(sink.messages.size(), 2u);
    EXPECT_EQ(sink.messages[1].event, "alert");
}

TEST_F(delivery_grouping_test, an_urgent_watch_breaks_through_digest_and_quiet_hours) {
    recording_sink sink;
    // Quiet hours around the present (the completion of a delivery drains again at the real
    // time) and a daily digest.
    const auto now = core::now_utc();
    const int minute = static_cast<int>((now.time_since_epoch().count() / 60) % 1440);
    auto d = make(sink, [&](auto& p) {
        p.digest = core::seconds{86400};
        p.quiet_hours = std::pair{(minute + 1440 - 60) % 1440, (minute + 60) % 1440};
        p.timezone = "UTC";
    });
    queue("a1", "membership", "item-1", now);
    queue("u1", "escalation", "item-2", now, /*urgent=*/true);
    d->drain(now, core::timestamp::max());
    ASSERT_EQ(sink.messages.size(), 1u) << sink.messages[1].event << " " << sink.messages[1].id;
    EXPECT_EQ(sink.messages[0].id, "u1");
    EXPECT_EQ(store_.count_outbox().value().pending, 1);  // a1 waits for the digest
}

}  // namespace
}  // namespace newswatch::pipeline
