#pragma once
// Feed URLs as text: the one place that checks a configured URL's shape and hides the
// credentials it may carry. Every output that shows a feed URL (logs, `feeds list`,
// `check`, sink payloads) shows redact_credentials(url); the state key and the alert id
// use the configured URL unchanged, so ids stay stable.
#include <optional>
#include <string>
#include <string_view>

namespace newswatch::core {

// "http://user:pass@host/x" -> "http://***@host/x"; a URL without user info is returned
// unchanged.
std::string redact_credentials(std::string_view url);

// True when the URL's user info carries a password ("user:pass@").
bool has_password(std::string_view url) noexcept;

// Why `url` cannot be a feed URL (no http/https scheme, no host, a bad port, control
// characters or spaces), or nullopt when it can.
std::optional<std::string> feed_url_problem(std::string_view url);

}  // namespace newswatch::core
