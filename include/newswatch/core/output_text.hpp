#pragma once
// The output policy for text that came from outside (feeds, servers, the network): it
// never reaches a log line or a sink payload as a control character, a line break or a
// bidi override. Every output uses these functions (CONTRIBUTING.md, "Output escaping").
// Stored values and the inputs of the alert id are never passed through them.
//
// "Hostile" characters: C0 controls (U+0000–U+001F), DEL (U+007F), C1 controls
// (U+0080–U+009F, e.g. U+009B CSI), the bidi embeddings and overrides U+202A–U+202E, the
// bidi isolates U+2066–U+2069, the line and paragraph separators U+2028/U+2029 (some
// viewers break lines there), and bytes that are not UTF-8 (a raw 0x9B is CSI to an 8-bit
// terminal).
#include <string>
#include <string_view>

namespace newswatch::core {

// How a log value is written: bare (the container quotes it itself: JSON, journal fields,
// the message text) or between double quotes in a human line (key="value").
enum class log_quoting { bare, quoted };

// Logs: a hostile byte becomes \xHH, a hostile code point \u{HHHH}; with `quoted`, `"`
// and `\` become \" and \\ so a value can neither end its quotes nor fake an escape.
void append_log_escaped(std::string& out, std::string_view text, log_quoting quoting);
std::string log_escaped(std::string_view text);  // bare
std::string log_quoted(std::string_view text);   // "..." with the quoted escapes

// Sink payloads: hostile characters are removed and bytes that are not UTF-8 become
// U+FFFD; the target's own escaping (JSON, HTML, ...) is applied afterwards.
std::string payload_text(std::string_view text);

// The contents of a double-quoted string in JSON or a TOML basic string (the two share
// this escape grammar): `"`, `\`, CR, LF and TAB as \" \\ \r \n \t, other C0 controls
// and DEL as \u00XX. Escaping only, no policy: outside text goes through log_escaped or
// payload_text first.
void append_quoted_string_escaped(std::string& out, std::string_view text);

// True when `text` is valid UTF-8 without hostile characters (nothing to escape or remove
// apart from `"` and `\`).
bool is_output_safe(std::string_view text) noexcept;

}  // namespace newswatch::core
