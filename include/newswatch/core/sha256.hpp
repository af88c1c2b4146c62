#pragma once
// SHA-256 (OpenSSL's libcrypto underneath; a hand-written digest is not worth the risk).
#include <string>
#include <string_view>

namespace newswatch::core {

// Lowercase hex digest of `data` (64 characters).
std::string sha256_hex(std::string_view data);

}  // namespace newswatch::core

namespace newswatch::core {

// Lowercase hex HMAC-SHA256 of `data` under `key` (64 characters): webhook signatures.
std::string hmac_sha256_hex(std::string_view key, std::string_view data);

}  // namespace newswatch::core
