#include "response_header_lines.hpp"

#include <algorithm>
#include <cstdlib>

#include "newswatch/http/http_headers.hpp"

namespace newswatch::http {

bool ascii_iequals(std::string_view a, std::string_view b) noexcept {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return (x | 0x20) == (y | 0x20); });
}

void response_header_lines::clear() {
    status = 0;
    etag.clear();
    last_modified.clear();
    content_type.clear();
    retry_after.clear();
    cache_control.clear();
    expires.clear();
    date.clear();
    links.clear();
}

void response_header_lines::take(std::string_view line) {
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
    if (line.starts_with("HTTP/")) {
        clear();
        auto space = line.find(' ');
        status =
            space == std::string_view::npos ? 0 : std::atol(std::string(line.substr(space + 1, 3)).c_str());
        return;
    }
    auto colon = line.find(':');
    if (colon == std::string_view::npos) return;
    std::string_view name = line.substr(0, colon);
    std::string_view value = trim_header_value(line.substr(colon + 1));
    if (ascii_iequals(name, "etag"))
        etag.assign(value);
    else if (ascii_iequals(name, "last-modified"))
        last_modified.assign(value);
    else if (ascii_iequals(name, "content-type"))
        content_type.assign(value);
    else if (ascii_iequals(name, "retry-after"))
        retry_after.assign(value);
    else if (ascii_iequals(name, "expires"))
        expires.assign(value);
    else if (ascii_iequals(name, "date"))
        date.assign(value);
    else if (ascii_iequals(name, "link") && links.size() < 32)
        links.emplace_back(value.substr(0, 4096));
    else if (ascii_iequals(name, "cache-control")) {
        if (!cache_control.empty()) cache_control += ", ";
        cache_control.append(value);
    }
}

}  // namespace newswatch::http
