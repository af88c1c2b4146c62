#pragma once
// The form of an item link under which two outlets' links to one article compare equal
// (issue #13 item 2). Pure; no I/O.
//
// http and https, upper and lower case in scheme and host, the default port, the fragment,
// a "www.", "m.", "mobile." or "amp." host prefix, AMP path and query markers ("/amp",
// ".amp", "amp=1", "outputType=amp"), Google AMP cache wrappers, a trailing slash and the
// order of the query parameters make no difference; tracking parameters
// (is_tracking_parameter) are removed. README.md, "Deduplication", lists them.
#include <string>
#include <string_view>

namespace newswatch::dedup {

// True for a query parameter that identifies a campaign or a click rather than content:
// utm_*, at_*, fbclid, gclid, mc_cid, mc_eid, ocid, cmpid, ... (ASCII case-insensitive).
bool is_tracking_parameter(std::string_view name) noexcept;

// The canonical form of an absolute http(s) link; "" when `link` is not one (such links
// take no part in link deduplication). Never throws for any input but allocation failure.
std::string canonical_link(std::string_view link);

}  // namespace newswatch::dedup
