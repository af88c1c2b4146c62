#include "newswatch/http/proxy_choice.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "scoped_env.hpp"

namespace {

using namespace newswatch::http;

using scoped_variable = newswatch::testing::scoped_env;

TEST(proxy_choice, no_proxy_matches_names_suffixes_addresses_and_blocks) {
    EXPECT_TRUE(no_proxy_matches("example.org", "example.org"));
    EXPECT_TRUE(no_proxy_matches("feeds.example.org", ".example.org"));
    EXPECT_TRUE(no_proxy_matches("FEEDS.Example.org.", "example.org"));
    EXPECT_FALSE(no_proxy_matches("badexample.org", "example.org"));
    EXPECT_TRUE(no_proxy_matches("anything", " a.b , * "));
    EXPECT_TRUE(no_proxy_matches("10.1.2.3", "10.0.0.0/8"));
    EXPECT_TRUE(no_proxy_matches("[::1]", "::1"));
    EXPECT_TRUE(no_proxy_matches("[::1]", "[::1]"));
    EXPECT_FALSE(no_proxy_matches("11.1.2.3", "10.0.0.0/8,localhost"));
    EXPECT_FALSE(no_proxy_matches("127.0.0.1", "localhost"));
    EXPECT_FALSE(no_proxy_matches("example.org", ""));
}

TEST(proxy_choice, configured_proxy_then_environment_then_direct) {
    scoped_variable http_proxy("http_proxy", "http://env-proxy:3128");
    scoped_variable https_proxy("https_proxy", std::nullopt);
    scoped_variable https_proxy_upper("HTTPS_PROXY", std::nullopt);
    scoped_variable all_proxy("all_proxy", std::nullopt);
    scoped_variable all_proxy_upper("ALL_PROXY", std::nullopt);
    scoped_variable no_proxy("no_proxy", "internal.example,10.0.0.0/8");
    scoped_variable no_proxy_upper("NO_PROXY", std::nullopt);

    EXPECT_EQ(choose_proxy("http", "feeds.example", "", true), "http://env-proxy:3128");
    EXPECT_EQ(choose_proxy("http", "feeds.example", "http://mine:8080", true), "http://mine:8080");
    EXPECT_EQ(choose_proxy("http", "feeds.example", "", false), "");
    EXPECT_EQ(choose_proxy("https", "feeds.example", "", true), "");  // http_proxy is for http only
    EXPECT_EQ(choose_proxy("http", "a.internal.example", "", true), "");
    EXPECT_EQ(choose_proxy("http", "10.2.3.4", "http://mine:8080", true), "");  // no_proxy exempts
    {
        scoped_variable all("ALL_PROXY", "socks5h://all:1080");
        EXPECT_EQ(choose_proxy("https", "feeds.example", "", true), "socks5h://all:1080");
    }
    {
        scoped_variable upper("HTTP_PROXY", "http://cgi-clash:1");  // curl ignores HTTP_PROXY
        scoped_variable lower("http_proxy", std::nullopt);
        EXPECT_EQ(choose_proxy("http", "feeds.example", "", true), "");
    }
}

}  // namespace
