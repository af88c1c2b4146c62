#include "newswatch/http/proxy_choice.hpp"

#include <cstdlib>

#include "newswatch/http/address_policy.hpp"

namespace newswatch::http {

namespace {

const char* first_set(std::initializer_list<const char*> names) {
    for (const char* name : names)
        if (const char* value = std::getenv(name); value != nullptr && *value != '\0') return value;
    return nullptr;
}

std::string lower_ascii(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

std::string_view strip_blanks(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

}  // namespace

bool no_proxy_matches(std::string_view host_view, std::string_view no_proxy) {
    std::string host = lower_ascii(host_view);
    if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
    if (!host.empty() && host.back() == '.') host.pop_back();
    const auto literal = parse_address_literal(host);
    std::string_view rest = no_proxy;
    while (!rest.empty()) {
        const auto comma = rest.find(',');
        std::string entry = lower_ascii(strip_blanks(rest.substr(0, comma)));
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
        if (entry == "*") return true;
        if (!entry.empty() && entry.front() == '.') entry.erase(0, 1);
        if (entry.size() > 2 && entry.front() == '[' && entry.back() == ']')
            entry = entry.substr(1, entry.size() - 2);
        if (entry.empty()) continue;
        if (literal) {
            if (auto block = address_allowlist::parse({entry}); block && block->contains(*literal))
                return true;
            continue;
        }
        if (host == entry) return true;
        if (host.size() > entry.size() && host.ends_with(entry) &&
            host[host.size() - entry.size() - 1] == '.')
            return true;
    }
    return false;
}

std::string choose_proxy(std::string_view scheme, std::string_view host, const std::string& configured,
                         bool from_environment) {
    const char* proxy = nullptr;
    if (!configured.empty())
        proxy = configured.c_str();
    else if (from_environment)
        proxy = scheme == "https" ? first_set({"https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"})
                                  : first_set({"http_proxy", "all_proxy", "ALL_PROXY"});
    if (proxy == nullptr) return {};
    if (const char* exempt = first_set({"no_proxy", "NO_PROXY"}); exempt && no_proxy_matches(host, exempt))
        return {};
    return proxy;
}

}  // namespace newswatch::http
