#include "newswatch/config/opml.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <sstream>
#include <unordered_map>

#include <pugixml.hpp>

#include "newswatch/core/errc.hpp"
#include "newswatch/core/output_text.hpp"

namespace newswatch::config {

namespace {

// Line of a byte offset; the scan is paid only by what gets a line (feeds and notices).
class line_index {
public:
    explicit line_index(std::string_view text) {
        for (std::size_t i = 0; i < text.size(); ++i)
            if (text[i] == '\n') breaks_.push_back(i);
    }
    int line_of(std::ptrdiff_t offset) const {
        if (offset < 0) return 0;
        return 1 + static_cast<int>(
                       std::lower_bound(breaks_.begin(), breaks_.end(), static_cast<std::size_t>(offset)) -
                       breaks_.begin());
    }

private:
    std::vector<std::size_t> breaks_;
};

std::string trimmed(std::string_view s) {
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    const auto last = s.find_last_not_of(" \t\r\n");
    return std::string(s.substr(first, last - first + 1));
}

// Attributes by name, case-insensitively: exporters write xmlUrl, xmlurl and XMLURL.
std::string attribute(const pugi::xml_node& node, std::string_view name) {
    for (const auto& a : node.attributes()) {
        const std::string_view n = a.name();
        if (n.size() == name.size() && std::equal(n.begin(), n.end(), name.begin(), [](char x, char y) {
                return std::tolower(static_cast<unsigned char>(x)) ==
                       std::tolower(static_cast<unsigned char>(y));
            }))
            return trimmed(a.value());
    }
    return {};
}

void add_tag(std::vector<std::string>& tags, std::string tag) {
    if (!tag.empty() && std::find(tags.begin(), tags.end(), tag) == tags.end())
        tags.push_back(std::move(tag));
}

class reader {
public:
    reader(std::string_view text, opml_document& out) : lines_(text), out_(out) {}

    void walk(const pugi::xml_node& parent, std::vector<std::string>& folders, int depth) {
        // Deep nesting is a hostile document, not a subscription list.
        if (depth > 64) {
            out_.notices.push_back(
                {lines_.line_of(parent.offset_debug()), "outlines nested deeper than 64 levels ignored"});
            return;
        }
        for (const auto& node : parent.children("outline")) {
            const std::string url = attribute(node, "xmlUrl");
            std::string text = attribute(node, "title");
            if (text.empty()) text = attribute(node, "text");
            if (url.empty()) {
                folders.push_back(text);
                walk(node, folders, depth + 1);
                folders.pop_back();
                continue;
            }
            read_feed(node, url, text, folders);
            walk(node, folders, depth + 1);  // feeds nested under a feed still count
        }
    }

private:
    void read_feed(const pugi::xml_node& node, const std::string& url, const std::string& text,
                   const std::vector<std::string>& folders) {
        const int line = lines_.line_of(node.offset_debug());
        if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
            out_.notices.push_back({line, "not an http(s) feed, skipped: " + url});
            return;
        }
        if (auto [it, added] = first_line_.emplace(url, line); !added) {
            out_.notices.push_back(
                {line, "duplicate feed URL (first at line " + std::to_string(it->second) + "): " + url});
            return;
        }
        opml_feed feed;
        feed.url = url;
        feed.line = line;
        if (!text.empty()) feed.title = text;
        if (auto html = attribute(node, "htmlUrl"); !html.empty()) feed.html_url = html;
        for (const auto& folder : folders) add_tag(feed.tags, folder);
        std::stringstream categories(attribute(node, "category"));
        for (std::string category; std::getline(categories, category, ',');) {
            category = trimmed(category);
            while (!category.empty() && category.front() == '/') category.erase(0, 1);
            add_tag(feed.tags, std::move(category));
        }
        out_.feeds.push_back(std::move(feed));
    }

