#pragma once
// core::item -> the matcher's view of it. The daemon's pipeline and `newswatch match` both
// build documents here, so a watch matches the same way in both.
#include <string_view>

#include "newswatch/core/item.hpp"
#include "newswatch/matcher/watch_set.hpp"

namespace newswatch::matcher {

// The document's views point into `item` and `feed_title`: both must outlive it.
// Authors are their names (else e-mail, else URI); missing fields are empty.
document make_document(const core::item& item, std::string_view feed_title);

}  // namespace newswatch::matcher
