#pragma once
// An alert_view as people read it: plain text (e-mail text part, terminals, chat without
// markup) and HTML (e-mail). Title, watch names, stance when there is one, a short summary,
// the link and the feed; no hit offsets. The HTML escapes every value, and a link is only
// ever http or https (alert_view drops the rest).
#include <string>

#include "newswatch/sinks/alert_view.hpp"

namespace newswatch::sinks {

std::string alert_plain_text(const alert_view& view);
std::string alert_html(const alert_view& view);

// The line under a listed story: "membership, peace-talks · agree (80 %): claim · Feed"
// (its watches, its stance, its feed; the parts it has).
std::string alert_entry_details(const alert_entry& entry);

// `text` with &, <, >, " and ' as entities.
std::string html_escaped(std::string_view text);

}  // namespace newswatch::sinks
