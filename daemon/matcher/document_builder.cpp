#include "newswatch/matcher/document_builder.hpp"

#include "newswatch/text/utf8_prefix.hpp"

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

text_cut limit_text(document& doc, std::size_t max_bytes) {
    text_cut out;
    std::size_t left = max_bytes;
    auto take = [&](std::string_view& field) {
        out.before += field.size();
        field = text::utf8_prefix(field, left);
        left -= field.size();
        out.after += field.size();
    };
    take(doc.title);
    take(doc.summary);
    take(doc.content);
    take(doc.article);  // the page's text before the smaller fields: it is what was fetched for
    for (auto& a : doc.authors) take(a);
    for (auto& c : doc.categories) take(c);
    take(doc.feed);
    take(doc.link);
    return out;
}

}  // namespace newswatch::matcher
