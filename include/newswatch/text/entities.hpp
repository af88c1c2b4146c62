#pragma once
// HTML5 character references: every named reference of the WHATWG list (generated from
// daemon/text/entities.tsv) and numeric references, decoded the way an HTML5 parser does in
// text content. Pure functions; never throw for any input.
#include <string>
#include <string_view>

namespace newswatch::text {

// Decodes every character reference in `text` (UTF-8 in, UTF-8 out): named references with
// ';', the legacy ones HTML5 accepts without ';' (e.g. "&amp" "&copy"), "&#NNN;" and
// "&#xHHH;". Forbidden numeric references ("&#0;", surrogates, > U+10FFFF) become U+FFFD and
// never cut the text short; "&#128;".."&#159;" map through windows-1252 as HTML5 says. An
// '&' that starts no known reference is kept literally.
std::string decode_entities(std::string_view text);

// Appends the decoded form of `text` to `out` (the allocation-free form of the above).
void append_decoded_entities(std::string& out, std::string_view text);

// The UTF-8 value of a named reference. `name` excludes the '&' and includes the ';' when
// there is one ("amp;", "nbsp", "NotNestedLessLess;"); empty when unknown.
std::string_view lookup_entity(std::string_view name) noexcept;

// Decodes the character reference that starts at text[pos] == '&'. On success appends its
// value to `out` and returns the length consumed (> 0); returns 0 when no reference starts
// there. `strict_xml` is set to whether the reference is one XML itself defines (the five
// predefined names or a well-formed numeric reference to an allowed character).
std::size_t decode_reference_at(std::string_view text, std::size_t pos, std::string& out,
                                bool* strict_xml = nullptr);

// Appends the UTF-8 encoding of `cp` (U+FFFD for surrogates and values > U+10FFFF).
void append_utf8(std::string& out, char32_t cp);

}  // namespace newswatch::text
