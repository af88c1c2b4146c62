#include "newswatch/dedup/canonical_link.hpp"

#include <algorithm>
#include <array>
#include <utility>
#include <vector>

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

namespace newswatch::dedup {
namespace {

// Exact names (compared ASCII case-insensitively). Sources: the parameters that Firefox's
// query stripping, the ClearURLs rules and the outlets' own feeds in feeds/ were seen to add.
constexpr std::array<std::string_view, 43> tracking_names{"fbclid",
                                                          "gclid",
                                                          "gclsrc",
                                                          "dclid",
                                                          "gbraid",
                                                          "wbraid",
                                                          "msclkid",
                                                          "yclid",
                                                          "twclid",
                                                          "ttclid",
                                                          "igshid",
                                                          "li_fat_id",
                                                          "mc_cid",
                                                          "mc_eid",
                                                          "mkt_tok",
                                                          "ocid",
                                                          "cmpid",
                                                          "cmp",
                                                          "icid",
                                                          "ncid",
                                                          "smid",
                                                          "smtyp",
                                                          "s_cid",
                                                          "sr_share",
                                                          "ref_src",
                                                          "ref_url",
                                                          "_ga",
                                                          "_gl",
                                                          "_hsenc",
                                                          "_hsmi",
                                                          "__s",
                                                          "oly_anon_id",
                                                          "oly_enc_id",
                                                          "vero_id",
                                                          "vero_conv",
                                                          "rb_clickid",
                                                          "wickedid",
                                                          "ito",
                                                          "guccounter",
                                                          "guce_referrer",
                                                          "guce_referrer_sig",
                                                          "spm",
                                                          "cvid"};
// Prefixes: Google Analytics (utm_), AT Internet (at_), comScore (ns_), WebTrends (wt.),
// HubSpot ads (hsa_), Matomo (pk_, mtm_), Piwik (piwik_).
constexpr std::array<std::string_view, 8> tracking_prefixes{"utm_", "at_", "ns_",  "wt.",
                                                            "hsa_", "pk_", "mtm_", "piwik_"};

char lower(char c) noexcept {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) noexcept {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower(x) == lower(y); });
}

bool istarts_with(std::string_view s, std::string_view prefix) noexcept {
    return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

bool ends_with(std::string_view s, std::string_view suffix) noexcept {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// An AMP marker in the query: "amp", "amp=1", "amp=true", "outputType=amp".
bool is_amp_parameter(std::string_view key, std::string_view value, bool has_value) noexcept {
    if (iequals(key, "amp")) return !has_value || value.empty() || value == "1" || iequals(value, "true");
    return iequals(key, "outputtype") && iequals(value, "amp");
}

// The article a Google AMP cache link wraps, or "": google.com/amp/s/HOST/PATH and
// HOST-WITH-DASHES.cdn.ampproject.org/c/s/HOST/PATH.
std::string unwrapped_amp_cache(std::string_view host, std::string_view path) {
    std::string_view rest;
    if (host == "google.com" || host == "www.google.com") {
        if (path.starts_with("/amp/")) rest = path.substr(5);
    } else if (ends_with(host, ".cdn.ampproject.org") || host == "cdn.ampproject.org") {
        if (path.starts_with("/c/") || path.starts_with("/v/")) rest = path.substr(3);
    }
    if (rest.empty()) return {};
    if (rest.starts_with("s/")) return "https://" + std::string(rest.substr(2));
    return "http://" + std::string(rest);
}

std::string_view without_host_prefix(std::string_view host) noexcept {
    for (const std::string_view prefix : {"www.", "m.", "mobile.", "amp."})
        if (host.size() > prefix.size() + 3 && host.starts_with(prefix)) return host.substr(prefix.size());
    return host;
}

// The path without AMP variants' markers and without a trailing slash.
std::string canonical_path(std::string_view path) {
    std::string p(path);
    if (ends_with(p, "/")) p.pop_back();
    if (ends_with(p, "/amp"))
        p.resize(p.size() - 4);
    else if (ends_with(p, ".amp.html"))
        p.replace(p.size() - 9, 9, ".html");
    else if (ends_with(p, ".amp"))
        p.resize(p.size() - 4);
    else if (auto at = p.find("/amp/"); at != std::string::npos && at + 5 < p.size())
        p.erase(at, 4);
    if (ends_with(p, "/")) p.pop_back();
    return p;
}

std::string canonical(std::string_view link, int depth) {
    auto parsed = boost::urls::parse_uri(boost::core::string_view(link.data(), link.size()));
    if (!parsed) return {};
    boost::urls::url u(*parsed);
    u.normalize();
    const auto scheme = u.scheme_id();
    if (scheme != boost::urls::scheme::http && scheme != boost::urls::scheme::https) return {};
    const std::string full_host(u.encoded_host());
    if (full_host.empty()) return {};
    const std::string path(u.encoded_path());
    if (depth == 0)
        if (const std::string inner = unwrapped_amp_cache(full_host, path); !inner.empty())
            return canonical(inner, depth + 1);

    std::string out = "https://";  // one article served over both is one article
    out += without_host_prefix(full_host);
    if (u.has_port()) {
        const auto port = u.port_number();
        if (!(port == 80 && scheme == boost::urls::scheme::http) &&
            !(port == 443 && scheme == boost::urls::scheme::https) && !u.port().empty())
            out.append(":").append(u.port());
    }
    out += canonical_path(path);

    std::vector<std::string> kept;
    for (const auto param : u.encoded_params()) {
        const std::string_view key(param.key.data(), param.key.size());
        const std::string_view value(param.value.data(), param.value.size());
        if (key.empty() || is_tracking_parameter(key) || is_amp_parameter(key, value, param.has_value))
            continue;
        std::string kv(key);
        if (param.has_value) kv.append("=").append(value);
        kept.push_back(std::move(kv));
    }
    std::sort(kept.begin(), kept.end());
    for (std::size_t i = 0; i < kept.size(); ++i) out.append(i == 0 ? "?" : "&").append(kept[i]);
    return out;
}

}  // namespace

bool is_tracking_parameter(std::string_view name) noexcept {
    for (const auto prefix : tracking_prefixes)
        if (name.size() > prefix.size() && istarts_with(name, prefix)) return true;
    for (const auto exact : tracking_names)
        if (iequals(name, exact)) return true;
    return false;
}

std::string canonical_link(std::string_view link) {
    while (!link.empty() && (link.front() == ' ' || link.front() == '\t')) link.remove_prefix(1);
    while (!link.empty() && (link.back() == ' ' || link.back() == '\t')) link.remove_suffix(1);
    return canonical(link, 0);
}

}  // namespace newswatch::dedup
