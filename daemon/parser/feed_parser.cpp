#include "newswatch/parser/feed_parser.hpp"

#include "atom_reader.hpp"
#include "charset_decoder.hpp"
#include "json_feed_reader.hpp"
#include "rss_reader.hpp"
#include "xml_loader.hpp"
#include "xml_support.hpp"

namespace newswatch::parser {

std::string_view to_string(feed_format format) noexcept {
    switch (format) {
        case feed_format::rss20: return "rss20";
        case feed_format::rss10: return "rss10";
        case feed_format::rss09x: return "rss09x";
        case feed_format::atom10: return "atom10";
        case feed_format::atom03: return "atom03";
        case feed_format::jsonfeed: return "jsonfeed";
        case feed_format::unknown: break;
    }
    return "unknown";
}

namespace {

// The first byte that is neither a BOM nor whitespace (UTF-16 BOMs count as "<").
char first_significant_byte(std::string_view bytes) noexcept {
    if (bytes.size() >= 2 && ((bytes[0] == '\xFE' && bytes[1] == '\xFF') || (bytes[0] == '\xFF' && bytes[1] == '\xFE'))) {
        // UTF-16/32: the first non-zero, non-space byte after the BOM.
        for (std::size_t i = 2; i < bytes.size(); ++i)
            if (bytes[i] != '\0' && bytes[i] != ' ' && bytes[i] != '\n' && bytes[i] != '\r' && bytes[i] != '\t')
                return bytes[i];
        return 0;
    }
    std::size_t i = 0;
    if (bytes.substr(0, 3) == "\xEF\xBB\xBF") i = 3;
    for (; i < bytes.size(); ++i) {
        const char c = bytes[i];
        if (c != ' ' && c != '\n' && c != '\r' && c != '\t' && c != '\0') return c;
    }
    return 0;
}

feed_format xml_format(pugi::xml_node root) noexcept {
    const std::string_view name = local_name(root);
    const xml_ns ns = namespace_of(root);
    if (name == "rss") {
        const std::string_view version = trim(root.attribute("version").value());
        if (version.substr(0, 2) == "0.") return feed_format::rss09x;
        return feed_format::rss20;  // "2.0", "2.0.1", or missing (common): read as RSS 2.0
    }
    if (name == "RDF" || name == "rdf") {
        for (pugi::xml_node c = root.first_child(); c; c = c.next_sibling())
            if (c.type() == pugi::node_element && (local_name(c) == "channel" || local_name(c) == "item"))
                return namespace_of(c) == xml_ns::rss090 ? feed_format::rss09x : feed_format::rss10;
        // No channel or item: the default namespace still tells RSS 0.90 from 1.0.
        const xml_ns default_ns = ns_of_uri(trim(root.attribute("xmlns").value()));
        return default_ns == xml_ns::rss090 ? feed_format::rss09x : feed_format::rss10;
    }
    if (name == "feed") {
        if (ns == xml_ns::atom03) return feed_format::atom03;
        if (ns == xml_ns::atom10) return feed_format::atom10;
        if (ns == xml_ns::none || ns == xml_ns::other) {
            const std::string_view version = trim(root.attribute("version").value());
            if (version == "0.3" || version == "0.2" || version == "0.1") return feed_format::atom03;
            return feed_format::atom10;
        }
    }
    if (name == "channel") return feed_format::rss09x;
    return feed_format::unknown;
}

}  // namespace

parse_result parse_feed(std::string_view bytes, const parse_options& options) {
    parse_result out;
    try {
        const char first = first_significant_byte(bytes);
        if (first == 0) {
            out.status = parse_status::not_a_feed;
            out.error = "empty input";
            return out;
        }
        if (first == '{' || first == '[') {
            decoded_text text = decode_to_utf8(bytes, options.content_type, false);
            out.encoding = std::move(text.encoding);
            out.warnings = std::move(text.warnings);
            json_feed_reader(options).read(text.utf8, out);
            return out;
        }
        if (first != '<') {
            out.status = parse_status::not_a_feed;
            out.error = "neither XML nor JSON (first character is not '<' or '{')";
            return out;
        }
        decoded_text text = decode_to_utf8(bytes, options.content_type, true);
        out.encoding = std::move(text.encoding);
        out.warnings = std::move(text.warnings);
        xml_loader loader;
        const auto regenerate = [&] { return decode_to_utf8(bytes, options.content_type, true).utf8; };
        if (!loader.load(std::move(text.utf8), regenerate, out.warnings)) {
            out.status = parse_status::not_a_feed;
            out.error = "not readable as XML: " + loader.error();
            out.error_offset = loader.error_offset();
            return out;
        }
        // A repaired document can have stray elements before the feed: take the first
        // top-level element that is a feed.
        pugi::xml_node root;
        for (pugi::xml_node n = loader.document().first_child(); n; n = n.next_sibling())
            if (n.type() == pugi::node_element && xml_format(n) != feed_format::unknown) {
                root = n;
                break;
            }
        if (!root) {
            out.status = parse_status::not_a_feed;
            out.error = "XML root element <" + std::string(loader.root().name()) + "> is not RSS, RDF or Atom";
            return out;
        }
        out.format = xml_format(root);
        xml_text_decoder decoder(loader.has_doctype());
        if (out.format == feed_format::atom10 || out.format == feed_format::atom03) {
            atom_reader(decoder, options).read(root, out);
        } else {
            rss_reader(decoder, options).read(root, out);
        }
        decoder.collect_warnings(out.warnings);
        out.status = parse_status::ok;
    } catch (const std::exception& e) {
        // Only allocation failure can get here; report it as a value.
        out = parse_result{};
        out.status = parse_status::failed;
        out.error = std::string("parser failure: ") + e.what();
    }
    return out;
}

}  // namespace newswatch::parser
