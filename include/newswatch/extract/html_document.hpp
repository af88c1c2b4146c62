#pragma once
// An HTML5 document parsed by libgumbo (the WHATWG tree construction algorithm), in UTF-8.
#include <memory>
#include <string>
#include <string_view>

struct GumboInternalNode;
struct GumboInternalOutput;

namespace newswatch::extract {

class html_document {
public:
    // Decodes `bytes` to UTF-8 (BOM, then the Content-Type charset, then <meta charset>;
    // WHATWG label mapping; undeclared non-UTF-8 bytes as windows-1252) and parses them.
    // Never fails: any byte sequence yields a tree (possibly just html/head/body).
    static html_document parse(std::string_view bytes, std::string_view content_type = {});

    html_document(html_document&&) noexcept;
    html_document& operator=(html_document&&) noexcept;
    ~html_document();

    // The <html> element (always present).
    const GumboInternalNode* root() const noexcept;
    // Bytes of UTF-8 HTML the tree was built from.
    std::size_t size() const noexcept { return utf8_ ? utf8_->size() : 0; }

private:
    html_document() = default;
    struct output_deleter {
        void operator()(GumboInternalOutput* output) const noexcept;
    };
    // gumbo's tree points into this buffer: on the heap so a move (and a short string's
    // in-object storage) never moves it; declared first so it outlives the tree.
    std::unique_ptr<std::string> utf8_;
    std::unique_ptr<GumboInternalOutput, output_deleter> output_;
};

}  // namespace newswatch::extract
