#include "newswatch/core/alert.hpp"

#include "newswatch/core/sha256.hpp"

namespace newswatch::core {

std::string alert_id(std::string_view watch, std::string_view feed_url, std::string_view item_id) {
    std::string key;
    key.reserve(watch.size() + feed_url.size() + item_id.size() + 2);
    key.append(watch).append("\n").append(feed_url).append("\n").append(item_id);
    return sha256_hex(key).substr(0, 32);
}

}  // namespace newswatch::core