    line_index lines_;
    opml_document& out_;
    std::unordered_map<std::string, int> first_line_;
};

core::error opml_error(std::string message) {
    return {make_error_code(core::errc::parse_error), std::move(message)};
}

std::string toml_string(std::string_view s) {
    std::string out = "\"";
    core::append_quoted_string_escaped(out, s);
    return out + "\"";
}

}  // namespace

core::result<opml_document> parse_opml(std::string_view bytes) {
    pugi::xml_document doc;
    // No DOCTYPE processing in pugixml: entity expansion attacks are not possible.
    const auto parsed = doc.load_buffer(bytes.data(), bytes.size(), pugi::parse_default, pugi::encoding_auto);
    const line_index lines(bytes);
    if (!parsed)
        return opml_error("line " + std::to_string(lines.line_of(parsed.offset)) +
                          ": not XML: " + parsed.description());
    const pugi::xml_node root = doc.document_element();
    if (std::string_view(root.name()) != "opml")
        return opml_error("line " + std::to_string(lines.line_of(root.offset_debug())) +
                          ": not OPML: the root element is <" + root.name() + ">, not <opml>");
    const pugi::xml_node body = root.child("body");
    if (!body) return opml_error("not OPML: no <body>");
    opml_document out;
    if (auto title = trimmed(root.child("head").child_value("title")); !title.empty()) out.title = title;
    reader r(bytes, out);
    std::vector<std::string> folders;
    r.walk(body, folders, 0);
    return out;
}

std::string write_opml(const std::vector<opml_feed>& feeds, std::string_view title) {
    pugi::xml_document doc;
    auto declaration = doc.append_child(pugi::node_declaration);
    declaration.append_attribute("version") = "1.0";
    declaration.append_attribute("encoding") = "UTF-8";
    auto opml = doc.append_child("opml");
    opml.append_attribute("version") = "2.0";
    opml.append_child("head").append_child("title").text().set(std::string(title).c_str());
    auto body = opml.append_child("body");
    std::vector<std::pair<std::string, pugi::xml_node>> folders;  // first tag -> its outline
    for (const auto& feed : feeds) {
        pugi::xml_node parent = body;
        if (!feed.tags.empty()) {
            auto it = std::find_if(folders.begin(), folders.end(),
                                   [&](const auto& f) { return f.first == feed.tags[0]; });
            if (it == folders.end()) {
                auto folder = body.append_child("outline");
                folder.append_attribute("text") = feed.tags[0].c_str();
                folder.append_attribute("title") = feed.tags[0].c_str();
                folders.emplace_back(feed.tags[0], folder);
                it = std::prev(folders.end());
            }
            parent = it->second;
        }
        auto outline = parent.append_child("outline");
        const std::string text = feed.title.value_or(feed.url);
        outline.append_attribute("type") = "rss";
        outline.append_attribute("text") = text.c_str();
        outline.append_attribute("title") = text.c_str();
        outline.append_attribute("xmlUrl") = feed.url.c_str();
        if (feed.html_url) outline.append_attribute("htmlUrl") = feed.html_url->c_str();
        std::string categories;
        for (std::size_t i = 1; i < feed.tags.size(); ++i) {
            if (!categories.empty()) categories += ',';
            categories += "/" + feed.tags[i];
        }
        if (!categories.empty()) outline.append_attribute("category") = categories.c_str();
    }
    std::ostringstream out;
    doc.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
    return out.str();
}

std::string feed_tables_toml(const std::vector<opml_feed>& feeds) {
    std::string out;
    for (const auto& feed : feeds) {
        out += "[[feed]]\nurl = " + toml_string(feed.url) + "\n";
        if (feed.title) out += "title = " + toml_string(*feed.title) + "\n";
        if (!feed.tags.empty()) {
            out += "tags = [";
            for (std::size_t i = 0; i < feed.tags.size(); ++i)
                out += (i ? ", " : "") + toml_string(feed.tags[i]);
            out += "]\n";
        }
        out += "\n";
    }
    return out;
}

}  // namespace newswatch::config
