// The storms of the state store (issue #13 item 3) on a real SQLite file: folded rows are
// never pending, their storm is written with them, and emit_storms turns an ended storm
// into one summary row per sink in one transaction.
#include <gtest/gtest.h>

#include "newswatch/store/alert_history.hpp"
#include "newswatch/store/state_store.hpp"
#include "test_paths.hpp"

namespace newswatch::store {
namespace {

using testing::temp_dir;
const core::timestamp t0{core::seconds{1'700'000'000}};
const core::seconds window{600};

state_store open_store(const temp_dir& dir) {
    auto s = state_store::open(dir.path() / "state.db");
    EXPECT_TRUE(s.ok());
    return std::move(s).value();
}

std::string alert_payload(int i) {
    return R"({"type":"alert","item":{"title":"Story )" + std::to_string(i) + R"(","link":"https://x/)" +
           std::to_string(i) + R"("}})";
}

// Alerts 0..n-1 of watch "w" for sinks a and b; those from `fold_from` on folded into "s1".
fetch_commit storm_commit(int n, int fold_from) {
    fetch_commit c;
    c.feed.url = "https://f";
    for (int i = 0; i < n; ++i)
        for (const char* sink : {"a", "b"}) {
            outbox_entry e{"id" + std::to_string(i), sink, alert_payload(i), "alert", "w"};
            if (i >= fold_from) e.storm_id = "s1";
            c.alerts.push_back(std::move(e));
        }
    c.storms.push_back({"s1", "w", "", t0, t0 + window});
    return c;
}

std::string summary_of(const storm_record& storm, const std::vector<folded_alert_ref>& alerts) {
    std::string out = storm.storm_id + ":";
    for (const auto& a : alerts) out += a.alert_id + "|" + a.title + "|" + a.link + ";";
    return out;
}

TEST(storm_store, folded_rows_wait_for_their_storm_and_are_summarised_once_it_ends) {
    temp_dir dir;
    auto store = open_store(dir);
    ASSERT_TRUE(store.commit_fetch(storm_commit(5, 2), t0));

    auto pending = store.pending_outbox(t0 + core::seconds{1});
    ASSERT_TRUE(pending);
    EXPECT_EQ(pending->size(), 4u);  // ids 0 and 1 for each sink; the folded ones never alone
    auto open = store.open_storms(t0 + core::seconds{1});
    ASSERT_TRUE(open);
    ASSERT_EQ(open->size(), 1u);
    EXPECT_EQ((*open)[0].ends_at, t0 + window);

    // Not ended yet: nothing.
    auto early = store.emit_storms(t0 + core::seconds{599}, false, summary_of);
    ASSERT_TRUE(early);
    EXPECT_TRUE(early->empty());

    auto emitted = store.emit_storms(t0 + window, false, summary_of);
    ASSERT_TRUE(emitted);
    ASSERT_EQ(emitted->size(), 1u);
    EXPECT_EQ((*emitted)[0].sinks, 2u);
    EXPECT_EQ((*emitted)[0].folded, 6u);
    auto rows = store.pending_outbox(t0 + window);
    ASSERT_TRUE(rows);
    std::vector<outbox_row> storms;
    for (auto& r : *rows)
        if (r.entry.event == "storm") storms.push_back(r);
    ASSERT_EQ(storms.size(), 2u);
    for (const auto& r : storms) {
        EXPECT_EQ(r.entry.alert_id, "s1");
        EXPECT_EQ(r.entry.watch, "w");
        EXPECT_EQ(r.entry.payload,
                  "s1:id2|Story 2|https://x/2;id3|Story 3|https://x/3;id4|Story 4|https://x/4;");
    }
    EXPECT_TRUE(store.open_storms(t0).value().empty());  // emitted
    // Once only.
    EXPECT_TRUE(store.emit_storms(t0 + window + core::seconds{5}, true, summary_of).value().empty());

    // A folded alert explains itself (`newswatch alerts show`).
    alert_history history(store);
    auto deliveries = history.deliveries_of("id3");
    ASSERT_TRUE(deliveries);
    ASSERT_EQ(deliveries->size(), 2u);
    for (const auto& d : *deliveries) {
        EXPECT_EQ(d.state, "delivered");
        EXPECT_EQ(d.last_error, "folded into storm s1");
        auto attempts = history.attempts_of(d.row_id);
        ASSERT_TRUE(attempts);
        ASSERT_EQ(attempts->size(), 1u);
        EXPECT_EQ((*attempts)[0].outcome, "folded");
    }
}

TEST(storm_store, all_emits_storms_still_open_and_late_folded_alerts_are_not_lost) {
    temp_dir dir;
    auto store = open_store(dir);
    ASSERT_TRUE(store.commit_fetch(storm_commit(3, 1), t0));
    auto emitted = store.emit_storms(t0 + core::seconds{10}, true, summary_of);  // --once
    ASSERT_TRUE(emitted);
    ASSERT_EQ(emitted->size(), 1u);
    // An alert folded into that storm but written after its summary went out is delivered
    // on its own instead of waiting for a summary that never comes.
    fetch_commit late;
    late.feed.url = "https://f";
    outbox_entry e{"id9", "a", alert_payload(9), "alert", "w"};
    e.storm_id = "s1";
    late.alerts.push_back(e);
    ASSERT_TRUE(store.commit_fetch(late, t0 + core::seconds{20}));
    auto pending = store.pending_for_sink("a", t0 + core::seconds{20}, 100);
    ASSERT_TRUE(pending);
    bool found = false;
    for (const auto& r : *pending) found = found || r.entry.alert_id == "id9";
    EXPECT_TRUE(found);
}

}  // namespace
}  // namespace newswatch::store
