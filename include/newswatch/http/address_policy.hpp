#pragma once
// The SSRF guard's knowledge of addresses: which ranges are not the public internet, how
// hosts are written numerically, and the operator's allow list. Pure functions, no I/O.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/ip/address.hpp>

#include "newswatch/core/result.hpp"

namespace newswatch::http {

enum class address_class {
    global,           // the public internet
    loopback,         // 127.0.0.0/8, ::1
    private_network,  // RFC 1918, fc00::/7 (ULA), fec0::/10
    link_local,       // 169.254.0.0/16, fe80::/10
    cgnat,            // 100.64.0.0/10 (shared address space)
    cloud_metadata,   // 169.254.169.254, fd00:ec2::254, 100.100.100.200, 192.0.0.192
    unspecified,      // 0.0.0.0/8, :: (Linux connects 0.0.0.0 to the local host)
    multicast,        // 224.0.0.0/4, ff00::/8, broadcast
    reserved,         // documentation, benchmarking, 240/4, IETF, Teredo, anything not 2000::/3
};

std::string_view to_string(address_class c) noexcept;

// Classifies an address. IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d),
// NAT64 (64:ff9b::/96) and 6to4 (2002::/16) addresses are classified by the IPv4
// address they carry.
address_class classify_address(const boost::asio::ip::address& address) noexcept;

// Parses a host as written in a URL or a config: dotted quad and every numeric form
// inet_aton accepts ("2130706433", "0x7f.1", "017700000001", "127.1"), and IPv6 with or
// without brackets. nullopt for host names.
std::optional<boost::asio::ip::address> parse_address_literal(std::string_view host) noexcept;

// Host names that mean the local host without asking DNS: "localhost" and "*.localhost"
// (RFC 6761), and the aliases Debian's /etc/hosts gives the loopback addresses
// ("localhost.localdomain", "ip6-localhost", "ip6-loopback"). Case-insensitive, one trailing
// dot ignored. Through a proxy the proxy resolves names, so these are judged by name.
bool is_loopback_name(std::string_view host) noexcept;

// True for global addresses only.
inline bool is_public(address_class c) noexcept {
    return c == address_class::global;
}

// The operator's `allow_private_addresses`: single addresses or CIDR blocks.
class address_allowlist {
public:
    address_allowlist() = default;
    // Parses "10.0.0.5", "10.1.0.0/16", "fd00::/8". An entry that does not parse is an
    // error naming it (config checks this at startup).
    static core::result<address_allowlist> parse(const std::vector<std::string>& entries);
    // IPv4-mapped IPv6 addresses match IPv4 entries.
    bool contains(const boost::asio::ip::address& address) const noexcept;
    bool empty() const noexcept { return blocks_.empty(); }

private:
    struct block {
        std::array<unsigned char, 16> bytes{};
        bool v4 = false;
        int prefix = 0;
    };
    std::vector<block> blocks_;
};

}  // namespace newswatch::http
