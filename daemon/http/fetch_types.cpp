#include "newswatch/http/fetch_types.hpp"

namespace newswatch::http {

std::string_view to_string(fetch_outcome outcome) noexcept {
    switch (outcome) {
        case fetch_outcome::ok:
            return "ok";
        case fetch_outcome::not_modified:
            return "not_modified";
        case fetch_outcome::http_error:
            return "http_error";
        case fetch_outcome::timeout:
            return "timeout";
        case fetch_outcome::body_too_large:
            return "body_too_large";
        case fetch_outcome::headers_too_large:
            return "headers_too_large";
        case fetch_outcome::too_many_redirects:
            return "too_many_redirects";
        case fetch_outcome::redirect_refused:
            return "redirect_refused";
        case fetch_outcome::address_refused:
            return "address_refused";
        case fetch_outcome::tls_error:
            return "tls_error";
        case fetch_outcome::dns_error:
            return "dns_error";
        case fetch_outcome::connect_error:
            return "connect_error";
        case fetch_outcome::network_error:
            return "network_error";
        case fetch_outcome::bad_url:
            return "bad_url";
        case fetch_outcome::cancelled:
            return "cancelled";
        case fetch_outcome::bad_encoding:
            return "bad_encoding";
    }
    return "network_error";
}

}  // namespace newswatch::http
