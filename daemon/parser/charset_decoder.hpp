#pragma once
// Bytes in whatever charset -> UTF-8, choosing the charset as RFC 7303 says (BOM, then the
// HTTP charset, then the XML declaration, then UTF-8) with a fallback when the chosen
// charset evidently does not fit the bytes. Pure; never throws for input.
#include <string>
#include <string_view>
#include <vector>

namespace newswatch::parser {

struct decoded_text {
    std::string utf8;       // valid UTF-8, BOM removed, invalid sequences replaced by U+FFFD
    std::string encoding;   // lowercase IANA name of the charset used
    std::vector<std::string> warnings;
};

// `content_type` is the HTTP Content-Type header value (may be empty). `is_xml` enables the
// XML declaration and the UTF-16 "<?" sniffing rules.
decoded_text decode_to_utf8(std::string_view bytes, std::string_view content_type, bool is_xml);

// The charset parameter of a Content-Type header value, lowercased; empty when absent.
std::string charset_from_content_type(std::string_view content_type);

// The encoding pseudo-attribute of a leading XML declaration (ASCII-compatible bytes),
// lowercased; empty when absent.
std::string charset_from_xml_declaration(std::string_view bytes);

// Lowercase canonical name for a charset label ("CP1251" -> "windows-1251", "latin1" ->
// "iso-8859-1", "utf8" -> "utf-8"); unknown labels are returned lowercased.
std::string canonical_charset(std::string_view label);

}  // namespace newswatch::parser
