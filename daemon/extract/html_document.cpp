#include "newswatch/extract/html_document.hpp"

#include <gumbo.h>

#include "html_charset.hpp"

namespace newswatch::extract {

namespace {

// Beyond this a page is cut: gumbo's tree costs ~10x the bytes, and no article is this long.
constexpr std::size_t max_html_bytes = 16u << 20;

}  // namespace

void html_document::output_deleter::operator()(GumboInternalOutput* output) const noexcept {
    if (output) gumbo_destroy_output(&kGumboDefaultOptions, output);
}

html_document html_document::parse(std::string_view bytes, std::string_view content_type) {
    html_document doc;
    doc.utf8_ = std::make_unique<std::string>(html_to_utf8(bytes.substr(0, max_html_bytes), content_type));
    GumboOptions options = kGumboDefaultOptions;
    options.max_errors = 0;  // parse errors are not collected: we never report them
    doc.output_.reset(gumbo_parse_with_options(&options, doc.utf8_->data(), doc.utf8_->size()));
    return doc;
}

html_document::html_document(html_document&&) noexcept = default;
html_document& html_document::operator=(html_document&&) noexcept = default;
html_document::~html_document() = default;

const GumboInternalNode* html_document::root() const noexcept {
    return output_->root;
}

}  // namespace newswatch::extract
