#pragma once
// core::item -> the matcher's view of it. The daemon's pipeline and `newswatch match` both
// build documents here, so a watch matches the same way in both.
#include <cstddef>
#include <string_view>

#include "newswatch/core/item.hpp"
#include "newswatch/matcher/watch_set.hpp"

namespace newswatch::matcher {

// The document's views point into `item` and `feed_title`: both must outlive it.
// Authors are their names (else e-mail, else URI); missing fields are empty.
document make_document(const core::item& item, std::string_view feed_title);

struct text_cut {
    std::size_t before = 0;  // bytes of text in the document before the cut
    std::size_t after = 0;   // and after (== before when nothing was cut)
    bool cut() const noexcept { return after < before; }
};

// Cuts the document's text ([daemon] max_item_text) to at most `max_bytes` bytes in all,
// filling the budget in field order: title, summary, content, article, authors, categories,
// feed title, link. Each field is cut at a UTF-8 character boundary. Pure: the caller reports a
// cut (the pipeline logs it, naming the feed and item).
text_cut limit_text(document& doc, std::size_t max_bytes);

}  // namespace newswatch::matcher
