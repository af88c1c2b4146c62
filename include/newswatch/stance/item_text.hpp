#pragma once
// What the stance model reads of a feed item: the title, then the content (else the
// summary). The daemon and `newswatch match` both use this, so they classify alike.
#include <string>

#include "newswatch/core/item.hpp"

namespace newswatch::stance {

std::string item_text(const core::item& item);

}  // namespace newswatch::stance
