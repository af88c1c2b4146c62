#pragma once
// Text helpers of the chat channels (slack, discord, mattermost, teams, telegram, issue
// #12): each service's own escaping after the output policy (core::payload_text, already
// applied by alert_view), mentions made inert, and cutting to a service's documented
// length limit at a word boundary with "…" (a 400 for a long title would make a dead
// letter).
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "newswatch/sinks/alert_view.hpp"

namespace newswatch::sinks {

using text_escaper = std::string (*)(std::string_view);

// UTF-16 code units: what JavaScript's String.length gives, and how Discord, Slack and
// Telegram count their limits (an emoji counts two). Never less than the code points.
std::size_t utf16_length(std::string_view text) noexcept;

// `text` cut at a word boundary (text::cut_at_word, "…") so that `escape(result)` has at
// most `max_units` UTF-16 code units; `escape` may be null (no escaping). Runs of white
// space become one space.
std::string cut_to_fit(std::string_view text, std::size_t max_units, text_escaper escape);

// A zero-width space (U+200B) after every '@' that precedes a non-blank: @everyone, @here,
// @channel, @all, @room, <@U123> and @username no longer mention anyone, and the text
// reads the same. (discord.py's escape_mentions does the same for Discord.)
std::string without_mentions(std::string_view text);

// Slack mrkdwn and plain_text: &, < and > as &amp; &lt; &gt; (the three control characters
// Slack documents), mentions made inert.
std::string slack_escaped(std::string_view text);
// CommonMark (Discord, Teams Adaptive Cards): a backslash before each markdown character,
// mentions made inert.
std::string markdown_escaped(std::string_view text);
// Mattermost: as markdown_escaped, but &, <, > as entities, because Mattermost turns
// Slack-style <!channel> and <url|text> into mentions and links before its markdown runs.
std::string mattermost_escaped(std::string_view text);
// Telegram HTML: &, <, >, " as entities, mentions made inert.
std::string telegram_escaped(std::string_view text);

// `url` ready for a markup link ([text](url), <url|text>, href): "" when it is not an
// http(s) URL, does not parse or is longer than 2,000 characters; characters that would
// end a link in some markup (space, quotes, <, >, (, ), [, ], |, \, `, {, }) are
// percent-encoded.
std::string link_target(std::string_view url);

// The labelled values a chat message shows under the title: the watch names (grouped),
// the stance, a feed health reason, the feed. Empty values are left out.
std::vector<std::pair<std::string, std::string>> chat_facts(const alert_view& view);

// How many stories of a storm or digest the message leaves out when it shows `shown` of
// them (a storm may have folded more alerts than it lists).
std::size_t entries_not_shown(const alert_view& view, std::size_t shown);
// "…and 12 more".
std::string more_line(std::size_t more);

// `items` joined by `separator` while they fit in `budget` UTF-16 units; then, when items
// (or `extra` stories that have no item) are left out, `more(count left out)` (counted in
// the budget).
std::string list_within(const std::vector<std::string>& items, std::size_t extra, std::size_t budget,
                        std::string_view separator, const std::function<std::string(std::size_t)>& more);

}  // namespace newswatch::sinks
