#pragma once
// RSS 0.90-0.94, 2.0 and 1.0 (RDF) with Dublin Core, content:encoded, Media RSS, iTunes
// and atom:link elements -> the core model.
#include <pugixml.hpp>

#include "newswatch/parser/feed_parser.hpp"
#include "xml_support.hpp"

namespace newswatch::parser {

class rss_reader {
public:
    rss_reader(xml_text_decoder& decoder, const parse_options& options) : dec_(decoder), options_(options) {}

    // `root` is <rss>, <rdf:RDF> or a bare <channel>.
    void read(pugi::xml_node root, parse_result& out);

private:
    void read_channel(pugi::xml_node channel, core::feed_meta& feed);
    core::item read_item(pugi::xml_node item);
    void read_media(pugi::xml_node node, core::item& item);
    void read_itunes_categories(pugi::xml_node node, core::item& item);

    xml_text_decoder& dec_;
    const parse_options& options_;
    std::string base_;      // what relative item links resolve against
    std::string raw_date_;  // read_item's date as written, kept for the item's id
};

}  // namespace newswatch::parser
