#include "newswatch/core/feed_url.hpp"

#include <charconv>

namespace newswatch::core {

namespace {

struct url_parts {
    std::string_view scheme;     // "http://"
    std::string_view user_info;  // before '@', empty when absent
    bool has_user_info = false;
    std::string_view host_port;  // the authority after the user info
    std::string_view rest;       // path, query, fragment
};

std::optional<url_parts> split(std::string_view url) {
    const auto colon = url.find("://");
    if (colon == std::string_view::npos) return std::nullopt;
    url_parts p;
    p.scheme = url.substr(0, colon + 3);
    const std::string_view after = url.substr(colon + 3);
    const auto end = after.find_first_of("/?#");
    const std::string_view authority = after.substr(0, end);
    p.rest = end == std::string_view::npos ? std::string_view{} : after.substr(end);
    // The last '@': a password may itself contain '@' when not percent-encoded.
    if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
        p.has_user_info = true;
        p.user_info = authority.substr(0, at);
        p.host_port = authority.substr(at + 1);
    } else {
        p.host_port = authority;
    }
    return p;
}

}  // namespace

std::string redact_credentials(std::string_view url) {
    const auto p = split(url);
    if (!p || !p->has_user_info) return std::string(url);
    std::string out(p->scheme);
    out += "***@";
    out += p->host_port;
    out += p->rest;
    return out;
}

bool has_password(std::string_view url) noexcept {
    const auto p = split(url);
    return p && p->has_user_info && p->user_info.find(':') != std::string_view::npos;
}

std::optional<std::string> feed_url_problem(std::string_view url) {
    for (const char c : url) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f) return "contains a control character (CR, LF, tab, ...)";
        if (c == ' ') return "contains a space (write it as %20)";
    }
    if (!url.starts_with("http://") && !url.starts_with("https://"))
        return "must start with http:// or https://";
    const auto p = split(url);
    std::string_view host = p->host_port;
    std::string_view port;
    if (host.starts_with('[')) {  // [IPv6]:port
        const auto close = host.find(']');
        if (close == std::string_view::npos) return "has an unterminated [IPv6] host";
        port = host.substr(close + 1);
        host = host.substr(0, close + 1);
        if (!port.empty() && port.front() != ':') return "has text after the [IPv6] host";
        if (!port.empty()) port.remove_prefix(1);
    } else if (const auto colon = host.rfind(':'); colon != std::string_view::npos) {
        port = host.substr(colon + 1);
        host = host.substr(0, colon);
    }
    if (host.empty() || host == "[]") return "has no host";
    if (p->host_port.ends_with(':')) return "has an empty port";
    if (!port.empty()) {
        unsigned value = 0;
        const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
        if (ec != std::errc{} || end != port.data() + port.size() || value == 0 || value > 65535)
            return "has a bad port '" + std::string(port) + "'";
    }
    return std::nullopt;
}

}  // namespace newswatch::core
