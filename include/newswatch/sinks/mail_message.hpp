#pragma once
// An RFC 5322 message for the smtp sink: multipart/alternative (text + HTML, both UTF-8 in
// base64), a Message-ID derived from the alert id (the same for every retry, so a receiver
// or a mail filter can drop duplicates), Date, and RFC 2047 encoded-words for every header
// value that is not plain short ASCII. No value can start a header of its own: CR, LF and
// other controls never reach a header (removed by the output policy, then encoded).
#include <string>
#include <string_view>
#include <vector>

#include "newswatch/core/time.hpp"

namespace newswatch::sinks {

struct mail_message {
    std::string from;             // an address (checked at startup: no controls)
    std::vector<std::string> to;  // addresses
    std::string subject;          // any text; encoded here
    std::string id;               // the alert id: Message-ID and MIME boundary seed
    core::timestamp date{};
    std::string text;  // text/plain part
    std::string html;  // text/html part
};

// The whole message with CRLF line ends, ready for SMTP DATA.
std::string render_mail(const mail_message& message);

// A header value as RFC 2047 encoded-words ("=?UTF-8?B?...?=", folded) when it holds
// anything but printable ASCII or is long; else as is. Hostile characters are removed
// first (core::payload_text), so the result never holds CR or LF except in folding.
std::string encode_header_text(std::string_view text);

// "<id@newswatch>" with the id reduced to letters, digits, '.', '-' and '_' (a hash
// when nothing is left).
std::string message_id_for(std::string_view alert_id);

// "Sun, 06 Dec 2026 10:14:13 +0000".
std::string rfc5322_date(core::timestamp t);

// A mailbox as it may appear in From/To and SMTP commands: no controls, no spaces, exactly
// one '@' with text on each side, no <>()",; characters.
bool is_plain_address(std::string_view address) noexcept;

}  // namespace newswatch::sinks
