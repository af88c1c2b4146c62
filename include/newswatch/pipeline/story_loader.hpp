#pragma once
// Fills the dedup memory from the state database at startup, so that a restarted daemon
// recognises the repeats of stories it alerted before (issue #13 item 2).
#include <cstddef>

#include "newswatch/core/result.hpp"
#include "newswatch/core/time.hpp"
#include "newswatch/dedup/story_index.hpp"
#include "newswatch/store/state_store.hpp"

namespace newswatch::pipeline {

// Remembers in `stories` every story the store holds from `since` on; returns how many.
// A row whose signature cannot be read keeps its link and title rules.
core::result<std::size_t> load_stories(store::state_store& store, dedup::story_index& stories,
                                       core::timestamp since);

}  // namespace newswatch::pipeline
