#include "request_transfer.hpp"

#include <algorithm>

#include "easy_info.hpp"
#include "newswatch/http/http_headers.hpp"
#include "socket_address.hpp"
#include "url_origin.hpp"

namespace newswatch::http {

bool request_transfer::configure(const std::string& user_agent) {
    const auto origin = parse_origin(req.url);
    if (!origin || !is_http_scheme(origin->scheme) || origin->host.empty()) {
        resp.outcome = fetch_outcome::bad_url;
        resp.error = "not an http or https URL";  // the URL itself may be a secret
        return false;
    }
    CURL* e = easy;
    if (req.guard) {
        // The configuration checked the list; an entry that still does not parse lets nothing through.
        if (auto parsed = address_allowlist::parse(req.guard->allow_private_addresses))
            allow = std::move(*parsed);
        const auto trusted = parse_origin(req.guard->trusted_url);
        trusted_origin = trusted && *trusted == *origin;
        req.follow_redirects = false;
        curl_easy_setopt(e, CURLOPT_PROXY, "");
        curl_easy_setopt(e, CURLOPT_NOPROXY, "*");
    }
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_URL, req.url.c_str());
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, req.follow_redirects ? 1L : 0L);
    curl_easy_setopt(e, CURLOPT_MAXREDIRS, static_cast<long>(req.max_redirects));
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(e, CURLOPT_USERAGENT, user_agent.c_str());
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(req.timeout.count()));
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(req.timeout.count()));
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, req.verify_tls ? 1L : 0L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, req.verify_tls ? 2L : 0L);
    if (!req.ca_file.empty()) curl_easy_setopt(e, CURLOPT_CAINFO, req.ca_file.c_str());
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &request_transfer::on_curl_write);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, this);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &request_transfer::on_curl_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, this);
    curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, &request_transfer::on_curl_open_socket);
    curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, this);
    if (req.method == "GET") {
        curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
    } else {
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, req.body.data());
        if (req.method != "POST") curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, req.method.c_str());
    }
    // No "Expect: 100-continue" round trip: sink bodies are small and receivers often
    // do not answer it.
    headers = curl_slist_append(headers, "Expect:");
    for (const auto& [name, value] : req.headers) {
        if (!is_header_name(name) || !is_safe_header_value(value, 8192)) continue;
        headers = curl_slist_append(headers, (name + ": " + value).c_str());
    }
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers);
    return true;
}

void request_transfer::finish(CURLcode rc) {
    long status = 0;
    if (easy != nullptr) curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    resp.status = status;
    resp.content_type = head.content_type;
    // Cut off at the cap, the response still counts when its status line came.
    const bool cut = resp.body_truncated && rc == CURLE_WRITE_ERROR && status != 0;
    if (!refused.empty() && rc != CURLE_OK) {
        resp.outcome = fetch_outcome::address_refused;
        resp.error = "refused to connect to " + refused;
    } else if (headers_overflow) {
        resp.outcome = fetch_outcome::headers_too_large;
        resp.error = "response headers above the limit of " + std::to_string(req.max_header_bytes) + " bytes";
    } else if (rc != CURLE_OK && !cut) {
        resp.outcome = outcome_of(rc);
        resp.error = curl_easy_strerror(rc);
    } else if (status >= 200 && status < 300) {
        resp.outcome = fetch_outcome::ok;
    } else {
        resp.outcome = fetch_outcome::http_error;
        resp.error = "HTTP " + std::to_string(status);
    }
    if (!head.retry_after.empty()) resp.retry_after = parse_retry_after(head.retry_after, core::now_utc());
    resp.duration =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
}

size_t request_transfer::on_curl_write(char* data, size_t size, size_t count, void* user) noexcept {
    auto& t = *static_cast<request_transfer*>(user);
    const std::size_t n = size * count;
    try {
        const std::size_t room =
            t.req.max_response_bytes - std::min(t.req.max_response_bytes, t.resp.body.size());
        t.resp.body.append(data, std::min(n, room));
        if (n > room) {
            t.resp.body_truncated = true;
            return CURL_WRITEFUNC_ERROR;  // nothing more is needed
        }
    } catch (...) {
        return CURL_WRITEFUNC_ERROR;
    }
    return n;
}

size_t request_transfer::on_curl_header(char* data, size_t size, size_t count, void* user) noexcept {
    auto& t = *static_cast<request_transfer*>(user);
    const std::size_t n = size * count;
    t.header_bytes += n;
    if (t.header_bytes > t.req.max_header_bytes) {
        t.headers_overflow = true;
        return 0;
    }
    try {
        std::string_view line(data, n);
        t.head.take(line);
        if (line.starts_with("HTTP/")) {
            t.resp.headers.clear();  // a 1xx or a redirect: the final response's come later
            return n;
        }
        const auto colon = line.find(':');
        if (colon == std::string_view::npos) return n;
        t.resp.headers.emplace_back(std::string(line.substr(0, colon)),
                                    std::string(trim_header_value(line.substr(colon + 1))));
    } catch (...) {
        t.headers_overflow = true;
        return 0;
    }
    return n;
}

curl_socket_t request_transfer::on_curl_open_socket(void* user, curlsocktype purpose,
                                                    struct curl_sockaddr* addr) noexcept {
    auto& t = *static_cast<request_transfer*>(user);
    if (purpose != CURLSOCKTYPE_IPCXN) return CURL_SOCKET_BAD;
    // Unguarded, any address: the administrator configured this URL (private and loopback
    // included). Guarded, the rule of a feed's redirect targets.
    if (t.req.guard && !t.trusted_origin) {
        auto address = to_address(&addr->addr);
        if (!address) return CURL_SOCKET_BAD;
        const auto cls = classify_address(*address);
        if (!is_public(cls) && !t.allow.contains(*address)) {
            try {
                t.refused = std::string(to_string(cls)) + " address " + address->to_string();
            } catch (...) {
            }
            return CURL_SOCKET_BAD;
        }
    }
    return open_cloexec_socket(addr);
}

}  // namespace newswatch::http
