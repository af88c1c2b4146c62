#pragma once
// Pure helpers for the HTTP header values the fetcher reads and sends. No I/O.
#include <optional>
#include <string_view>

#include "newswatch/core/time.hpp"

namespace newswatch::http {

// Longest validator (ETag / Last-Modified) the fetcher stores or sends back.
inline constexpr std::size_t max_validator_length = 1024;

// A value that is safe to put into a request header: no CR, LF, NUL or other control
// character (HTAB is allowed), and not longer than `max_length`. Stored ETag and
// Last-Modified values are checked with this before reuse, so no header can be injected
// through them.
bool is_safe_header_value(std::string_view value, std::size_t max_length = max_validator_length) noexcept;

// A header value without the optional whitespace around it (and the CR LF curl leaves).
std::string_view trim_header_value(std::string_view value) noexcept;

// An HTTP header field name (RFC 9110 token).
bool is_header_name(std::string_view name) noexcept;

// An HTTP-date in any of the three forms (IMF-fixdate, RFC 850, asctime).
std::optional<core::timestamp> parse_http_date(std::string_view text) noexcept;

// Retry-After: delay-seconds or an HTTP-date (relative to `now`); never negative.
std::optional<core::seconds> parse_retry_after(std::string_view value, core::timestamp now) noexcept;

// Freshness lifetime from Cache-Control max-age (s-maxage ignored: we are not a shared cache),
// else Expires minus Date (or minus `now` without Date). "no-cache"/"no-store" give 0.
// An unparsable Expires means "already expired" (RFC 9111) and gives 0.
std::optional<core::seconds> parse_freshness(std::string_view cache_control, std::string_view expires,
                                             std::string_view date, core::timestamp now) noexcept;

}  // namespace newswatch::http
