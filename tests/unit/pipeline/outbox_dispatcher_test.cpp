// The dispatcher's delivery policy (issue #11 item 2) on a real event loop and a real
// SQLite outbox. The sinks here are scripted channels: the dispatcher is under test.
#include "newswatch/pipeline/outbox_dispatcher.hpp"

#include <gtest/gtest.h>

#include <deque>

#include <boost/asio/io_context.hpp>

#include "test_paths.hpp"

namespace newswatch::pipeline {
namespace {

using namespace std::chrono_literals;
using testing::temp_dir;

// A channel that answers from a script (one result per attempt; the last one repeats) and
// can hold its completions back to stay "in flight".
class scripted_sink final : public sinks::alert_sink {
public:
    explicit scripted_sink(std::vector<sinks::delivery_result> script)
        : alert_sink("scripted"), script_(std::move(script)) {}
    std::string_view type() const noexcept override { return "scripted"; }

    void hold(bool on) { hold_ = on; }
    // Completes every held delivery with `result`.
    void release(const sinks::delivery_result& result) {
        auto held = std::move(held_);
        held_.clear();
        for (auto& done : held) done(result);
    }
    std::size_t held() const { return held_.size(); }
    const std::vector<std::string>& ids() const { return ids_; }

protected:
    void deliver_(const sinks::delivery_message& message, completion done) override {
        ids_.emplace_back(message.id);
        if (hold_) {
            held_.push_back(std::move(done));
            return;
        }
        const auto& r = script_[std::min(next_++, script_.size() - 1)];
        done(r);
    }

private:
    std::vector<sinks::delivery_result> script_;
    std::size_t next_ = 0;
    bool hold_ = false;
    std::vector<completion> held_;
    std::vector<std::string> ids_;
};

class outbox_dispatcher_test : public ::testing::Test {
protected:
    outbox_dispatcher_test()
        : store_(std::move(store::state_store::open(dir_.path() / "state.db")).value()) {}

    // Queues alerts "a1".."aN" for sink "scripted", in detection order.
    void queue(int n, core::timestamp at = core::now_utc()) {
        store::fetch_commit commit;
        commit.feed.url = "https://example.org/feed";
        for (int i = 1; i <= n; ++i) {
            const std::string id = "a" + std::to_string(i);
            commit.alerts.push_back({id, "scripted", "{\"id\":\"" + id + "\"}", "alert", "w"});
        }
        commit.read_at = at;
        ASSERT_TRUE(store_.commit_fetch(commit, at));
    }

    // A dispatcher for `sink` with the default policy as `adjust` changes it.
    template <class Adjust>
    std::unique_ptr<outbox_dispatcher> make(scripted_sink& sink, Adjust adjust) {
        config::delivery_policy policy;
        adjust(policy);
        return std::make_unique<outbox_dispatcher>(
            io_.get_executor(), store_, std::map<std::string, sink_binding>{{"scripted", {&sink, policy}}},
            core::seconds{30 * 86400});
    }

