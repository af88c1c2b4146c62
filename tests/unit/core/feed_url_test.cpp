#include "newswatch/core/feed_url.hpp"

#include <gtest/gtest.h>

namespace newswatch::core {
namespace {

TEST(feed_url, credentials_are_hidden_and_everything_else_kept) {
    EXPECT_EQ(redact_credentials("http://user:pass@host/feed.xml?a=1"), "http://***@host/feed.xml?a=1");
    EXPECT_EQ(redact_credentials("https://user@host:8443/x"), "https://***@host:8443/x");
    EXPECT_EQ(redact_credentials("http://u:p@ss@host"),
              "http://***@host");                                         // an unencoded '@' in the password
    EXPECT_EQ(redact_credentials("http://host/a@b"), "http://host/a@b");  // '@' in the path is not user info
    EXPECT_EQ(redact_credentials("https://example.org/feed"), "https://example.org/feed");
}

TEST(feed_url, a_password_is_told_apart_from_a_user_alone) {
    EXPECT_TRUE(has_password("http://user:pass@host/"));
    EXPECT_FALSE(has_password("http://user@host/"));
    EXPECT_FALSE(has_password("http://host/path:with@colon"));
}

TEST(feed_url, urls_that_cannot_be_fetched_are_named) {
    EXPECT_EQ(feed_url_problem("https://example.org/feed.xml"), std::nullopt);
    EXPECT_EQ(feed_url_problem("http://127.0.0.1:8080/f"), std::nullopt);
    EXPECT_EQ(feed_url_problem("http://[::1]:8080/f"), std::nullopt);
    EXPECT_EQ(feed_url_problem("http://u:p@host/"), std::nullopt);
    for (const char* bad :
         {"http://", "https:///feed", "http://user:pass@/x", "http://:80/", "http://host:/x",
          "http://host:99999/", "http://host:8o/", "ftp://host/", "http://[::1/",
          "http://host/a\r\nX-Injected: 1", "http://host/\n", "http://ho st/"}) {
        EXPECT_NE(feed_url_problem(bad), std::nullopt) << bad;
    }
}

}  // namespace
}  // namespace newswatch::core
