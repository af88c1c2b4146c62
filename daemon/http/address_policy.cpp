#include "newswatch/http/address_policy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <charconv>
#include <cstring>

#include "newswatch/core/errc.hpp"

namespace newswatch::http {

namespace asio = boost::asio;

std::string_view to_string(address_class c) noexcept {
    switch (c) {
        case address_class::global:
            return "global";
        case address_class::loopback:
            return "loopback";
        case address_class::private_network:
            return "private";
        case address_class::link_local:
            return "link-local";
        case address_class::cgnat:
            return "cgnat";
        case address_class::cloud_metadata:
            return "cloud-metadata";
        case address_class::unspecified:
            return "unspecified";
        case address_class::multicast:
            return "multicast";
        case address_class::reserved:
            return "reserved";
    }
    return "reserved";
}

namespace {

bool in_v4(std::uint32_t a, std::uint32_t net, int prefix) noexcept {
    const std::uint32_t mask = prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix);
    return (a & mask) == (net & mask);
}

constexpr std::uint32_t v4(unsigned a, unsigned b, unsigned c, unsigned d) {
    return (a << 24) | (b << 16) | (c << 8) | d;
}

address_class classify_v4(std::uint32_t a) noexcept {
    if (a == v4(169, 254, 169, 254) || a == v4(100, 100, 100, 200) || a == v4(192, 0, 0, 192))
        return address_class::cloud_metadata;
    if (in_v4(a, v4(0, 0, 0, 0), 8)) return address_class::unspecified;
    if (in_v4(a, v4(127, 0, 0, 0), 8)) return address_class::loopback;
    if (in_v4(a, v4(10, 0, 0, 0), 8) || in_v4(a, v4(172, 16, 0, 0), 12) || in_v4(a, v4(192, 168, 0, 0), 16))
        return address_class::private_network;
    if (in_v4(a, v4(169, 254, 0, 0), 16)) return address_class::link_local;
    if (in_v4(a, v4(100, 64, 0, 0), 10)) return address_class::cgnat;
    if (in_v4(a, v4(224, 0, 0, 0), 4) || a == v4(255, 255, 255, 255)) return address_class::multicast;
    if (in_v4(a, v4(192, 0, 0, 0), 24) || in_v4(a, v4(192, 0, 2, 0), 24) || in_v4(a, v4(198, 18, 0, 0), 15) ||
        in_v4(a, v4(198, 51, 100, 0), 24) || in_v4(a, v4(203, 0, 113, 0), 24) ||
        in_v4(a, v4(240, 0, 0, 0), 4) || in_v4(a, v4(192, 88, 99, 0), 24))
        return address_class::reserved;
    return address_class::global;
}

std::uint32_t v4_at(const asio::ip::address_v6::bytes_type& b, std::size_t offset) noexcept {
    return (std::uint32_t{b[offset]} << 24) | (std::uint32_t{b[offset + 1]} << 16) |
           (std::uint32_t{b[offset + 2]} << 8) | std::uint32_t{b[offset + 3]};
}

address_class classify_v6(const asio::ip::address_v6& address) noexcept {
    const auto b = address.to_bytes();
    bool zero_prefix_96 = true;
    for (int i = 0; i < 10; ++i) zero_prefix_96 = zero_prefix_96 && b[i] == 0;
    if (zero_prefix_96 && b[10] == 0xff && b[11] == 0xff) return classify_v4(v4_at(b, 12));  // mapped
    if (zero_prefix_96 && b[10] == 0 && b[11] == 0) {
        const std::uint32_t low = v4_at(b, 12);
        if (low == 0) return address_class::unspecified;  // ::
        if (low == 1) return address_class::loopback;     // ::1
        return classify_v4(low);                          // IPv4-compatible (deprecated)
    }
    // NAT64 well-known prefix 64:ff9b::/96 and the local-use 64:ff9b:1::/48.
    if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b) {
        bool wkp = true;
        for (int i = 4; i < 12; ++i) wkp = wkp && b[i] == 0;
        if (wkp) return classify_v4(v4_at(b, 12));
        return address_class::reserved;
    }
    if (b[0] == 0x20 && b[1] == 0x02) {  // 6to4 carries an IPv4 address in bytes 2..5
        const auto c = classify_v4(v4_at(b, 2));
        return c == address_class::global ? address_class::global : c;
    }
    if (b[0] == 0xfd && b[1] == 0x00 && b[2] == 0x0e && b[3] == 0xc2) {
        bool rest_zero = true;
        for (int i = 4; i < 14; ++i) rest_zero = rest_zero && b[i] == 0;
        if (rest_zero && b[14] == 0x02 && b[15] == 0x54)
            return address_class::cloud_metadata;  // fd00:ec2::254
    }
    if (b[0] == 0xff) return address_class::multicast;
    if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return address_class::link_local;
    if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) return address_class::private_network;  // site-local
    if ((b[0] & 0xfe) == 0xfc) return address_class::private_network;                  // ULA
    if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) return address_class::reserved;
    if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && b[3] == 0x00)
        return address_class::reserved;  // Teredo
    if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && (b[3] & 0xf0) == 0x10)
        return address_class::reserved;                       // ORCHID
    if ((b[0] & 0xe0) == 0x20) return address_class::global;  // 2000::/3
    return address_class::reserved;
}

}  // namespace

