#include "newswatch/websub/hub_discovery.hpp"

#include <algorithm>

namespace newswatch::websub {

namespace {

constexpr std::size_t max_hubs = 8;

bool is_http_url(std::string_view url) {
    const auto lower_starts = [url](std::string_view prefix) {
        return url.size() > prefix.size() &&
               std::equal(prefix.begin(), prefix.end(), url.begin(),
                          [](char p, char c) { return p == (c >= 'A' && c <= 'Z' ? c + 32 : c); });
    };
    return lower_starts("http://") || lower_starts("https://");
}

std::string_view trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    return out;
}

void add_link(hub_links& out, const std::string& target, std::string_view rel_value) {
    if (!is_http_url(target)) return;
    // rel is a space-separated list of relation types.
    std::size_t pos = 0;
    while (pos < rel_value.size()) {
        const auto start = rel_value.find_first_not_of(' ', pos);
        if (start == std::string_view::npos) break;
        const auto end = std::min(rel_value.find(' ', start), rel_value.size());
        const std::string token = lower(rel_value.substr(start, end - start));
        if (token == "hub" && out.hubs.size() < max_hubs &&
            std::find(out.hubs.begin(), out.hubs.end(), target) == out.hubs.end())
            out.hubs.push_back(target);
        else if (token == "self" && !out.self)
            out.self = target;
        pos = end;
    }
}

// One link-value: `<target>` then `; name=value` or `; name="value"` parameters.
// `text` starts at '<'; returns where the link-value ends (at the separating ',' or end).
std::size_t parse_one(std::string_view text, hub_links& out) {
    const auto close = text.find('>');
    if (close == std::string_view::npos) return text.size();
    const std::string target(trim(text.substr(1, close - 1)));
    std::size_t pos = close + 1;
    std::string rel;
    while (pos < text.size()) {
        while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t')) ++pos;
        if (pos >= text.size() || text[pos] == ',') break;
        if (text[pos] != ';') {  // garbage: skip to the next link-value
            const auto comma = text.find(',', pos);
            pos = comma == std::string_view::npos ? text.size() : comma;
            break;
        }
        ++pos;
        const auto eq = text.find_first_of("=;,", pos);
        const std::string name =
            lower(trim(text.substr(pos, (eq == std::string_view::npos ? text.size() : eq) - pos)));
        if (eq == std::string_view::npos || text[eq] != '=') {
            pos = eq == std::string_view::npos ? text.size() : eq;
            continue;
        }
        pos = eq + 1;
        while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t')) ++pos;
        std::string value;
        if (pos < text.size() && text[pos] == '"') {
            ++pos;
            while (pos < text.size() && text[pos] != '"') {
                if (text[pos] == '\\' && pos + 1 < text.size()) ++pos;
                value += text[pos++];
            }
            if (pos < text.size()) ++pos;  // the closing quote
        } else {
            const auto end = std::min(text.find_first_of(";,", pos), text.size());
            value = std::string(trim(text.substr(pos, end - pos)));
            pos = end;
        }
        if (name == "rel" && rel.empty()) rel = value;  // the first rel counts (RFC 8288 §3.3)
    }
    add_link(out, target, rel);
    return pos;
}

}  // namespace

hub_links parse_link_headers(const std::vector<std::string>& values) {
    hub_links out;
    for (const std::string& value : values) {
        std::string_view rest(value);
        while (!rest.empty()) {
            const auto open = rest.find('<');
            if (open == std::string_view::npos) break;
            rest.remove_prefix(open);
            const std::size_t used = parse_one(rest, out);
            rest.remove_prefix(std::min(used + 1, rest.size()));
        }
    }
    return out;
}

discovery discover(const std::vector<std::string>& link_headers, const core::feed_meta& document,
                   std::string_view fetched_url) {
    discovery d;
    const hub_links headers = parse_link_headers(link_headers);
    if (!headers.hubs.empty()) {
        d.hubs = headers.hubs;
        d.topic = headers.self.value_or(document.self_url.value_or(std::string(fetched_url)));
        return d;
    }
    for (const auto& hub : document.hubs)
        if (is_http_url(hub) && d.hubs.size() < max_hubs) d.hubs.push_back(hub);
    d.topic =
        document.self_url && is_http_url(*document.self_url) ? *document.self_url : std::string(fetched_url);
    return d;
}

}  // namespace newswatch::websub
