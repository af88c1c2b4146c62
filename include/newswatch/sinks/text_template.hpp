#pragma once
// A small `{{field}}` template (docs/CONFIG.md, "Templates"): the text between `{{` and
// `}}` (spaces around the name allowed) is a field of alert_view; everything else is copied
// byte for byte. `{{{{` writes a literal `{{`. Values are escaped for the body's content
// type: JSON string escaping, HTML entities, or none (plain text: the output policy of
// alert_view only). No loops, conditions or expressions: a template is data, not code.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "newswatch/sinks/alert_view.hpp"

namespace newswatch::sinks {

enum class template_escaping { none, json, html };

// The escaping a Content-Type asks for: application/json and any "+json" type: json;
// text/html and application/xhtml+xml: html; anything else: none.
template_escaping escaping_for_content_type(std::string_view content_type) noexcept;

class text_template {
public:
    // Throws std::invalid_argument naming the first unknown field or unclosed `{{`.
    explicit text_template(std::string_view text);

    std::string render(const alert_view& view, template_escaping escaping) const;

private:
    struct part {
        std::string literal;
        std::string field;  // empty: a literal part
    };
    std::vector<part> parts_;
};

}  // namespace newswatch::sinks
