#pragma once
// When to poll a feed next: interval, server hints, backoff, jitter, floor. Pure.
#include <random>

#include "newswatch/core/item.hpp"
#include "newswatch/fetcher/fetch_types.hpp"
#include "newswatch/pipeline/pipeline_options.hpp"
#include "newswatch/store/feed_state.hpp"

namespace newswatch::pipeline {

// `state` is after the fetch (consecutive_failures already updated). `meta` is the parsed
// feed's hints when the fetch returned a document, else nullptr.
core::seconds next_poll_delay(const feed_definition& feed, const store::feed_state& state,
                              const fetcher::fetch_response& response, const core::feed_meta* meta,
                              const pipeline_options& options, core::timestamp now, std::mt19937& rng);

}  // namespace newswatch::pipeline
