#pragma once
// Queues the summaries of ended storms (issue #13 item 3): one outbox row per sink that has
// folded alerts of a storm, {"type":"storm",...} (sinks/grouped_json.hpp), delivered like
// any other row by the next drain. The daemon's housekeeping calls it every 5 s, so a
// summary goes out within seconds of its window's end; --once calls it with `all` before
// its final drain, so no storm waits for a later run.
#include <cstddef>

#include "newswatch/core/time.hpp"
#include "newswatch/store/state_store.hpp"

namespace newswatch::pipeline {

// Logs each summary queued (info, event "storm") and store failures (error); returns how
// many storms were summarised. Never throws.
std::size_t queue_storm_summaries(store::state_store& store, core::timestamp now, bool all) noexcept;

}  // namespace newswatch::pipeline
