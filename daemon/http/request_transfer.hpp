#pragma once
// One sink request on an easy handle: setup, the callbacks that cap what is kept, and the
// response built at the end. Internal to the http module; http_client runs it.
#include <curl/curl.h>

#include <chrono>
#include <string>

#include "newswatch/http/address_policy.hpp"
#include "newswatch/http/http_request.hpp"
#include "response_header_lines.hpp"

namespace newswatch::http {

struct request_transfer {
    CURL* easy = nullptr;
    curl_slist* headers = nullptr;
    http_request req;
    http_response resp;
    response_header_lines head;
    std::size_t header_bytes = 0;
    bool headers_overflow = false;
    std::chrono::steady_clock::time_point started{};
    // req.guard: the allow list, whether the URL is on the trusted origin, what was refused.
    address_allowlist allow;
    bool trusted_origin = false;
    std::string refused;  // "loopback address 127.0.0.1", set when the guard refused

    // False (with resp filled) when the request cannot be sent at all (bad URL).
    bool configure(const std::string& user_agent);
    // Fills resp from curl's result (the handle is no longer in the multi).
    void finish(CURLcode rc);

    static size_t on_curl_write(char* data, size_t size, size_t count, void* user) noexcept;
    static size_t on_curl_header(char* data, size_t size, size_t count, void* user) noexcept;
    static curl_socket_t on_curl_open_socket(void* user, curlsocktype purpose,
                                             struct curl_sockaddr* addr) noexcept;
};

}  // namespace newswatch::http
