#include "newswatch/sinks/text_template.hpp"

#include <stdexcept>

#include "newswatch/core/output_text.hpp"
#include "newswatch/sinks/alert_text.hpp"

namespace newswatch::sinks {

namespace {

std::string_view trim_spaces(std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return s;
}

std::string lower_ascii(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

}  // namespace

template_escaping escaping_for_content_type(std::string_view content_type) noexcept {
    std::string_view media = content_type.substr(0, content_type.find(';'));
    media = trim_spaces(media);
    try {
        const std::string m = lower_ascii(media);
        if (m == "application/json" || m.ends_with("+json")) return template_escaping::json;
        if (m == "text/html" || m == "application/xhtml+xml") return template_escaping::html;
    } catch (...) {
    }
    return template_escaping::none;
}

text_template::text_template(std::string_view text) {
    std::string literal;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const auto open = text.find("{{", pos);
        if (open == std::string_view::npos) {
            literal.append(text.substr(pos));
            break;
        }
        literal.append(text.substr(pos, open - pos));
        if (text.substr(open, 4) == "{{{{") {
            literal += "{{";
            pos = open + 4;
            continue;
        }
        const auto close = text.find("}}", open + 2);
        if (close == std::string_view::npos)
            throw std::invalid_argument("unclosed '{{' at byte " + std::to_string(open));
        const std::string name(trim_spaces(text.substr(open + 2, close - open - 2)));
        if (!alert_view::is_field(name))
            throw std::invalid_argument("unknown template field '" + core::log_escaped(name) + "' at byte " +
                                        std::to_string(open));
        if (!literal.empty()) parts_.push_back({std::move(literal), {}});
        literal.clear();
        parts_.push_back({{}, name});
        pos = close + 2;
    }
    if (!literal.empty()) parts_.push_back({std::move(literal), {}});
}

std::string text_template::render(const alert_view& view, template_escaping escaping) const {
    std::string out;
    for (const auto& p : parts_) {
        if (p.field.empty()) {
            out += p.literal;
            continue;
        }
        const std::string value = view.field(p.field).value_or(std::string());
        switch (escaping) {
            case template_escaping::json:
                core::append_quoted_string_escaped(out, value);
                break;
            case template_escaping::html:
                out += html_escaped(value);
                break;
            case template_escaping::none:
                out += value;
                break;
        }
    }
    return out;
}

}  // namespace newswatch::sinks
