#include "newswatch/pipeline/storm_guard.hpp"

#include "newswatch/sinks/grouped_json.hpp"

namespace newswatch::pipeline {

std::optional<std::string> storm_guard::step(window& w, std::string_view watch, std::string_view feed_url,
                                             storm_limits limits, core::timestamp now,
                                             std::vector<store::storm_record>& opened) {
    if (now >= w.end || w.end == core::timestamp{}) w = window{now, now + limits.window, 0, std::nullopt};
    ++w.count;
    if (!w.storm_id && w.count > limits.threshold) {
        sinks::storm_summary storm;
        storm.watch = std::string(watch);
        storm.feed_url = std::string(feed_url);
        storm.from = w.start;
        storm.until = w.end;
        w.storm_id = sinks::storm_id(storm);
        opened.push_back({*w.storm_id, storm.watch, storm.feed_url, w.start, w.end});
    }
    return w.storm_id;
}

storm_guard::decision storm_guard::count(std::string_view watch, storm_limits watch_limits,
                                         std::string_view feed_url, storm_limits feed_limits,
                                         core::timestamp now) {
    decision d;
    std::optional<std::string> by_watch, by_feed;
    if (watch_limits.threshold > 0)
        by_watch = step(watches_[std::string(watch)], watch, {}, watch_limits, now, d.opened);
    if (feed_limits.threshold > 0)
        by_feed = step(feeds_[std::string(feed_url)], {}, feed_url, feed_limits, now, d.opened);
    d.storm_id = by_watch ? std::move(by_watch) : std::move(by_feed);
    return d;
}

void storm_guard::restore(const std::vector<store::storm_record>& open) {
    for (const auto& storm : open) {
        auto& w = storm.watch.empty() ? feeds_[storm.feed_url] : watches_[storm.watch];
        // The count only matters below the threshold; an open storm folds whatever it is.
        w = window{storm.started_at, storm.ends_at, 0, storm.storm_id};
    }
}

}  // namespace newswatch::pipeline
