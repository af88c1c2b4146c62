#include "newswatch/websub/content_signature.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace newswatch::websub {

namespace {

const EVP_MD* digest_of(std::string_view method) {
    if (method == "sha1") return EVP_sha1();
    if (method == "sha256") return EVP_sha256();
    if (method == "sha384") return EVP_sha384();
    if (method == "sha512") return EVP_sha512();
    return nullptr;
}

std::string hmac_hex(const EVP_MD* md, std::string_view secret, std::string_view body) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (HMAC(md, secret.data(), static_cast<int>(secret.size()),
             reinterpret_cast<const unsigned char*>(body.data()), body.size(), mac, &length) == nullptr)
        return {};
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(length * 2);
    for (unsigned int i = 0; i < length; ++i) {
        out += hex[mac[i] >> 4];
        out += hex[mac[i] & 15];
    }
    return out;
}

}  // namespace

bool signature_valid(std::string_view header, std::string_view secret, std::string_view body) {
    const auto eq = header.find('=');
    if (eq == std::string_view::npos) return false;
    const EVP_MD* md = digest_of(header.substr(0, eq));
    if (md == nullptr) return false;
    std::string given(header.substr(eq + 1));
    for (char& c : given)
        if (c >= 'A' && c <= 'F') c = static_cast<char>(c + 32);  // hex in either case
    const std::string expected = hmac_hex(md, secret, body);
    return !expected.empty() && given.size() == expected.size() &&
           CRYPTO_memcmp(given.data(), expected.data(), expected.size()) == 0;
}

std::string sign(std::string_view method, std::string_view secret, std::string_view body) {
    const EVP_MD* md = digest_of(method);
    if (md == nullptr) return {};
    return std::string(method) + "=" + hmac_hex(md, secret, body);
}

}  // namespace newswatch::websub
