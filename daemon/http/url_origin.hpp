#pragma once
// Scheme, host and port of a URL as curl understands it. Internal to the http module.
#include <optional>
#include <string>

namespace newswatch::http {

// Host lower-cased; IPv6 literals in brackets; port always filled (the scheme's default).
struct url_origin {
    std::string scheme;
    std::string host;
    std::string port;
    bool operator==(const url_origin&) const = default;
};

std::optional<url_origin> parse_origin(const std::string& url);

bool is_http_scheme(const std::string& scheme);

// The host as curl sends it to a proxy: IDN names in their ACE ("xn--") form, converted by
// curl itself (in the process's locale, as curl does when it connects). nullopt when curl
// cannot convert it.
std::optional<std::string> ascii_host(const std::string& url);

std::string ascii_lower(std::string s);

}  // namespace newswatch::http
