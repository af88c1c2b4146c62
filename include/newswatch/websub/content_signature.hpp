#pragma once
// Authenticated content distribution (W3C WebSub §8): the hub signs each body with the
// subscription's secret, `X-Hub-Signature: method=signature` where method is sha1, sha256,
// sha384 or sha512 and signature the lowercase hex HMAC of the body.
#include <string>
#include <string_view>

namespace newswatch::websub {

// True when `header` is a well-formed signature of `body` under `secret` (compared in
// constant time). An unknown method, bad hex or a missing header is false.
bool signature_valid(std::string_view header, std::string_view secret, std::string_view body);

// "sha256=<hex>" for `body` under `secret` (the test hub and the benchmark sign with it).
std::string sign(std::string_view method, std::string_view secret, std::string_view body);

}  // namespace newswatch::websub
