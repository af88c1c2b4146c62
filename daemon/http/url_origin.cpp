#include "url_origin.hpp"

#include <curl/curl.h>

namespace newswatch::http {

std::string ascii_lower(std::string s) {
    for (auto& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
}

std::optional<url_origin> parse_origin(const std::string& url) {
    CURLU* u = curl_url();
    if (u == nullptr) return std::nullopt;
    std::optional<url_origin> out;
    if (curl_url_set(u, CURLUPART_URL, url.c_str(), CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK) {
        char* scheme = nullptr;
        char* host = nullptr;
        char* port = nullptr;
        if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
            curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
            curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK) {
            out = url_origin{ascii_lower(scheme), ascii_lower(host), port};
        }
        curl_free(scheme);
        curl_free(host);
        curl_free(port);
    }
    curl_url_cleanup(u);
    return out;
}

bool is_http_scheme(const std::string& scheme) {
    return scheme == "http" || scheme == "https";
}

std::optional<std::string> ascii_host(const std::string& url) {
    CURLU* u = curl_url();
    if (u == nullptr) return std::nullopt;
    std::optional<std::string> out;
    char* host = nullptr;
    if (curl_url_set(u, CURLUPART_URL, url.c_str(), CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &host, CURLU_PUNYCODE) == CURLUE_OK)
        out = ascii_lower(host);
    curl_free(host);
    curl_url_cleanup(u);
    return out;
}

}  // namespace newswatch::http
