#pragma once
// What the stance model reads of a feed item: the title, then the content (else the
// summary). The daemon and `newswatch match` both use this, so they classify alike.
#include <string>
#include <string_view>

#include "newswatch/core/item.hpp"

namespace newswatch::stance {

std::string item_text(const core::item& item);

// With the main text of the item's linked page (fetch_article): the title, then the
// article; the feed's own text when `article` is empty.
std::string item_text(const core::item& item, std::string_view article);

}  // namespace newswatch::stance
