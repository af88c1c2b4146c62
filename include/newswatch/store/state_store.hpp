#pragma once
// SQLite state (WAL) in <state_dir>/state.db: feed state, seen items, the alert outbox.
// Synchronous; one state_store per thread (the daemon uses it from its event loop only).
// Every function reports SQLite failures as values (errc::database_error).
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "newswatch/core/result.hpp"
#include "newswatch/core/time.hpp"
#include "newswatch/store/dedup_records.hpp"
#include "newswatch/store/feed_state.hpp"

struct sqlite3;

namespace newswatch::store {

// One alert for one sink, waiting in the outbox until delivered.
struct outbox_entry {
    outbox_entry() = default;
    outbox_entry(std::string alert_id_, std::string sink_, std::string payload_, std::string event_ = "alert",
                 std::string watch_ = {})
        : alert_id(std::move(alert_id_)),
          sink(std::move(sink_)),
          payload(std::move(payload_)),
          event(std::move(event_)),
          watch(std::move(watch_)) {}

    std::string alert_id;
    std::string sink;
    std::string payload;          // the alert JSON, one line
    std::string event = "alert";  // "alert", "feed_health", "storm" (X-Newswatch-Event)
    std::string watch;            // the alert's watch ("" for feed health)
    // The item an alert is about (grouped sinks send the rows of one item and sink as one
    // alert_group); "" for other events.
    std::string group_key;
    bool urgent = false;  // the watch's `urgent`: through digests and quiet hours
    // Set when the storm guard folded the alert into that storm: never delivered on its own
    // (the storm summary lists it).
    std::optional<std::string> storm_id;
};

// What happened to one outbox row's delivery attempt.
enum class outcome_kind { delivered, retry, dead };
struct delivery_outcome {
    std::int64_t row_id = 0;
    outcome_kind kind = outcome_kind::delivered;
    core::timestamp at{};            // when the attempt ended
    core::timestamp next_attempt{};  // retry: when to try again
    std::string detail;              // what the sink said (the error of a failure)
};

struct outbox_row {
    std::int64_t row_id = 0;
    outbox_entry entry;
    int attempts = 0;  // since it was queued, retried or replayed
    core::timestamp created_at{};
    core::timestamp age_from{};  // max_age counts from here: queued, retried or replayed
    core::timestamp next_attempt_at{};
};

// Undelivered outbox rows: all of them, those whose delivery failed at least once, and
// the dead letters (given up; kept for `newswatch alerts`).
struct outbox_counts {
    std::int64_t pending = 0;
    std::int64_t retrying = 0;
    std::int64_t dead = 0;
};

// A storm the storm guard opened (table storms, issue #13 item 3): the alerts of one watch
// (or feed) beyond its threshold from started_at until ends_at are folded into it, and each
// sink gets one summary of them once the window has ended.
struct storm_record {
    std::string storm_id;
    std::string watch;     // a watch's storm; "" for a feed's
    std::string feed_url;  // a feed's storm (as configured); "" for a watch's
    core::timestamp started_at{};
    core::timestamp ends_at{};
};

// One folded alert as its storm summary lists it (read from the alert's payload).
struct folded_alert_ref {
    std::string alert_id;
    std::string title;  // "" when the item had none
    std::string link;
};

// A storm summary that emit_storms queued.
struct emitted_storm {
    storm_record storm;
    std::size_t sinks = 0;   // summaries queued (one per sink with folded alerts)
    std::size_t folded = 0;  // folded deliveries (alerts x sinks) marked delivered by them
};

// Everything one successful fetch changes, committed in one transaction so that a crash
// can repeat a delivery attempt but never lose an alert.
struct fetch_commit {
    feed_state feed;
    std::vector<std::string> present_item_ids;  // every item id in the fetched document
    std::vector<outbox_entry> alerts;
    std::vector<remembered_story> stories;     // alerted stories for the dedup window
    std::vector<duplicate_source> duplicates;  // repeats recorded instead of alerting
    std::vector<storm_record> storms;          // storms opened by this document's alerts
    // When the document was read: its items' last_present_at and its alerts' created_at.
    // The epoch (default) means "when written".
    core::timestamp read_at{};
};

// Several fetches' changes in one transaction: the daemon groups what a burst of polls
// produced, so each poll does not pay for a transaction (locks, WAL frames) of its own.
struct write_batch {
    std::vector<fetch_commit> documents;  // documents read: seen items, alerts, feed state
    std::vector<feed_state> feeds;        // feed state alone (304s, failures)
};

class state_store {
public:
    // Opens (creating if needed) the database file and migrates its schema. A file that
    // is damaged or not a database fails with errc::database_corrupt.
    static core::result<state_store> open(const std::filesystem::path& db_file);
    // Opens an existing database for reading only (`newswatch status` as a member of the
    // service group, which may not write the state directory). Never creates or migrates;
    // an older or newer schema is an error.
    static core::result<state_store> open_read_only(const std::filesystem::path& db_file);

    // PRAGMA quick_check: errc::database_corrupt naming the first problems found. O(size of
    // the database), for startup.
    core::result<void> quick_check();
    // PRAGMA quick_check(table) of each table (and its indexes) only: reads those tables,
    // not the whole file (SQLite >= 3.33). Same errors as quick_check.
    core::result<void> quick_check_tables(const std::vector<std::string_view>& tables);

