#include "xml_loader.hpp"

namespace newswatch::parser {

namespace {

inline bool is_name_start(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
           static_cast<unsigned char>(c) >= 0x80;
}
inline bool is_name_char(char c) noexcept {
    return is_name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}
inline bool is_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// The names of the elements open at `offset`, outermost first, by a light scan of text
// that pugixml already accepted up to there.
std::vector<std::string_view> open_elements(std::string_view text, std::size_t offset) {
    std::vector<std::string_view> stack;
    std::size_t i = 0;
    const std::size_t n = std::min(offset, text.size());
    while (i < n) {
        const std::size_t lt = text.find('<', i);
        if (lt == std::string_view::npos || lt >= n) break;
        if (text.compare(lt, 4, "<!--") == 0) {
            const std::size_t e = text.find("-->", lt + 4);
            i = e == std::string_view::npos ? n : e + 3;
            continue;
        }
        if (text.compare(lt, 9, "<![CDATA[") == 0) {
            const std::size_t e = text.find("]]>", lt + 9);
            i = e == std::string_view::npos ? n : e + 3;
            continue;
        }
        if (lt + 1 < n && (text[lt + 1] == '?' || text[lt + 1] == '!')) {
            // PI or DOCTYPE (an internal subset may contain '>' inside brackets).
            std::size_t e = lt + 2;
            int bracket = 0;
            while (e < n && !(text[e] == '>' && bracket == 0)) {
                if (text[e] == '[') ++bracket;
                if (text[e] == ']') --bracket;
                ++e;
            }
            i = e + 1;
            continue;
        }
        const bool closing = lt + 1 < n && text[lt + 1] == '/';
        std::size_t p = lt + (closing ? 2 : 1);
        const std::size_t name_start = p;
        while (p < n && is_name_char(text[p])) ++p;
        const std::string_view name = text.substr(name_start, p - name_start);
        // Find the end of the tag, respecting quotes.
        char quote = 0;
        while (p < n) {
            if (quote) {
                if (text[p] == quote) quote = 0;
            } else if (text[p] == '"' || text[p] == '\'') {
                quote = text[p];
            } else if (text[p] == '>') {
                break;
            }
            ++p;
        }
        if (closing) {
            for (std::size_t k = stack.size(); k-- > 0;)
                if (stack[k] == name) {
                    stack.resize(k);
                    break;
                }
        } else if (!name.empty() && !(p > 0 && p < n && text[p - 1] == '/')) {
            stack.push_back(name);
        }
        i = p + 1;
    }
    return stack;
}

std::string closers(const std::vector<std::string_view>& stack, std::size_t down_to) {
    std::string out;
    for (std::size_t k = stack.size(); k-- > down_to;) {
        out += "</";
        out += stack[k];
        out += '>';
    }
    return out;
}

// Something after the end of the root element other than whitespace, comments and PIs?
bool garbage_after_root(std::string_view text, std::string_view root_name) {
    std::size_t end = text.size();
    while (true) {
        while (end > 0 && is_space(text[end - 1])) --end;
        if (end >= 3 && text.substr(end - 3, 3) == "-->") {
            const std::size_t open = text.rfind("<!--", end - 3);
            if (open == std::string_view::npos) return true;
            end = open;
            continue;
        }
        if (end >= 2 && text.substr(end - 2, 2) == "?>") {
            const std::size_t open = text.rfind("<?", end - 2);
            if (open == std::string_view::npos) return true;
            end = open;
            continue;
        }
        break;
    }
    if (end == 0 || text[end - 1] != '>') return true;
    // "</root>" or "</root  >" or a self-closed root "<root/>".
    std::size_t p = end - 1;
    while (p > 0 && is_space(text[p - 1])) --p;
    if (p >= root_name.size() + 2 && text.substr(p - root_name.size(), root_name.size()) == root_name &&
        text.substr(p - root_name.size() - 2, 2) == "</")
        return false;
    if (p > 0 && text[p - 1] == '/') {
        const std::size_t lt = text.rfind('<', p);
        return lt == std::string_view::npos || text.compare(lt + 1, root_name.size(), root_name) != 0;
    }
    return true;
}


// One linear pass that makes tag structure well-formed, for documents with many errors
// (naked HTML with unclosed <br> or <p> in every item is common): end tags close whatever
// is open down to their element, end tags of nothing are dropped, '<' that starts no tag
// becomes "&lt;", unquoted or valueless attributes get quotes, unterminated constructs and
// open elements are closed at the end.
struct balance_stats {
    std::size_t closed = 0, dropped = 0, escaped = 0, quoted = 0;
    bool truncated = false;
};

std::string balance(std::string_view text, balance_stats& st) {
    std::string out;
    out.reserve(text.size() + text.size() / 16 + 64);
    std::vector<std::string_view> stack;
    const std::size_t n = text.size();
    std::size_t i = 0;
    auto close_to = [&](std::size_t depth) {
        while (stack.size() > depth) {
            out += "</";
            out += stack.back();
            out += '>';
            stack.pop_back();
        }
    };
    while (i < n) {
        const std::size_t lt = text.find('<', i);
        if (lt == std::string_view::npos) {
            out.append(text.substr(i));
            break;
        }
        out.append(text.substr(i, lt - i));
        i = lt;
        const auto starts = [&](std::string_view p) { return text.compare(i, p.size(), p) == 0; };
        if (starts("<!--")) {
            const std::size_t e = text.find("-->", i + 4);
            if (e == std::string_view::npos) { st.truncated = true; i = n; break; }
            out.append(text.substr(i, e + 3 - i));
            i = e + 3;
            continue;
        }
        if (starts("<![CDATA[")) {
            const std::size_t e = text.find("]]>", i + 9);
            if (e == std::string_view::npos) {
                out.append(text.substr(i));
                out += "]]>";
                st.truncated = true;
                i = n;
                break;
            }
            out.append(text.substr(i, e + 3 - i));
            i = e + 3;
            continue;
        }
        if (starts("<?") || starts("<!")) {
            std::size_t e = i + 2;
            int bracket = 0;
            while (e < n && !(text[e] == '>' && bracket <= 0)) {
                if (text[e] == '[') ++bracket;
                else if (text[e] == ']') --bracket;
                ++e;
            }
            if (e >= n) { st.truncated = true; i = n; break; }
            out.append(text.substr(i, e + 1 - i));
            i = e + 1;
            continue;
        }
        const bool closing = i + 1 < n && text[i + 1] == '/';
        std::size_t p = i + (closing ? 2 : 1);
        if (p >= n || !is_name_start(text[p])) {
            if (closing && p >= n) { st.truncated = true; i = n; break; }
            out += "&lt;";
            ++st.escaped;
            ++i;
            continue;
        }
        const std::size_t name_start = p;
        while (p < n && is_name_char(text[p])) ++p;
        const std::string_view name = text.substr(name_start, p - name_start);
        if (closing) {
            const std::size_t gt = text.find('>', p);
            if (gt == std::string_view::npos) { st.truncated = true; i = n; break; }
            std::size_t k = stack.size();
            while (k > 0 && stack[k - 1] != name) --k;
            if (k == 0) {
                ++st.dropped;
            } else {
                st.closed += stack.size() - k;
                close_to(k);  // closes the unclosed ones above, then the element itself
            }
            i = gt + 1;
            // close_to(k) emitted "</name>" for stack[k-1]? No: it stops at depth k.
            if (k > 0) {
                out += "</";
                out += name;
                out += '>';
                stack.pop_back();
            }
            continue;
        }
        // A start tag: copy attributes, quoting where needed.
        std::string tag = "<";
        tag.append(name);
        bool self_closed = false, complete = false, broken = false;
        while (p < n) {
            const char c = text[p];
            if (is_space(c)) { tag += c; ++p; continue; }
            if (c == '>') { complete = true; ++p; break; }
            if (c == '/' && p + 1 < n && text[p + 1] == '>') { self_closed = complete = true; p += 2; break; }
            if (c == '<') { broken = true; break; }  // a tag that never ended
            // attribute name
            const std::size_t an = p;
            while (p < n && !is_space(text[p]) && text[p] != '=' && text[p] != '>' && text[p] != '<' &&
                   !(text[p] == '/' && p + 1 < n && text[p + 1] == '>'))
                ++p;
            std::string_view attr_name = text.substr(an, p - an);
            bool valid_name = !attr_name.empty() && is_name_start(attr_name[0]);
            for (char ch : attr_name) valid_name = valid_name && is_name_char(ch);
            std::size_t q = p;
            while (q < n && is_space(text[q])) ++q;
            if (q < n && text[q] == '=') {
                ++q;
                while (q < n && is_space(text[q])) ++q;
                std::string value;
                if (q < n && (text[q] == '"' || text[q] == '\'')) {
                    const char quote = text[q];
                    const std::size_t close = text.find(quote, q + 1);
                    if (close == std::string_view::npos) { q = n; break; }
                    value = std::string(text.substr(q + 1, close - q - 1));
                    q = close + 1;
                    if (quote == '\'') {
                        tag += ' ';
                        if (valid_name) { tag.append(attr_name); tag += "='"; tag += value; tag += '\''; }
                        p = q;
                        continue;
                    }
                } else {
                    const std::size_t vs = q;
                    while (q < n && !is_space(text[q]) && text[q] != '>' && text[q] != '<' &&
                           !(text[q] == '/' && q + 1 < n && text[q + 1] == '>'))
                        ++q;
                    value = std::string(text.substr(vs, q - vs));
                    ++st.quoted;
                }
                if (valid_name) {
                    std::string escaped;
                    for (char ch : value) {
                        if (ch == '"') escaped += "&quot;";
                        else if (ch == '<') escaped += "&lt;";
                        else escaped += ch;
                    }
                    tag += ' ';
                    tag.append(attr_name);
                    tag += "=\"";
                    tag += escaped;
                    tag += '"';
                }
                p = q;
            } else {
                if (valid_name) {  // HTML boolean attribute: name="name"
                    tag += ' ';
                    tag.append(attr_name);
                    tag += "=\"";
                    tag.append(attr_name);
                    tag += '"';
                    ++st.quoted;
                }
                if (p == an) ++p;  // never stall on an odd character
            }
        }
        if (!complete && !broken) {  // the document ends inside a start tag: drop it
            st.truncated = true;
            i = n;
            break;
        }
        // An <item> or <entry> never nests: one that opens while another is open closes it
        // (a feed that forgot its </item>s keeps every item as a sibling).
        if (name == "item" || name == "entry") {
            std::size_t k = stack.size();
            while (k > 0 && stack[k - 1] != name) --k;
            if (k > 0) {
                st.closed += stack.size() - k + 1;
                close_to(k - 1);
            }
        }
        out += tag;
        if (self_closed) {
            out += "/>";
        } else {
            out += '>';
            stack.push_back(name);
        }
        if (broken) ++st.escaped;
        i = p;
    }
    if (!stack.empty()) {
        st.truncated = true;
        close_to(0);
    }
    return out;
}

enum class repair_kind { none, closed_tags, dropped_end_tag, escaped_lt, quoted_attribute, truncated };

}  // namespace

bool xml_loader::load(std::string utf8, const std::function<std::string()>& regenerate,
                      std::vector<std::string>& warnings) {
    // The well-formed path: parse in place, no copy. pugixml writes into the buffer, so the
    // end of the document is kept aside first for the "content after the root" check.
    const std::string tail = utf8.substr(utf8.size() > 1024 ? utf8.size() - 1024 : 0);
    buffer_ = std::move(utf8);
    {
        const pugi::xml_parse_result r = doc_.load_buffer_inplace(buffer_.data(), buffer_.size(), parse_flags,
                                                                  pugi::encoding_utf8);
        if (r) {
            const pugi::xml_node root = doc_.document_element();
            if (!root) {
                error_ = "no XML root element";
                return false;
            }
            for (pugi::xml_node n = doc_.first_child(); n; n = n.next_sibling())
                if (n.type() == pugi::node_doctype) has_doctype_ = true;
            if (garbage_after_root(tail, root.name()))
                warnings.push_back("ill-formed XML: content after the root element ignored");
            return true;
        }
    }
    // First the one-pass balancer; the step-by-step repairs below handle what it leaves.
    {
        const std::string original = regenerate();
        balance_stats st;
        std::string balanced = balance(original, st);
        buffer_ = balanced;
        doc_.reset();
        const pugi::xml_parse_result first_error = [&] {
            std::string copy = original;
            pugi::xml_document probe;
            return probe.load_buffer_inplace(copy.data(), copy.size(), parse_flags, pugi::encoding_utf8);
        }();
        const pugi::xml_parse_result r = doc_.load_buffer_inplace(buffer_.data(), buffer_.size(), parse_flags,
                                                                  pugi::encoding_utf8);
        if (r && doc_.document_element()) {
            error_ = first_error.description();
            error_offset_ = static_cast<std::size_t>(first_error.offset);
            std::string what;
            const auto add = [&](std::size_t count, const char* text) {
                if (count == 0) return;
                if (!what.empty()) what += ", ";
                what += std::to_string(count) + " " + text;
            };
            add(st.closed, "unclosed elements closed");
            add(st.dropped, "end tags without a start tag dropped");
            add(st.escaped, "stray '<' read as text");
            add(st.quoted, "attribute values quoted");
            if (st.truncated) what += std::string(what.empty() ? "" : ", ") + "cut short: open elements closed at the end";
            warnings.push_back("ill-formed XML (" + error_ + " at byte " + std::to_string(error_offset_) +
                               "): repaired: " + (what.empty() ? std::string("structure rebuilt") : what));
            for (pugi::xml_node nd = doc_.first_child(); nd; nd = nd.next_sibling())
                if (nd.type() == pugi::node_doctype) has_doctype_ = true;
            return true;
        }
    }
    std::string text = regenerate();  // the document as currently repaired
    // Each repair re-parses the document: bound the total work for big, badly broken ones.
    const int max_repairs = text.size() > (4u << 20) ? 4 : text.size() > (512u << 10) ? 16 : 64;
    bool repaired = false;
    bool warned[6] = {};
    for (int attempt = 0;; ++attempt) {
        buffer_ = text;
        doc_.reset();
        const pugi::xml_parse_result r = doc_.load_buffer_inplace(
            buffer_.data(), buffer_.size(), parse_flags, pugi::encoding_utf8);
        if (r) break;
        if (r.status == pugi::status_no_document_element) {
            error_ = "no XML root element";
            error_offset_ = static_cast<std::size_t>(r.offset);
            return false;
        }
        if (error_.empty()) {
            error_ = r.description();
            error_offset_ = static_cast<std::size_t>(r.offset);
        }
        if (attempt >= max_repairs) {
            warnings.push_back("ill-formed XML: gave up repairing after " + std::to_string(max_repairs) +
                               " repairs; kept what was read before byte " + std::to_string(r.offset));
            break;
        }
        const std::size_t off = std::min(static_cast<std::size_t>(r.offset), text.size());
        repair_kind kind = repair_kind::none;
        // Trailing whitespace only after the error point: the document was cut short.
        std::size_t rest = off;
        while (rest < text.size() && is_space(text[rest])) ++rest;
        const bool at_end = rest >= text.size();

        if (r.status == pugi::status_end_element_mismatch && off >= 2 && text.compare(off - 2, 2, "</") == 0 && !at_end) {
            std::size_t p = off;
            while (p < text.size() && is_name_char(text[p])) ++p;
            const std::string_view name = std::string_view(text).substr(off, p - off);
            const std::size_t gt = text.find('>', p);
            const auto stack = open_elements(text, off - 2);
            std::size_t match = stack.size();
            for (std::size_t k = stack.size(); k-- > 0;)
                if (stack[k] == name) {
                    match = k;
                    break;
                }
            if (match < stack.size()) {
                text.insert(off - 2, closers(stack, match + 1));
                kind = repair_kind::closed_tags;
            } else {
                text.erase(off - 2, (gt == std::string::npos ? text.size() : gt + 1) - (off - 2));
                kind = repair_kind::dropped_end_tag;
            }
        } else if (r.status == pugi::status_bad_attribute && off < text.size() && !at_end &&
                   text[off] != '"' && text[off] != '\'' && off > 0 && text[off - 1] == '=') {
            std::size_t e = off;
            while (e < text.size() && !is_space(text[e]) && text[e] != '>' &&
                   !(text[e] == '/' && e + 1 < text.size() && text[e + 1] == '>'))
                ++e;
            text.insert(e, 1, '"');
            text.insert(off, 1, '"');
            kind = repair_kind::quoted_attribute;
        } else {
            const std::size_t lt = off < text.size() ? text.rfind('<', off) : text.rfind('<');
            const bool stray_lt = lt != std::string::npos && lt + 1 < text.size() &&
                                  !is_name_start(text[lt + 1]) && text[lt + 1] != '/' &&
                                  text[lt + 1] != '!' && text[lt + 1] != '?';
            if (stray_lt && !at_end) {
                text.replace(lt, 1, "&lt;");
                kind = repair_kind::escaped_lt;
            } else if (r.status == pugi::status_bad_attribute && lt != std::string::npos && !at_end) {
                text.replace(lt, 1, "&lt;");  // an unreadable tag becomes text
                kind = repair_kind::escaped_lt;
            } else {
                // Cut at the construct that failed (or at the end) and close what is open.
                std::size_t cut = text.size();
                if (r.status != pugi::status_end_element_mismatch && lt != std::string::npos) cut = lt;
                text.resize(cut);
                const auto stack = open_elements(text, text.size());
                if (stack.empty()) {
                    buffer_ = text;
                    doc_.load_buffer_inplace(buffer_.data(), buffer_.size(), parse_flags, pugi::encoding_utf8);
                    kind = repair_kind::truncated;
                    if (!warned[int(kind)])
                        warnings.push_back("ill-formed XML (" + error_ + " at byte " +
                                           std::to_string(error_offset_) + "): the rest was dropped");
                    break;
                }
                text += closers(stack, 0);
                kind = repair_kind::truncated;
            }
        }
        repaired = true;
        if (!warned[int(kind)]) {
            warned[int(kind)] = true;
            const char* what = "";
            switch (kind) {
                case repair_kind::closed_tags: what = "closed unclosed elements"; break;
                case repair_kind::dropped_end_tag: what = "dropped an end tag without a start tag"; break;
                case repair_kind::escaped_lt: what = "read a stray '<' as text"; break;
                case repair_kind::quoted_attribute: what = "quoted an unquoted attribute value"; break;
                case repair_kind::truncated: what = "document cut short or unreadable at the end; closed open elements"; break;
                case repair_kind::none: break;
            }
            warnings.push_back(std::string("ill-formed XML (") + r.description() + " at byte " +
                               std::to_string(r.offset) + "): " + what);
        }
    }
    (void)repaired;
    const pugi::xml_node root = doc_.document_element();
    if (!root) {
        if (error_.empty()) error_ = "no XML root element";
        return false;
    }
    for (pugi::xml_node n = doc_.first_child(); n; n = n.next_sibling())
        if (n.type() == pugi::node_doctype) has_doctype_ = true;
    return true;
}

}  // namespace newswatch::parser
