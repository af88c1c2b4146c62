#include "feed_transfer.hpp"

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>

#include "newswatch/http/http_headers.hpp"
#include "socket_address.hpp"

namespace newswatch::http {

namespace asio = boost::asio;

namespace {

bool is_sensitive_header(std::string_view name) {
    return ascii_iequals(name, "authorization") || ascii_iequals(name, "cookie") ||
           ascii_iequals(name, "proxy-authorization");
}

}  // namespace

void feed_transfer::reset_hop() {
    head.clear();
    header_bytes = 0;
    resp.body.clear();
    resp.body_bytes = 0;
}

void feed_transfer::build_headers(bool include_sensitive) {
    curl_slist_free_all(headers);
    headers = nullptr;
    bool has_accept = false;
    for (const auto& [name, value] : req.headers) {
        if (!is_header_name(name) || !is_safe_header_value(value, 8192)) continue;
        if (!include_sensitive && is_sensitive_header(name)) continue;
        if (ascii_iequals(name, "accept")) has_accept = true;
        headers = curl_slist_append(headers, (name + ": " + value).c_str());
    }
    if (!has_accept)
        headers =
            curl_slist_append(headers,
                              "Accept: application/rss+xml, application/atom+xml, application/feed+json, "
                              "application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8");
    // Validators are sent only when they cannot smuggle a header (CR/LF/control chars).
    if (!req.etag.empty() && is_safe_header_value(req.etag))
        headers = curl_slist_append(headers, ("If-None-Match: " + req.etag).c_str());
    if (!req.last_modified.empty() && is_safe_header_value(req.last_modified))
        headers = curl_slist_append(headers, ("If-Modified-Since: " + req.last_modified).c_str());
}

void feed_transfer::configure(const std::string& user_agent) {
    CURL* e = easy;
    const auto& lim = req.limits;
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);   // we follow, to check every hop
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");  // every encoding curl can decode
    curl_easy_setopt(e, CURLOPT_HTTP_VERSION, long{CURL_HTTP_VERSION_2TLS});
    curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(e, CURLOPT_USERAGENT, user_agent.c_str());
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &feed_transfer::on_curl_write);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, this);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &feed_transfer::on_curl_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, this);
    curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, &feed_transfer::on_curl_open_socket);
    curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, this);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(lim.connect_timeout.count()));
    curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, lim.low_speed_bytes_per_second);
    curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, static_cast<long>(lim.low_speed_time.count()));
    curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(lim.max_body_bytes));
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, req.verify_tls ? 1L : 0L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, req.verify_tls ? 2L : 0L);
    curl_easy_setopt(e, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
    curl_easy_setopt(e, CURLOPT_HEADEROPT, long{CURLHEADER_SEPARATE});  // ours never go to a proxy
    // The proxy is chosen per hop in start_hop; curl must not exempt hosts on its own.
    curl_easy_setopt(e, CURLOPT_NOPROXY, "");
    build_headers(true);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers);
    set_credentials(true);
}

void feed_transfer::set_credentials(bool on) {
    if (req.basic_auth_user.empty()) return;
    if (on) {
        curl_easy_setopt(easy, CURLOPT_HTTPAUTH, long{CURLAUTH_BASIC});
        curl_easy_setopt(easy, CURLOPT_USERNAME, req.basic_auth_user.c_str());
        curl_easy_setopt(easy, CURLOPT_PASSWORD, req.basic_auth_password.c_str());
    } else {
        curl_easy_setopt(easy, CURLOPT_USERNAME, nullptr);
        curl_easy_setopt(easy, CURLOPT_PASSWORD, nullptr);
    }
}

