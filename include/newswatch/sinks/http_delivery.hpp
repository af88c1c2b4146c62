#pragma once
// How an HTTP channel's answer becomes a delivery result (webhook now, the chat
// and push APIs of issue 12 later): 2xx delivered; 408, 429, 5xx and every
// network failure retry (with the server's Retry-After); any other status is
// permanent. The detail names the status and the URL's scheme and host only (a
// URL may be a secret).
#include <string>
#include <string_view>

#include "newswatch/http/http_request.hpp"
#include "newswatch/sinks/delivery.hpp"

namespace newswatch::sinks {

delivery_result http_delivery_result(const http::http_response& response, std::string_view shown_url);

// "https://hooks.example.com" of a URL: scheme and host (and a non-default
// port), never user info, path or query. "(invalid URL)" when it cannot be
// parsed.
std::string url_origin_for_log(std::string_view url);

}  // namespace newswatch::sinks
