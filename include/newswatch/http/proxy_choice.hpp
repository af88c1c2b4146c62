#pragma once
// Which proxy a request hop goes through. The fetcher decides this itself and hands curl the
// result (CURLOPT_PROXY, and CURLOPT_NOPROXY ""), so curl never makes a different choice
// behind the SSRF guard's back: when a hop is proxied, curl's only connection is to the proxy.
#include <string>
#include <string_view>

namespace newswatch::http {

// The proxy for a hop to `scheme`://`host` (host as curl parses it, IPv6 in brackets):
// `configured` when not empty, else (with `from_environment`) the variables curl reads
// itself: https_proxy/HTTPS_PROXY for https, http_proxy for http (never HTTP_PROXY), then
// all_proxy/ALL_PROXY. A host that `no_proxy`/`NO_PROXY` exempts goes direct. "" = direct.
std::string choose_proxy(std::string_view scheme, std::string_view host, const std::string& configured,
                         bool from_environment);

// Whether a no_proxy list ("*", host names matching themselves and their subdomains, a
// leading dot ignored, IP addresses and CIDR blocks matching IP-literal hosts) exempts `host`.
bool no_proxy_matches(std::string_view host, std::string_view no_proxy);

}  // namespace newswatch::http
