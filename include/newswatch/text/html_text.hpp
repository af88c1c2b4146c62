#pragma once
// HTML (or plain text with character references) -> the plain text that matching and
// alerts use. Pure functions; any byte sequence is accepted and never throws for input.
#include <string>
#include <string_view>

#include "newswatch/text/entities.hpp"

namespace newswatch::text {

// HTML -> plain text: script/style/noscript/template contents and comments dropped, tags
// removed, <br> and block elements become line breaks (paragraph-like blocks a blank
// line), character references decoded, invalid UTF-8 replaced by U+FFFD, Unicode NFC,
// runs of whitespace collapsed to one space (at most one blank line between paragraphs),
// no leading or trailing whitespace.
std::string html_to_text(std::string_view html);

// html_to_text for one-line fields (titles): every break, including paragraph breaks,
// becomes a single space.
std::string html_to_line(std::string_view html);

// Plain text (which may still carry character references) -> clean text: references
// decoded, invalid UTF-8 replaced, NFC, all whitespace (newlines too) collapsed to single
// spaces, trimmed. For titles and other one-line fields.
std::string clean_text(std::string_view plain);

// Unicode NFC of valid UTF-8 (a cheap scan returns the input unchanged when it is already
// NFC by construction, e.g. ASCII, Latin-1 or Cyrillic text without combining marks).
std::string to_nfc(std::string text);

// Replaces invalid UTF-8 sequences by U+FFFD (one per maximal invalid subpart) and drops C0
// control characters other than tab, newline and carriage return.
std::string sanitize_utf8(std::string_view text);

// True if `text` is valid UTF-8.
bool is_valid_utf8(std::string_view text) noexcept;

}  // namespace newswatch::text
