#include "newswatch/http/address_policy.hpp"

#include <gtest/gtest.h>

namespace {

using namespace newswatch::http;
using boost::asio::ip::make_address;

address_class cls(const char* text) {
    return classify_address(make_address(text));
}

TEST(address_policy, classifies_ipv4_ranges) {
    EXPECT_EQ(cls("8.8.8.8"), address_class::global);
    EXPECT_EQ(cls("93.184.216.34"), address_class::global);
    EXPECT_EQ(cls("127.0.0.1"), address_class::loopback);
    EXPECT_EQ(cls("127.255.255.254"), address_class::loopback);
    EXPECT_EQ(cls("10.1.2.3"), address_class::private_network);
    EXPECT_EQ(cls("172.16.0.1"), address_class::private_network);
    EXPECT_EQ(cls("172.31.255.255"), address_class::private_network);
    EXPECT_EQ(cls("172.32.0.1"), address_class::global);
    EXPECT_EQ(cls("192.168.1.1"), address_class::private_network);
    EXPECT_EQ(cls("169.254.1.1"), address_class::link_local);
    EXPECT_EQ(cls("169.254.169.254"), address_class::cloud_metadata);
    EXPECT_EQ(cls("100.100.100.200"), address_class::cloud_metadata);
    EXPECT_EQ(cls("100.64.0.1"), address_class::cgnat);
    EXPECT_EQ(cls("100.127.255.255"), address_class::cgnat);
    EXPECT_EQ(cls("100.128.0.1"), address_class::global);
    EXPECT_EQ(cls("0.0.0.0"), address_class::unspecified);
    EXPECT_EQ(cls("0.1.2.3"), address_class::unspecified);
    EXPECT_EQ(cls("224.0.0.1"), address_class::multicast);
    EXPECT_EQ(cls("255.255.255.255"), address_class::multicast);
    EXPECT_EQ(cls("240.0.0.1"), address_class::reserved);
    EXPECT_EQ(cls("192.0.2.1"), address_class::reserved);
    EXPECT_EQ(cls("198.18.0.1"), address_class::reserved);
}

TEST(address_policy, classifies_ipv6_ranges_and_embedded_ipv4) {
    EXPECT_EQ(cls("2606:4700::1111"), address_class::global);
    EXPECT_EQ(cls("::1"), address_class::loopback);
    EXPECT_EQ(cls("::"), address_class::unspecified);
    EXPECT_EQ(cls("fe80::1"), address_class::link_local);
    EXPECT_EQ(cls("fc00::1"), address_class::private_network);
    EXPECT_EQ(cls("fd12:3456::1"), address_class::private_network);
    EXPECT_EQ(cls("fec0::1"), address_class::private_network);
    EXPECT_EQ(cls("fd00:ec2::254"), address_class::cloud_metadata);
    EXPECT_EQ(cls("ff02::1"), address_class::multicast);
    EXPECT_EQ(cls("2001:db8::1"), address_class::reserved);
    EXPECT_EQ(cls("::ffff:127.0.0.1"), address_class::loopback);
    EXPECT_EQ(cls("::ffff:169.254.169.254"), address_class::cloud_metadata);
    EXPECT_EQ(cls("::ffff:10.0.0.1"), address_class::private_network);
    EXPECT_EQ(cls("::ffff:8.8.8.8"), address_class::global);
    EXPECT_EQ(cls("::127.0.0.1"), address_class::loopback);      // IPv4-compatible
    EXPECT_EQ(cls("64:ff9b::7f00:1"), address_class::loopback);  // NAT64 of 127.0.0.1
    EXPECT_EQ(cls("64:ff9b::808:808"), address_class::global);
    EXPECT_EQ(cls("2002:a00:1::1"), address_class::private_network);  // 6to4 of 10.0.0.1
    EXPECT_EQ(cls("2002:808:808::1"), address_class::global);
    EXPECT_EQ(cls("2001:0:1::1"), address_class::reserved);  // Teredo
    EXPECT_EQ(cls("3fff::1"), address_class::global);
    EXPECT_EQ(cls("4000::1"), address_class::reserved);
}

TEST(address_policy, parses_numeric_host_forms_like_resolvers_do) {
    auto expect_loopback = [](const char* host) {
        auto a = parse_address_literal(host);
        ASSERT_TRUE(a) << host;
        EXPECT_EQ(classify_address(*a), address_class::loopback) << host;
        EXPECT_EQ(a->to_string(), "127.0.0.1") << host;
    };
    expect_loopback("127.0.0.1");
    expect_loopback("2130706433");
    expect_loopback("0x7f000001");
    expect_loopback("0x7f.1");
    expect_loopback("017700000001");
    expect_loopback("0177.0.0.1");
    expect_loopback("127.1");
    expect_loopback("127.0.0.1.");
    auto meta = parse_address_literal("0xa9fea9fe");
    ASSERT_TRUE(meta);
    EXPECT_EQ(classify_address(*meta), address_class::cloud_metadata);
    auto v6 = parse_address_literal("[::ffff:7f00:1]");
    ASSERT_TRUE(v6);
    EXPECT_EQ(classify_address(*v6), address_class::loopback);
    auto zoned = parse_address_literal("fe80::1%eth0");
    ASSERT_TRUE(zoned);
    EXPECT_EQ(classify_address(*zoned), address_class::link_local);
    EXPECT_FALSE(parse_address_literal("example.org"));
    EXPECT_FALSE(parse_address_literal("localhost"));
    EXPECT_FALSE(parse_address_literal(""));
    EXPECT_FALSE(parse_address_literal("1.2.3.4.5"));
}

TEST(address_policy, allowlist_matches_addresses_and_blocks) {
    auto list = address_allowlist::parse({"10.1.0.0/16", "192.168.0.7", "fd00::/8"});
    ASSERT_TRUE(list);
    EXPECT_TRUE(list->contains(make_address("10.1.200.3")));
    EXPECT_FALSE(list->contains(make_address("10.2.0.1")));
    EXPECT_TRUE(list->contains(make_address("192.168.0.7")));
    EXPECT_FALSE(list->contains(make_address("192.168.0.8")));
    EXPECT_TRUE(list->contains(make_address("::ffff:10.1.0.1")));  // mapped matches IPv4 entries
    EXPECT_TRUE(list->contains(make_address("fd12::1")));
    EXPECT_FALSE(list->contains(make_address("fc00::1")));
    EXPECT_FALSE(address_allowlist::parse({"10.0.0.0/33"}));
    EXPECT_FALSE(address_allowlist::parse({"intranet.example"}));
    EXPECT_FALSE(address_allowlist::parse({"10.0.0.0/x"}));
    auto all = address_allowlist::parse({"0.0.0.0/0"});
    ASSERT_TRUE(all);
    EXPECT_TRUE(all->contains(make_address("127.0.0.1")));
}

TEST(address_policy, loopback_names_are_recognised_by_name) {
    for (const char* name : {"localhost", "LOCALHOST", "localhost.", "feeds.localhost", "a.b.LocalHost.",
                             "localhost.localdomain", "ip6-localhost", "ip6-loopback"})
        EXPECT_TRUE(is_loopback_name(name)) << name;
    for (const char* name : {"", "localhost.example", "notlocalhost", "xlocalhost", "example.org",
                             "localhost..", ".localhostx", "127.0.0.1"})
        EXPECT_FALSE(is_loopback_name(name)) << name;
}

}  // namespace
