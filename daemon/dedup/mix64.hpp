#pragma once
// splitmix64's finaliser: a fixed, well-mixing 64-bit permutation. Stored MinHash signatures
// depend on it: it must not change.
#include <cstdint>

namespace newswatch::dedup {

constexpr std::uint64_t mix64(std::uint64_t x) noexcept {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

}  // namespace newswatch::dedup