// Direct, only IP literals can be judged here; host names are judged at connect time on
// the address curl resolved. Through a proxy the proxy resolves names and the connect-time
// check sees only the proxy, so the name is judged as curl sends it: IP literals in every
// form, and loopback names.
bool feed_transfer::host_permitted_before_connect() {
    if (current == configured) return true;
    if (auto literal = parse_address_literal(current.host)) return address_permitted(*literal);
    if (!proxied) return true;
    const auto host = ascii_host(current_url);
    if (!host) {
        abort = fetch_outcome::redirect_refused;
        abort_detail = "host name curl cannot convert to ASCII refused: " + current.host.substr(0, 200);
        return false;
    }
    if (auto literal = parse_address_literal(*host)) return address_permitted(*literal);
    if (!is_loopback_name(*host)) return true;
    const auto loopback_v4 = asio::ip::address{asio::ip::address_v4::loopback()};
    const auto loopback_v6 = asio::ip::address{asio::ip::address_v6::loopback()};
    if (allow.contains(loopback_v4) || allow.contains(loopback_v6)) return true;
    abort = fetch_outcome::address_refused;
    resp.refused_address = *host;
    abort_detail = "refused the loopback host name " + *host + " through the proxy";
    return false;
}

bool feed_transfer::address_permitted(const asio::ip::address& address) {
    if (current == configured) return true;
    const auto cls = classify_address(address);
    if (is_public(cls) || allow.contains(address)) return true;
    abort = fetch_outcome::address_refused;
    resp.refused_address = address.to_string();
    abort_detail = "refused to connect to " + std::string(to_string(cls)) + " address " +
                   address.to_string() + " for " + current.host;
    return false;
}

// ---- curl callbacks (noexcept: never let anything escape into C) ----

size_t feed_transfer::on_curl_write(char* data, size_t size, size_t count, void* user) noexcept {
    auto& t = *static_cast<feed_transfer*>(user);
    const std::size_t n = size * count;
    if (t.resp.body_bytes + n > t.req.limits.max_body_bytes) {
        t.abort = fetch_outcome::body_too_large;
        t.abort_detail =
            "decoded body above the limit of " + std::to_string(t.req.limits.max_body_bytes) + " bytes";
        return CURL_WRITEFUNC_ERROR;
    }
    t.resp.body_bytes += n;
    if (t.head.status == 0) curl_easy_getinfo(t.easy, CURLINFO_RESPONSE_CODE, &t.head.status);
    if (t.head.status >= 200 && t.head.status < 300) {
        try {
            t.resp.body.append(data, n);
        } catch (...) {
            t.abort = fetch_outcome::body_too_large;
            t.abort_detail = "out of memory while storing the body";
            return CURL_WRITEFUNC_ERROR;
        }
    }
    return n;
}

size_t feed_transfer::on_curl_header(char* data, size_t size, size_t count, void* user) noexcept {
    auto& t = *static_cast<feed_transfer*>(user);
    const std::size_t n = size * count;
    t.header_bytes += n;
    if (t.header_bytes > t.req.limits.max_header_bytes) {
        t.abort = fetch_outcome::headers_too_large;
        t.abort_detail =
            "response headers above the limit of " + std::to_string(t.req.limits.max_header_bytes) + " bytes";
        return 0;
    }
    try {
        t.head.take(std::string_view(data, n));
    } catch (...) {
        t.abort = fetch_outcome::headers_too_large;
        t.abort_detail = "out of memory while reading headers";
        return 0;
    }
    return n;
}

curl_socket_t feed_transfer::on_curl_open_socket(void* user, curlsocktype purpose,
                                                 struct curl_sockaddr* addr) noexcept {
    auto& t = *static_cast<feed_transfer*>(user);
    if (purpose != CURLSOCKTYPE_IPCXN) return CURL_SOCKET_BAD;
    auto address = to_address(&addr->addr);
    if (!address) return CURL_SOCKET_BAD;  // AF_UNIX and friends: never
    try {
        // Through a proxy curl's only connection is to the proxy the operator chose.
        if (!t.proxied && !t.address_permitted(*address)) return CURL_SOCKET_BAD;
        const bool is_private = !is_public(classify_address(*address));
        if (is_private && !t.proxied && t.private_endpoints != nullptr)
            t.private_endpoints->insert(t.current.host + ":" + t.current.port);
    } catch (...) {
        return CURL_SOCKET_BAD;
    }
    return open_cloexec_socket(addr);
}

}  // namespace newswatch::http
