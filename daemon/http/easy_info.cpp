#include "easy_info.hpp"

#include <algorithm>

namespace newswatch::http {

fetch_outcome outcome_of(CURLcode rc) noexcept {
    switch (rc) {
        case CURLE_OPERATION_TIMEDOUT:
            return fetch_outcome::timeout;
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_RESOLVE_PROXY:
            return fetch_outcome::dns_error;
        case CURLE_COULDNT_CONNECT:
            return fetch_outcome::connect_error;
        case CURLE_SSL_CONNECT_ERROR:
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_CERTPROBLEM:
        case CURLE_SSL_CIPHER:
        case CURLE_SSL_CACERT_BADFILE:
        case CURLE_SSL_ENGINE_NOTFOUND:
        case CURLE_SSL_ENGINE_SETFAILED:
        case CURLE_SSL_ISSUER_ERROR:
        case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
        case CURLE_SSL_INVALIDCERTSTATUS:
        case CURLE_SSL_CRL_BADFILE:
        case CURLE_SSL_SHUTDOWN_FAILED:
        case CURLE_USE_SSL_FAILED:
            return fetch_outcome::tls_error;
        case CURLE_TOO_MANY_REDIRECTS:
            return fetch_outcome::too_many_redirects;
        case CURLE_FILESIZE_EXCEEDED:
            return fetch_outcome::body_too_large;
        case CURLE_URL_MALFORMAT:
            return fetch_outcome::bad_url;
        case CURLE_BAD_CONTENT_ENCODING:
            return fetch_outcome::bad_encoding;
        // Including CURLE_UNSUPPORTED_PROTOCOL: every URL is checked before curl sees
        // it, so that one is an HTTP/0.9 (garbage) reply.
        default:
            return fetch_outcome::network_error;
    }
}

std::string http_version_of(CURL* easy) {
    long version = 0;
    curl_easy_getinfo(easy, CURLINFO_HTTP_VERSION, &version);
    switch (version) {
        case CURL_HTTP_VERSION_1_0:
            return "1.0";
        case CURL_HTTP_VERSION_1_1:
            return "1.1";
        case CURL_HTTP_VERSION_2_0:
            return "2";
        case CURL_HTTP_VERSION_3:
            return "3";
        default:
            return "";
    }
}

std::size_t wire_bytes_of(CURL* easy) {
    curl_off_t body = 0;
    long headers = 0;
    curl_easy_getinfo(easy, CURLINFO_SIZE_DOWNLOAD_T, &body);
    curl_easy_getinfo(easy, CURLINFO_HEADER_SIZE, &headers);
    return static_cast<std::size_t>(std::max<curl_off_t>(body, 0)) +
           static_cast<std::size_t>(std::max(headers, 0L));
}

int connections_of(CURL* easy) {
    long connects = 0;
    curl_easy_getinfo(easy, CURLINFO_NUM_CONNECTS, &connects);
    return static_cast<int>(std::max(connects, 0L));
}

}  // namespace newswatch::http
