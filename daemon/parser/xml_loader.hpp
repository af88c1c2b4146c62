#pragma once
// Loads feed XML (already UTF-8) into pugixml, repairing ill-formed documents: mismatched
// or missing end tags, truncation, stray '<', unquoted attributes, unterminated comments.
// Every repair adds a warning; a well-formed document gives none.
#include <pugixml.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace newswatch::parser {

class xml_loader {
public:
    // pugixml parse flags: no entity expansion (we decode XML and HTML references in one
    // pass later, so undefined entities survive), CDATA kept apart, DOCTYPE recorded.
    static constexpr unsigned parse_flags =
        pugi::parse_cdata | pugi::parse_eol | pugi::parse_doctype;

    // Parses `utf8` in place (it is moved in; no copy on the well-formed path). Repairs work
    // on a fresh copy of the document that `regenerate` returns. Returns false only when no
    // element could be read at all.
    bool load(std::string utf8, const std::function<std::string()>& regenerate,
              std::vector<std::string>& warnings);

    const pugi::xml_document& document() const noexcept { return doc_; }
    // The first element at document level.
    pugi::xml_node root() const noexcept { return doc_.document_element(); }
    bool has_doctype() const noexcept { return has_doctype_; }
    std::size_t error_offset() const noexcept { return error_offset_; }
    std::string error() const { return error_; }

private:
    std::string buffer_;  // pugixml's in-place parse points into it: lives as long as doc_
    pugi::xml_document doc_;
    bool has_doctype_ = false;
    std::size_t error_offset_ = 0;
    std::string error_;
};

}  // namespace newswatch::parser
