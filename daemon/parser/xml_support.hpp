#pragma once
// What the RSS and Atom readers share: namespace resolution, element text with XML and HTML
// character references decoded, text-field conversion, URL resolution, item identity.
#include <pugixml.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "newswatch/core/item.hpp"

namespace newswatch::parser {

enum class xml_ns {
    none,
    atom10,
    atom03,
    rss10,
    rss090,
    rdf,
    dc,
    dcterms,
    content,
    media,
    itunes,
    xhtml,
    xml,
    other
};

// The namespace of an element (by its prefix and the xmlns declarations in scope; an
// undeclared conventional prefix such as "dc:" or "media:" counts as that namespace).
xml_ns namespace_of(pugi::xml_node node) noexcept;

// namespace_of() for the children of one element, remembering what each prefix means in
// the parent's scope: an item's dozen children cost one walk up the tree per prefix instead
// of one each (that walk was 8 % of `newswatch parse --json`, issue 16). A child that
// declares namespaces itself is resolved in full. Valid while `parent`'s document lives.
class child_namespaces {
public:
    explicit child_namespaces(pugi::xml_node parent) noexcept : parent_(parent) {}
    xml_ns of(pugi::xml_node child) noexcept;

private:
    struct known {
        std::string_view prefix;  // points into the document's names
        xml_ns ns;
    };
    pugi::xml_node parent_;
    known known_[6];
    std::size_t size_ = 0;
};

// The namespace a URI names (loosely compared: case, http/https, trailing '/' or '#').
xml_ns ns_of_uri(std::string_view uri) noexcept;

// The name without its prefix.
std::string_view local_name(pugi::xml_node node) noexcept;
std::string_view local_name(pugi::xml_attribute attr) noexcept;

// Attribute by local name (any prefix), or an empty attribute.
pugi::xml_attribute attribute(pugi::xml_node node, std::string_view local) noexcept;

// Decodes XML text: references (XML's own, HTML5 named ones and numeric) and notes the
// ones that make the document ill-formed, for one warning per document.
class xml_text_decoder {
public:
    explicit xml_text_decoder(bool has_doctype) : has_doctype_(has_doctype) {}
    void append_decoded(std::string& out, std::string_view raw);
    std::string decoded(std::string_view raw) {
        std::string out;
        append_decoded(out, raw);
        return out;
    }
    // Everything inside the element as one string: text and CDATA decoded/as is, child
    // elements serialized as markup (HTML that was put in unescaped).
    std::string inner(pugi::xml_node node);
    // The same text as a view: into the document when the element holds one CDATA section,
    // or one text node without references (most fields of most feeds: no copy), else into
    // a buffer of the decoder's that the next call reuses. Valid until the next call.
    std::string_view inner_view(pugi::xml_node node);
    // Serialized markup of the element's children (for XHTML content).
    std::string inner_markup(pugi::xml_node node);
    // Attribute value, decoded.
    std::string attr(pugi::xml_node node, std::string_view local) {
        return decoded(attribute(node, local).value());
    }
    void collect_warnings(std::vector<std::string>& warnings) const;

private:
    void append_inner(std::string& out, pugi::xml_node node);

    bool has_doctype_;
    std::string scratch_;  // inner_view's text when it is not in the document as is
    std::size_t bare_ampersands_ = 0;
    std::size_t undefined_refs_ = 0;
    std::string first_undefined_;
};

// Trims ASCII whitespace.
std::string_view trim(std::string_view s) noexcept;
// A whole decimal integer after trimming (" 1024 "), else nullopt.
std::optional<long long> to_integer(std::string_view s) noexcept;

// Title-like fields: HTML (if it looks like markup) or text -> one line of plain text.
std::string one_line(std::string_view html_or_text);

// Does the text contain something that looks like an HTML tag?
bool looks_like_html(std::string_view text) noexcept;

// Escapes &, < and > so plain text can be shown as HTML.
std::string escape_html(std::string_view text);

// Resolves `ref` against `base` (RFC 3986); returns `ref` unchanged when either is not a
// usable URL.
std::string resolve_url(std::string_view base, std::string_view ref);

// "email (Name)", "Name <email>", "email" or "Name" -> person.
core::person parse_person(std::string_view text);

// Fills id (guid/id, else link, else a hash of title + date) and trims scalar fields.
void finish_item(core::item& item, std::string_view raw_date);

// Adds an enclosure unless one with the same URL is already there.
void add_enclosure(core::item& item, core::enclosure e);

// Adds a category unless it is empty or already there (RSS, Media RSS and iTunes often
// repeat the same term).
void add_category(core::item& item, std::string term);

// ASCII-lowercased copy, for element names that producers write in any case.
std::string lowercase(std::string_view name);

// True when the element has a non-blank href: a link without one is no link at all.
bool has_href(pugi::xml_node node) noexcept;

// WebSub discovery (W3C WebSub §4): a feed-level link whose rel holds "hub" adds a hub (at
// most 8, no repeats), one holding "self" sets the topic URL if none is set yet. `href` is
// already resolved; an empty one is ignored.
void take_websub_link(std::string_view rel, const std::string& href, core::feed_meta& feed);

}  // namespace newswatch::parser
