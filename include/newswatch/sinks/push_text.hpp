#pragma once
// The text of one delivery as a push or chat service shows it (ntfy, Gotify, Pushover,
// Matrix, Apprise): a title and a body within the service's documented length limit.
// The body shows the watch names, the stance when there is one, a short summary, the link
// and the feed name (no hit offsets); a storm or a digest lists its stories, as many as
// fit, then "…and N more". Everything that is cut is cut at a word boundary with "…", so
// a long title or summary never makes a service answer 400 (a dead letter).
//
// The input is an alert_view, so every string has been through core::payload_text (no
// controls, no bidi); `markup::html` escapes every value (Matrix formatted_body). Pure.
#include <cstddef>
#include <string>
#include <string_view>

#include "newswatch/sinks/alert_view.hpp"

namespace newswatch::sinks {

// How a service counts its limit.
enum class length_unit { bytes, code_points };

struct text_limit {
    std::size_t max = 1024;
    length_unit unit = length_unit::code_points;
};

enum class markup { plain, html };

// The length of `text` in `unit`.
std::size_t text_length(std::string_view text, length_unit unit) noexcept;

// `text` cut at a word boundary (white space runs made one space) with "…" so that it
// fits `limit`; `text` as is when it fits.
std::string cut_text(std::string_view text, text_limit limit);

struct push_body_options {
    text_limit limit;
    markup format = markup::plain;
    // Start the body with the title (services without a title field of their own).
    bool with_title = false;
    // Leave the link out of the body (the service shows it in a field of its own).
    bool without_link = false;
};

// The body of `view` within `options.limit`, lines separated by "\n" (HTML: "<br>").
std::string push_body(const alert_view& view, const push_body_options& options);

// Every byte but the unreserved ones (RFC 3986: letters, digits, - . _ ~) as %XX: a
// form value (application/x-www-form-urlencoded) or one path segment.
std::string percent_encoded(std::string_view text);

}  // namespace newswatch::sinks
