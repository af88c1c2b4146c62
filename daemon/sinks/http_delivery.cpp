#include "newswatch/sinks/http_delivery.hpp"

#include <boost/url/parse.hpp>

#include "newswatch/core/output_text.hpp"

namespace newswatch::sinks {

std::string url_origin_for_log(std::string_view url) {
    auto parsed = boost::urls::parse_uri(url);
    if (!parsed || parsed->host().empty()) return "(invalid URL)";
    // Appended piece by piece: GCC 12 at -O3 warns (-Wrestrict) on `":" + std::string(...)`.
    std::string out = core::log_escaped(parsed->scheme());
    out += "://";
    out += core::log_escaped(parsed->host());
    if (parsed->has_port()) {
        out += ':';
        out.append(parsed->port());
    }
    return out;
}

delivery_result http_delivery_result(const http::http_response& r, std::string_view shown_url) {
    const std::string where = " from " + std::string(shown_url);
    if (r.outcome == http::fetch_outcome::ok)
        return delivery_result::ok("HTTP " + std::to_string(r.status) + where);
    if (r.outcome == http::fetch_outcome::http_error && r.responded()) {
        const long s = r.status;
        std::string detail = "HTTP " + std::to_string(s) + where;
        if (s == 408 || s == 429 || s >= 500) return delivery_result::retry(std::move(detail), r.retry_after);
        return delivery_result::permanent(std::move(detail));
    }
    if (r.outcome == http::fetch_outcome::bad_url)
        return delivery_result::permanent(r.error + ": " + std::string(shown_url));
    // The error text is curl's (no URL in it) or ours.
    return delivery_result::retry(std::string(http::to_string(r.outcome)) + " (" +
                                  core::log_escaped(r.error) + ")" + where);
}

}  // namespace newswatch::sinks