    // The meta table (schema 8): facts about the database itself. A damaged table is
    // errc::database_corrupt.
    core::result<std::optional<std::string>> meta(std::string_view key);
    core::result<void> set_meta(std::string_view key, std::string_view value);

    core::result<std::optional<feed_state>> load_feed(std::string_view url);
    core::result<std::vector<feed_state>> all_feeds();
    // Writes the state unless the stored row's reset_count differs from feed.reset_count
    // (a `feeds reset` happened since the state was read: the reset wins).
    core::result<void> save_feed(const feed_state& feed);
    // Clears retirement, backoff and failure counters and bumps reset_count (`newswatch
    // feeds reset`); a running daemon notices the new count and reloads the feed's state.
    core::result<bool> reset_feed(std::string_view url);
    // (url, reset_count) of every feed that was ever reset.
    core::result<std::vector<std::pair<std::string, std::int64_t>>> feed_resets();

    // For each id, true when this feed has never shown it before.
    core::result<std::vector<bool>> find_new_items(std::string_view feed_url,
                                                   const std::vector<std::string>& ids);

    // One transaction: mark present items seen (now), queue alerts, save feed state.
    core::result<void> commit_fetch(const fetch_commit& commit, core::timestamp now);
    // Everything in `batch` in one transaction, all or nothing.
    core::result<void> apply(const write_batch& batch, core::timestamp now);

    // Undelivered, living outbox rows whose next attempt is due, oldest first.
    core::result<std::vector<outbox_row>> pending_outbox(core::timestamp now, int limit = 1000);
    // The same for one sink, oldest first, from row ids above `after_row_id`.
    core::result<std::vector<outbox_row>> pending_for_sink(std::string_view sink, core::timestamp due,
                                                           int limit, std::int64_t after_row_id = 0);
    // The oldest undelivered, living row of a sink, due or not (an ordered sink's head).
    core::result<std::optional<outbox_row>> head_of_sink(std::string_view sink);
    // The names of the sinks that have undelivered, living rows.
    core::result<std::vector<std::string>> sinks_with_pending();
    core::result<void> mark_delivered(std::int64_t row_id, core::timestamp now);
    core::result<void> mark_failed(std::int64_t row_id, std::string_view error, core::timestamp next_attempt);
    // Many delivery outcomes in one transaction (all or nothing); each is also kept in the
    // attempt history that `newswatch alerts show` prints.
    core::result<void> mark_outcomes(const std::vector<delivery_outcome>& outcomes);
    // Moves the next attempt of pending rows to their release time (a digest, quiet hours):
    // the sink's queries skip them until then. One transaction; not an attempt.
    core::result<void> hold_until(const std::vector<std::pair<std::int64_t, core::timestamp>>& rows);
    core::result<std::int64_t> count_pending();
    core::result<outbox_counts> count_outbox();

    // Forgets seen items that have not been in their feed since `cutoff`; returns how many.
    // Items of a feed's latest document (the one read at its items_seen_at) are kept: a
    // feed answering 304 still holds them, and a 304 costs no per-item write.
    core::result<std::int64_t> prune_seen(core::timestamp cutoff);
    // Drops delivered and dead outbox rows (and their attempt history) finished before `cutoff`,
    // and the storms summarised before it.
    core::result<std::int64_t> prune_delivered(core::timestamp cutoff);

    // Deduplication (issue #13 item 2). Stories remembered at or after `since`, oldest first.
    core::result<std::vector<remembered_story>> remembered_stories(core::timestamp since);
    // Every recorded source that repeated the story of `alert_id`, oldest first.
    core::result<std::vector<duplicate_source>> duplicates_of(std::string_view alert_id);
    // Drops stories remembered before `story_cutoff` and duplicate sources seen before
    // `source_cutoff`; returns how many rows went.
    core::result<std::int64_t> prune_dedup(core::timestamp story_cutoff, core::timestamp source_cutoff);

    // Storms (issue #13 item 3). The storms not yet summarised whose window is still open
    // at `now`: a restarted daemon keeps folding into them.
    core::result<std::vector<storm_record>> open_storms(core::timestamp now);
    // Builds a storm summary payload for one sink from its folded alerts (oldest first).
    using storm_payload_builder =
        std::function<std::string(const storm_record&, const std::vector<folded_alert_ref>&)>;
    // In one transaction, for every storm not yet summarised whose window has ended at `now`
    // (every one, ended or not, when `all`: --once): per sink with folded alerts of it, queues
    // an outbox row (event "storm", alert_id = the storm id, payload from `build`) and marks
    // those folded rows delivered ("folded into storm <id>", kept in their attempt history);
    // then records the storm as emitted. Returns the storms summarised.
    core::result<std::vector<emitted_storm>> emit_storms(core::timestamp now, bool all,
                                                         const storm_payload_builder& build);

    // The raw connection, for the query classes of this module (alert_history). Not for
    // other modules.
    ::sqlite3* connection() noexcept;

    state_store(state_store&&) noexcept;
    state_store& operator=(state_store&&) noexcept;
    ~state_store();

private:
    struct impl;
    explicit state_store(std::unique_ptr<impl> p);
    std::unique_ptr<impl> impl_;
};

}  // namespace newswatch::store
