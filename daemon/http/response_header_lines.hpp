#pragma once
// The response header fields the client reads, collected line by line from curl's header
// callback. Internal to the http module; no I/O.
#include <string>
#include <string_view>
#include <vector>

namespace newswatch::http {

struct response_header_lines {
    long status = 0;  // of the status line seen last (a 1xx, then the final response)
    std::string etag, last_modified, content_type, retry_after, cache_control, expires, date;
    std::vector<std::string> links;  // every Link field value (WebSub discovery)

    void clear();
    // One header line as curl hands it over (with its CR LF). A status line starts a new
    // response whose headers replace the earlier ones. May throw std::bad_alloc.
    void take(std::string_view line);
};

bool ascii_iequals(std::string_view a, std::string_view b) noexcept;

}  // namespace newswatch::http
