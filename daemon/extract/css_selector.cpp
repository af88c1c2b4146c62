#include "newswatch/extract/css_selector.hpp"

#include <system_error>

#include "dom.hpp"

namespace newswatch::extract {

namespace {

bool is_ident_char(char c) noexcept {
    const auto u = static_cast<unsigned char>(c);
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || u >= 0x80;
}

bool is_space(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

class selector_parser {
public:
    explicit selector_parser(std::string_view text) : s_(text) {}

    bool parse(std::vector<css_selector::complex>& out) {
        skip_spaces();
        while (true) {
            css_selector::complex complex;
            if (!parse_complex(complex)) return false;
            out.push_back(std::move(complex));
            skip_spaces();
            if (at_end()) return true;
            if (s_[pos_] != ',') return fail("',' or the end");
            ++pos_;
            skip_spaces();
        }
    }

    const std::string& error() const noexcept { return error_; }

private:
    bool at_end() const noexcept { return pos_ >= s_.size(); }

    void skip_spaces() noexcept {
        while (!at_end() && is_space(s_[pos_])) ++pos_;
    }

    bool fail(std::string_view expected) {
        error_ = "column " + std::to_string(pos_ + 1) + ": expected " + std::string(expected);
        if (!at_end())
            error_ += ", found '" + std::string(1, s_[pos_]) + "'";
        else
            error_ += ", found the end";
        return false;
    }

    std::string ident() {
        const std::size_t start = pos_;
        while (!at_end() && is_ident_char(s_[pos_])) ++pos_;
        return std::string(s_.substr(start, pos_ - start));
    }

    bool parse_complex(css_selector::complex& out) {
        while (true) {
            css_selector::compound compound;
            if (!parse_compound(compound)) return false;
            out.push_back(std::move(compound));
            const std::size_t before = pos_;
            skip_spaces();
            if (at_end() || s_[pos_] == ',') return true;
            if (pos_ == before) return fail("a space, ',' or the end");  // e.g. '>' or ':'
        }
    }

    bool parse_compound(css_selector::compound& out) {
        bool any = false;
        if (!at_end() && is_ident_char(s_[pos_])) {
            out.tag = dom::lowercase(ident());
            any = true;
        }
        while (!at_end()) {
            const char c = s_[pos_];
            if (c == '.' || c == '#') {
                ++pos_;
                std::string name = ident();
                if (name.empty()) return fail(c == '.' ? "a class name" : "an id");
                if (c == '.')
                    out.classes.push_back(std::move(name));
                else
                    out.id = std::move(name);
            } else if (c == '[') {
                ++pos_;
                if (!parse_attribute(out)) return false;
            } else {
                break;
            }
            any = true;
        }
        if (!any) return fail("a tag, '.class', '#id' or '[attribute]'");
        return true;
    }

    bool parse_attribute(css_selector::compound& out) {
        skip_spaces();
        css_selector::attribute_test test;
        test.name = dom::lowercase(ident());
        if (test.name.empty()) return fail("an attribute name");
        skip_spaces();
        if (!at_end() && s_[pos_] == '=') {
            ++pos_;
            skip_spaces();
            test.has_value = true;
            if (!at_end() && (s_[pos_] == '"' || s_[pos_] == '\'')) {
                const char quote = s_[pos_++];
                const std::size_t close = s_.find(quote, pos_);
                if (close == std::string_view::npos) return fail(std::string("a closing ") + quote);
                test.value = std::string(s_.substr(pos_, close - pos_));
                pos_ = close + 1;
            } else {
                test.value = ident();
                if (test.value.empty()) return fail("a value");
            }
            skip_spaces();
        }
        if (at_end() || s_[pos_] != ']') return fail("']' (only [attr] and [attr=value] are supported)");
        ++pos_;
        out.attributes.push_back(std::move(test));
        return true;
    }

    std::string_view s_;
    std::size_t pos_ = 0;
    std::string error_;
};

bool has_class(std::string_view classes, std::string_view wanted) noexcept {
    std::size_t p = 0;
    while (p < classes.size()) {
        while (p < classes.size() && is_space(classes[p])) ++p;
        std::size_t end = p;
        while (end < classes.size() && !is_space(classes[end])) ++end;
        if (end > p && classes.substr(p, end - p) == wanted) return true;
        p = end;
    }
    return false;
}

bool matches_compound(const css_selector::compound& c, const GumboNode* e) {
    if (!dom::is_element(e)) return false;
    if (!c.tag.empty() && dom::tag_name(e) != c.tag) return false;
    if (!c.id.empty() && dom::attribute_or_empty(e, "id") != c.id) return false;
    if (!c.classes.empty()) {
        const std::string_view classes = dom::attribute_or_empty(e, "class");
        for (const auto& wanted : c.classes)
            if (!has_class(classes, wanted)) return false;
    }
    for (const auto& a : c.attributes) {
        const char* value = dom::attribute(e, a.name.c_str());  // gumbo lowercases HTML names
        if (!value || (a.has_value && a.value != value)) return false;
    }
    return true;
}

// The subject matches the last compound; each earlier compound must match some ancestor,
// in order (greedy from the nearest ancestor is exact for descendant-only selectors).
bool matches_complex(const css_selector::complex& complex, const GumboNode* e) {
    if (complex.empty() || !matches_compound(complex.back(), e)) return false;
    std::size_t next = complex.size() - 1;
    for (const GumboNode* a = e->parent; a && next > 0; a = a->parent)
        if (matches_compound(complex[next - 1], a)) --next;
    return next == 0;
}

}  // namespace

core::result<css_selector> css_selector::parse(std::string_view text) {
    css_selector selector;
    selector.text_ = std::string(text);
    selector_parser parser(text);
    if (!parser.parse(selector.alternatives_))
        return core::error{std::make_error_code(std::errc::invalid_argument),
                           "content_selector \"" + std::string(text) + "\": " + parser.error()};
    return selector;
}

bool css_selector::matches(const GumboInternalNode* element) const {
    for (const auto& complex : alternatives_)
        if (matches_complex(complex, element)) return true;
    return false;
}

std::vector<const GumboInternalNode*> css_selector::select(const GumboInternalNode* root) const {
    std::vector<const GumboNode*> out;
    // Iterative pre-order walk; a matched element's subtree is not searched again.
    std::vector<std::pair<const GumboNode*, int>> stack{{root, 0}};
    while (!stack.empty()) {
        const auto [node, depth] = stack.back();
        stack.pop_back();
        if (!dom::is_element(node)) continue;
        if (matches(node)) {
            out.push_back(node);
            continue;
        }
        if (depth >= dom::max_depth) continue;
        const GumboVector& kids = node->v.element.children;
        for (unsigned i = kids.length; i-- > 0;)
            stack.emplace_back(static_cast<const GumboNode*>(kids.data[i]), depth + 1);
    }
    return out;
}

}  // namespace newswatch::extract