address_class classify_address(const asio::ip::address& address) noexcept {
    if (address.is_v4()) return classify_v4(address.to_v4().to_uint());
    return classify_v6(address.to_v6());
}

std::optional<asio::ip::address> parse_address_literal(std::string_view host) noexcept {
    if (host.empty() || host.size() > 64) return std::nullopt;
    if (host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    char buffer[72];
    std::memcpy(buffer, host.data(), host.size());
    buffer[host.size()] = '\0';
    if (host.find(':') != std::string_view::npos) {
        // Drop a zone id ("fe80::1%eth0"): the address class does not depend on it.
        if (char* zone = std::strchr(buffer, '%')) *zone = '\0';
        in6_addr a6{};
        if (inet_pton(AF_INET6, buffer, &a6) != 1) return std::nullopt;
        asio::ip::address_v6::bytes_type bytes;
        std::memcpy(bytes.data(), &a6, 16);
        return asio::ip::address{asio::ip::address_v6{bytes}};
    }
    // inet_aton accepts what resolvers accept: 1 to 4 parts, decimal, octal or hex.
    // A trailing dot is also accepted by resolvers ("127.0.0.1.").
    if (buffer[host.size() - 1] == '.') buffer[host.size() - 1] = '\0';
    in_addr a4{};
    if (inet_aton(buffer, &a4) == 0) return std::nullopt;
    return asio::ip::address{asio::ip::address_v4{ntohl(a4.s_addr)}};
}

bool is_loopback_name(std::string_view host) noexcept {
    if (!host.empty() && host.back() == '.') host.remove_suffix(1);
    const auto equals = [](std::string_view a, std::string_view b) {
        return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
                   return (x >= 'A' && x <= 'Z' ? x - 'A' + 'a' : x) == y;
               });
    };
    constexpr std::string_view suffix = ".localhost";
    if (host.size() > suffix.size() && equals(host.substr(host.size() - suffix.size()), suffix)) return true;
    for (std::string_view name : {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})
        if (equals(host, name)) return true;
    return false;
}

core::result<address_allowlist> address_allowlist::parse(const std::vector<std::string>& entries) {
    address_allowlist list;
    for (const auto& entry : entries) {
        std::string_view text = entry;
        int prefix = -1;
        if (auto slash = text.find('/'); slash != std::string_view::npos) {
            auto digits = text.substr(slash + 1);
            int value = 0;
            auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
            if (ec != std::errc{} || end != digits.data() + digits.size() || digits.empty())
                return core::error{core::errc::invalid_argument,
                                   "allow_private_addresses: bad prefix length in '" + entry + "'"};
            prefix = value;
            text = text.substr(0, slash);
        }
        boost::system::error_code ec;
        auto address = asio::ip::make_address(std::string(text), ec);
        if (ec)
            return core::error{core::errc::invalid_argument,
                               "allow_private_addresses: '" + entry + "' is not an IP address or CIDR block"};
        block b;
        b.v4 = address.is_v4();
        if (b.v4) {
            auto bytes = address.to_v4().to_bytes();
            std::copy(bytes.begin(), bytes.end(), b.bytes.begin());
        } else {
            b.bytes = address.to_v6().to_bytes();
        }
        const int max = b.v4 ? 32 : 128;
        if (prefix < 0) prefix = max;
        if (prefix > max)
            return core::error{core::errc::invalid_argument,
                               "allow_private_addresses: prefix too long in '" + entry + "'"};
        b.prefix = prefix;
        list.blocks_.push_back(b);
    }
    return list;
}

bool address_allowlist::contains(const asio::ip::address& address) const noexcept {
    std::array<unsigned char, 16> bytes{};
    bool v4 = address.is_v4();
    if (v4) {
        auto b = address.to_v4().to_bytes();
        std::copy(b.begin(), b.end(), bytes.begin());
    } else {
        const auto v6 = address.to_v6();
        if (v6.is_v4_mapped()) {
            auto b = asio::ip::make_address_v4(asio::ip::v4_mapped, v6).to_bytes();
            std::copy(b.begin(), b.end(), bytes.begin());
            v4 = true;
        } else {
            bytes = v6.to_bytes();
        }
    }
    for (const auto& blk : blocks_) {
        if (blk.v4 != v4) continue;
        int bits = blk.prefix;
        bool match = true;
        for (std::size_t i = 0; bits > 0 && match; ++i, bits -= 8) {
            const unsigned char mask = bits >= 8 ? 0xff : static_cast<unsigned char>(0xff << (8 - bits));
            match = (bytes[i] & mask) == (blk.bytes[i] & mask);
        }
        if (match) return true;
    }
    return false;
}

}  // namespace newswatch::http
