#include "newswatch/matcher/document_builder.hpp"

namespace newswatch::matcher {

namespace {

std::string_view view(const std::optional<std::string>& s) noexcept {
    return s ? std::string_view(*s) : std::string_view{};
}

}  // namespace

document make_document(const core::item& item, std::string_view feed_title) {
    document doc;
    doc.title = view(item.title);
    doc.summary = view(item.summary);
    doc.content = view(item.content);
    doc.link = view(item.link);
    doc.feed = feed_title;
    for (const auto& a : item.authors) {
        if (a.name && !a.name->empty()) doc.authors.push_back(*a.name);
        else if (a.email && !a.email->empty()) doc.authors.push_back(*a.email);
        else if (a.uri && !a.uri->empty()) doc.authors.push_back(*a.uri);
    }
    for (const auto& c : item.categories) doc.categories.push_back(c);
    return doc;
}

}  // namespace newswatch::matcher
