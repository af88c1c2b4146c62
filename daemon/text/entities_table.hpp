#pragma once
// The HTML5 named character reference table (generated; see scripts/gen_entities.py).
#include <cstddef>
#include <string_view>

namespace newswatch::text::detail {

struct entity_entry {
    std::string_view name;   // with the trailing ';' when the reference requires it
    std::string_view value;  // UTF-8
};

extern const entity_entry entity_table[];
extern const std::size_t entity_table_size;

}  // namespace newswatch::text::detail
