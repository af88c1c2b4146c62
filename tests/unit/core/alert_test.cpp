#include "newswatch/core/alert.hpp"

#include <gtest/gtest.h>

#include "newswatch/core/sha256.hpp"

namespace newswatch::core {
namespace {

TEST(sha256, matches_known_vector) {
    EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(alert_id, is_first_32_hex_of_sha256_of_watch_url_item) {
    EXPECT_EQ(alert_id("w", "https://x/feed", "item-1"),
              sha256_hex("w\nhttps://x/feed\nitem-1").substr(0, 32));
    EXPECT_EQ(alert_id("w", "u", "i").size(), 32u);
    EXPECT_NE(alert_id("w", "u", "i"), alert_id("w2", "u", "i"));
}

}  // namespace
}  // namespace newswatch::core
