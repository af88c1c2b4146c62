#pragma once
// What a finished easy handle tells: the outcome of a CURLcode, the HTTP version, bytes and
// connections. Internal to the http module.
#include <curl/curl.h>

#include <cstddef>
#include <string>

#include "newswatch/http/fetch_types.hpp"

namespace newswatch::http {

fetch_outcome outcome_of(CURLcode rc) noexcept;
std::string http_version_of(CURL* easy);
std::size_t wire_bytes_of(CURL* easy);  // body + headers received by the last transfer
int connections_of(CURL* easy);         // new connections opened by the last transfer

}  // namespace newswatch::http
