#pragma once
// Atom 1.0 and 0.3 -> the core model: text constructs (text/html/xhtml, 0.3 modes),
// xml:base and relative links resolved, link rel choice, enclosures, inherited authors.
#include <pugixml.hpp>

#include "newswatch/parser/feed_parser.hpp"
#include "xml_support.hpp"

namespace newswatch::parser {

class atom_reader {
public:
    atom_reader(xml_text_decoder& decoder, const parse_options& options)
        : dec_(decoder), options_(options) {}

    void read(pugi::xml_node feed, parse_result& out);

private:
    struct text_value {
        std::string html;   // markup (text constructs of type "text" escaped)
        std::string plain;  // plain text, paragraphs kept
        bool is_markup = false;
    };
    text_value text_construct(pugi::xml_node node);
    core::item read_entry(pugi::xml_node entry, const std::string& base,
                          const std::vector<core::person>& feed_authors);
    core::person read_person(pugi::xml_node node, const std::string& base);
    std::string base_of(pugi::xml_node node, const std::string& inherited);

    xml_text_decoder& dec_;
    const parse_options& options_;
};

}  // namespace newswatch::parser
