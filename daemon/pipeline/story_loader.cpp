#include "newswatch/pipeline/story_loader.hpp"

namespace newswatch::pipeline {

core::result<std::size_t> load_stories(store::state_store& store, dedup::story_index& stories,
                                       core::timestamp since) {
    auto rows = store.remembered_stories(since);
    if (!rows) return rows.err();
    for (auto& row : *rows) {
        dedup::story_fingerprint story;
        story.link = std::move(row.link);
        story.title = std::move(row.title);
        story.signature = dedup::signature_from_bytes(row.signature);
        stories.remember(row.watch, row.stance, story, std::move(row.alert_id), row.remembered_at);
    }
    return rows->size();
}

}  // namespace newswatch::pipeline
