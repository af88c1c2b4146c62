#pragma once
// HTML bytes -> UTF-8 (the part of the WHATWG encoding sniffing a server-side reader needs).
#include <string>
#include <string_view>

namespace newswatch::extract {

// BOM first, then the Content-Type charset, then a <meta charset> / http-equiv in the first
// 1024 bytes. Latin-1 and ASCII labels mean windows-1252; UTF-8 that is valid wins over a
// wrong single-byte label; unknown or undeclared non-UTF-8 bytes decode as windows-1252.
// Never fails: invalid sequences become U+FFFD.
std::string html_to_utf8(std::string_view bytes, std::string_view content_type);

}  // namespace newswatch::extract
