#pragma once
// Deduplication rows of the state database (issue #13 item 2): the stories alerted within
// the dedup window, so a restarted daemon still recognises their repeats, and the duplicate
// sources recorded with an original alert (`newswatch alerts show ID` lists them).
#include <optional>
#include <string>

#include "newswatch/core/time.hpp"

namespace newswatch::store {

// One alerted story as the dedup index knows it (table dedup_stories).
struct remembered_story {
    std::string alert_id;
    std::string watch;
    std::string stance;     // the claim watch's stance label; "" otherwise
    std::string link;       // canonical link; "" = none
    std::string title;      // normalised title; "" = none
    std::string signature;  // MinHash signature bytes; "" = none
    core::timestamp remembered_at{};
};

// An item that repeated an alerted story and was not delivered (table alert_duplicates).
struct duplicate_source {
    std::string original_alert_id;
    std::string alert_id;  // the id the item would have alerted with
    std::string watch;
    std::string feed_url;  // as configured
    std::string item_id;
    std::optional<std::string> item_link;
    std::optional<std::string> item_title;
    std::string stance;  // "" for watches without a claim
    std::string rule;    // link, title or similar
    double similarity = 1.0;
    core::timestamp seen_at{};
};

}  // namespace newswatch::store