    temp_dir dir_;
    store::state_store store_;
    boost::asio::io_context io_;
};

TEST_F(outbox_dispatcher_test, a_temporary_failure_is_retried_later_within_the_backoff_ceiling) {
    scripted_sink sink({sinks::delivery_result::retry("HTTP 503")});
    auto dispatcher = make(sink, [](config::delivery_policy& p) {
        p.retry_initial = 30s;
        p.retry_max = 3600s;
    });
    queue(1);
    const auto now = core::now_utc();
    dispatcher->drain(now);
    EXPECT_EQ(sink.ids().size(), 1u);
    EXPECT_TRUE(store_.pending_outbox(now).value().empty());  // not due again yet
    auto later = store_.pending_outbox(now + 31s).value();
    ASSERT_EQ(later.size(), 1u);  // full jitter: somewhere in [1 s, 30 s]
    EXPECT_EQ(later[0].attempts, 1);
    EXPECT_EQ(store_.count_outbox().value().retrying, 1);
}

TEST_F(outbox_dispatcher_test, retry_after_is_honoured) {
    scripted_sink sink({sinks::delivery_result::retry("HTTP 429", core::seconds{600})});
    auto dispatcher = make(sink, [](config::delivery_policy& p) { p.retry_initial = 30s; });
    queue(1);
    const auto now = core::now_utc();
    dispatcher->drain(now);
    EXPECT_TRUE(store_.pending_outbox(now + 590s).value().empty());
    EXPECT_EQ(store_.pending_outbox(now + 602s).value().size(), 1u);
}

TEST_F(outbox_dispatcher_test, a_permanent_failure_is_a_dead_letter_at_once_and_stays_in_the_database) {
    scripted_sink sink({sinks::delivery_result::permanent("HTTP 404")});
    auto dispatcher = make(sink, [](config::delivery_policy&) {});
    queue(1);
    const auto counts = dispatcher->drain(core::now_utc());
    EXPECT_EQ(counts.dead, 1u);
    const auto outbox = store_.count_outbox().value();
    EXPECT_EQ(outbox.dead, 1);
    EXPECT_EQ(outbox.pending, 0);
    EXPECT_TRUE(store_.pending_outbox(core::timestamp::max()).value().empty());  // never again
}

TEST_F(outbox_dispatcher_test, max_attempts_makes_a_dead_letter) {
    scripted_sink sink({sinks::delivery_result::retry("down")});
    auto dispatcher = make(sink, [](config::delivery_policy& p) { p.max_attempts = 2; });
    queue(1);
    dispatcher->drain(core::now_utc());
    EXPECT_EQ(store_.count_outbox().value().dead, 0);
    dispatcher->drain(core::now_utc(), core::timestamp::max());  // as if the retry were due
    // A row that failed in this process waits for its own backoff even when the stored
    // schedule is ignored: a second dispatcher (a restart) tries it.
    auto restarted = make(sink, [](config::delivery_policy& p) { p.max_attempts = 2; });
    restarted->drain(core::now_utc(), core::timestamp::max());
    EXPECT_EQ(store_.count_outbox().value().dead, 1);
    EXPECT_EQ(sink.ids().size(), 2u);
}

TEST_F(outbox_dispatcher_test, max_age_makes_a_failing_old_alert_a_dead_letter) {
    scripted_sink sink({sinks::delivery_result::retry("down")});
    auto dispatcher = make(sink, [](config::delivery_policy& p) { p.max_age = 3600s; });
    queue(1, core::now_utc() - 7200s);
    dispatcher->drain(core::now_utc());
    EXPECT_EQ(store_.count_outbox().value().dead, 1);
}

TEST_F(outbox_dispatcher_test, an_old_alert_that_can_be_delivered_is_delivered) {
    scripted_sink sink({sinks::delivery_result::ok()});
    auto dispatcher = make(sink, [](config::delivery_policy& p) { p.max_age = 3600s; });
    queue(1, core::now_utc() - 7200s);
    EXPECT_EQ(dispatcher->drain(core::now_utc()).delivered, 1u);
}

TEST_F(outbox_dispatcher_test, concurrency_bounds_the_deliveries_in_flight) {
    scripted_sink sink({sinks::delivery_result::ok()});
    sink.hold(true);
    auto dispatcher = make(sink, [](config::delivery_policy& p) { p.concurrency = 3; });
    queue(10);
    dispatcher->drain(core::now_utc());
    EXPECT_EQ(sink.held(), 3u);
    dispatcher->drain(core::now_utc());  // nothing more while they are in flight
    EXPECT_EQ(sink.held(), 3u);
    sink.release(sinks::delivery_result::ok());
    // Each completion frees a slot once its outcome is stored: those that arrive together
    // in one transaction, on the next turn of the loop (issue #16).
    EXPECT_EQ(sink.held(), 0u);
    io_.poll();
    EXPECT_EQ(sink.held(), 3u);
    EXPECT_EQ(sink.ids().size(), 6u);
    EXPECT_EQ(dispatcher->totals().delivered, 3u);
}

TEST_F(outbox_dispatcher_test, unordered_later_alerts_overtake_a_failing_one) {
    scripted_sink sink({sinks::delivery_result::retry("first fails"), sinks::delivery_result::ok()});
    auto dispatcher = make(sink, [](config::delivery_policy& p) { p.concurrency = 1; });
    queue(3);
    dispatcher->drain(core::now_utc());
    EXPECT_EQ(sink.ids(), (std::vector<std::string>{"a1", "a2", "a3"}));
    EXPECT_EQ(dispatcher->totals().delivered, 2u);
}

TEST_F(outbox_dispatcher_test, ordered_a_failing_alert_holds_back_later_ones_until_it_is_delivered) {
    scripted_sink sink({sinks::delivery_result::retry("first fails"), sinks::delivery_result::ok()});
    auto dispatcher = make(sink, [](config::delivery_policy& p) {
        p.concurrency = 1;
        p.ordered = true;
    });
    queue(3);
    dispatcher->drain(core::now_utc());
    EXPECT_EQ(sink.ids(), (std::vector<std::string>{"a1"}));  // a2 and a3 wait behind it
    dispatcher->drain(core::now_utc());
    EXPECT_EQ(sink.ids().size(), 1u);
    // The restart of a daemon: the retry is due.
    auto restarted = make(sink, [](config::delivery_policy& p) {
        p.concurrency = 1;
        p.ordered = true;
    });
    restarted->drain(core::now_utc(), core::timestamp::max());
    EXPECT_EQ(sink.ids(), (std::vector<std::string>{"a1", "a1", "a2", "a3"}));
}

TEST_F(outbox_dispatcher_test, ordered_a_dead_letter_lets_the_next_one_go) {
    scripted_sink sink({sinks::delivery_result::permanent("HTTP 400"), sinks::delivery_result::ok()});
    auto dispatcher = make(sink, [](config::delivery_policy& p) { p.ordered = true; });
    queue(2);
    dispatcher->drain(core::now_utc());
    EXPECT_EQ(sink.ids(), (std::vector<std::string>{"a1", "a2"}));
    EXPECT_EQ(store_.count_outbox().value().dead, 1);
}

TEST_F(outbox_dispatcher_test, the_rate_limit_lets_a_burst_through_then_waits_for_tokens) {
    scripted_sink sink({sinks::delivery_result::ok()});
    auto dispatcher = make(sink, [](config::delivery_policy& p) {
        p.concurrency = 8;
        p.rate = config::rate_limit{2, 3600s};
    });
    queue(5);
    dispatcher->drain(core::now_utc());
    EXPECT_EQ(sink.ids().size(), 2u);
    dispatcher->drain(core::now_utc());
    EXPECT_EQ(sink.ids().size(), 2u);  // the next token comes in 30 min
}

TEST_F(outbox_dispatcher_test, the_rate_limit_refills_over_time) {
    scripted_sink sink({sinks::delivery_result::ok()});
    auto dispatcher = make(sink, [](config::delivery_policy& p) { p.rate = config::rate_limit{1, 1s}; });
    queue(3);
    dispatcher->drain(core::now_utc());
    EXPECT_EQ(sink.ids().size(), 1u);
    // The dispatcher arms its own timer for the next token.
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    while (sink.ids().size() < 3 && std::chrono::steady_clock::now() < deadline) io_.run_one_for(100ms);
    EXPECT_EQ(sink.ids().size(), 3u);
}

TEST_F(outbox_dispatcher_test, once_mode_retries_within_the_run_until_delivered) {
    scripted_sink sink({sinks::delivery_result::retry("down"), sinks::delivery_result::retry("down"),
                        sinks::delivery_result::ok()});
    auto dispatcher = make(sink, [](config::delivery_policy& p) { p.retry_initial = 3600s; });
    dispatcher->set_once_mode(true);
    queue(1);
    dispatcher->drain(core::now_utc(), core::timestamp::max());
    EXPECT_EQ(dispatcher->once_result().still_pending, 1u);
    // 1 s, then 2 s: the dispatcher's timer, not the sink's retry_initial of an hour.
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    while (dispatcher->once_result().still_pending > 0 && std::chrono::steady_clock::now() < deadline)
        io_.run_one_for(100ms);
    EXPECT_EQ(dispatcher->once_result().still_pending, 0u);
    EXPECT_EQ(dispatcher->once_result().dead, 0u);
    EXPECT_EQ(sink.ids().size(), 3u);
    EXPECT_EQ(store_.count_outbox().value().pending, 0);
}

TEST_F(outbox_dispatcher_test, outcomes_and_attempt_history_survive_a_restart) {
    scripted_sink sink({sinks::delivery_result::retry("HTTP 503")});
    {
        auto dispatcher = make(sink, [](config::delivery_policy&) {});
        queue(1);
        dispatcher->drain(core::now_utc());
    }
    auto reopened = std::move(store::state_store::open(dir_.path() / "state.db")).value();
    auto rows = reopened.pending_outbox(core::timestamp::max()).value();
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].attempts, 1);
}

TEST_F(outbox_dispatcher_test,
       a_completion_after_the_dispatcher_is_gone_is_ignored_and_the_row_stays_pending) {
    scripted_sink sink({sinks::delivery_result::ok()});
    sink.hold(true);
    auto dispatcher = make(sink, [](config::delivery_policy&) {});
    queue(1);
    dispatcher->drain(core::now_utc());
    ASSERT_EQ(sink.held(), 1u);
    dispatcher.reset();
    sink.release(sinks::delivery_result::ok());  // must not touch the freed dispatcher (ASan)
    EXPECT_EQ(store_.count_outbox().value().pending, 1);
}

}  // namespace
}  // namespace newswatch::pipeline
