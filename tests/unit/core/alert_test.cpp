#include "newswatch/core/alert.hpp"

#include <gtest/gtest.h>
#include <string>

#include "newswatch/core/sha256.hpp"

namespace newswatch::core {
namespace {

TEST(sha256, matches_known_vector) {
    EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

// The seen-items keys of the state store: stable across builds, so never changed.
TEST(sha256, prefix64_is_the_first_8_bytes_of_the_digest_big_endian) {
    EXPECT_EQ(sha256_prefix64("abc"), 0xba7816bf8f01cfeaULL);
    EXPECT_EQ(sha256_prefix64(""), 0xe3b0c44298fc1c14ULL);
    for (const std::string& text :
         {std::string("https://x/feed"), std::string("item-1"), std::string(1000, 'x')})
        EXPECT_EQ(sha256_prefix64(text), std::stoull(sha256_hex(text).substr(0, 16), nullptr, 16)) << text;
}

TEST(alert_id, is_first_32_hex_of_sha256_of_watch_url_item) {
    EXPECT_EQ(alert_id("w", "https://x/feed", "item-1"),
              sha256_hex("w\nhttps://x/feed\nitem-1").substr(0, 32));
    EXPECT_EQ(alert_id("w", "u", "i").size(), 32u);
    EXPECT_NE(alert_id("w", "u", "i"), alert_id("w2", "u", "i"));
}

}  // namespace
}  // namespace newswatch::core
