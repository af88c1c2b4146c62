// X-Hub-Signature (W3C WebSub §8) against the HMAC test vectors of RFC 2202 and RFC 4231.
#include "newswatch/websub/content_signature.hpp"

#include <gtest/gtest.h>

namespace newswatch::websub {
namespace {

const std::string key = "Jefe", data = "what do ya want for nothing?";

TEST(content_signature, known_vectors_for_every_method) {
    EXPECT_EQ(sign("sha1", key, data), "sha1=effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
    EXPECT_EQ(sign("sha256", key, data),
              "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    EXPECT_EQ(
        sign("sha384", key, data),
        "sha384="
        "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649");
    EXPECT_EQ(
        sign("sha512", key, data),
        "sha512="
        "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fd"
        "caeab1a34d4a6b4b636e070a38bce737");
    for (const char* method : {"sha1", "sha256", "sha384", "sha512"})
        EXPECT_TRUE(signature_valid(sign(method, key, data), key, data)) << method;
}

TEST(content_signature, anything_else_is_invalid) {
    const std::string good = sign("sha256", key, data);
    EXPECT_FALSE(signature_valid("", key, data));
    EXPECT_FALSE(signature_valid(good, "other secret", data));
    EXPECT_FALSE(signature_valid(good, key, data + " "));
    EXPECT_FALSE(signature_valid("md5=" + good.substr(7), key, data));
    EXPECT_FALSE(signature_valid(good.substr(0, good.size() - 2), key, data));
    EXPECT_FALSE(signature_valid(good.substr(7), key, data));  // no method
    std::string upper = good;
    for (std::size_t i = 7; i < upper.size(); ++i) upper[i] = static_cast<char>(std::toupper(upper[i]));
    EXPECT_TRUE(signature_valid(upper, key, data));  // hex in either case
}

}  // namespace
}  // namespace newswatch::websub
