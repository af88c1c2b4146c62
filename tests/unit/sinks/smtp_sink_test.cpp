// The smtp channel against a real SMTP server (python3-aiosmtpd) on 127.0.0.1
// with STARTTLS and AUTH required (issue 11): a well-formed multipart message
// arrives, hostile titles inject neither headers nor markup, and SMTP 4xx/5xx
// map to retry/permanent.
#include "newswatch/sinks/smtp_sink.hpp"

#include <gtest/gtest.h>

#include <openssl/evp.h>

#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>

#include "smtp_test_server.hpp"
#include "test_paths.hpp"

namespace {

namespace asio = boost::asio;
using namespace newswatch::sinks;
using newswatch::http::http_client;
using newswatch::testing::smtp_test_server;
using newswatch::testing::temp_dir;

#define REQUIRE_AIOSMTPD() \
    if (!smtp_test_server::available()) GTEST_SKIP() << "python3-aiosmtpd is not installed: skipping"

std::string alert_payload(const std::string& title) {
    boost::json::object root{
        {"type", "alert"},
        {"id", "5e1f00aa"},
        {"watch", "Rust releases"},
        {"feed", boost::json::object{{"url", "https://blog.example/feed"}, {"title", "Example blog"}}},
        {"item", boost::json::object{{"title", title},
                                     {"link", "https://blog.example/post"},
                                     {"summary", "The summary of the post."}}},
        {"stance", boost::json::object{{"claim", "C"}, {"label", "supports"}, {"confidence", 0.9}}},
        {"detected_at", "2026-12-06T10:00:00Z"}};
    return boost::json::serialize(root);
}

std::string base64_decode(std::string text) {
    std::string clean;
    for (char c : text)
        if (c != '\r' && c != '\n') clean += c;
    std::string out(clean.size() / 4 * 3 + 3, '\0');
    const int n =
        EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                        reinterpret_cast<const unsigned char*>(clean.data()), static_cast<int>(clean.size()));
    out.resize(n < 0 ? 0 : static_cast<std::size_t>(n));
    while (!out.empty() && out.back() == '\0') out.pop_back();  // base64 padding
    return out;
}

// The decoded body of the part with `content_type`.
std::string part(const std::string& message, const std::string& content_type) {
    const auto at = message.find("Content-Type: " + content_type);
    if (at == std::string::npos) return {};
    const auto body = message.find("\r\n\r\n", at) + 4;
    const auto end = message.find("\r\n--", body);
    return base64_decode(message.substr(body, end - body));
}

struct fixture {
    temp_dir dir;
    smtp_test_server server{dir.path(), "sender", "s3cret"};
    asio::io_context io;
    http_client client{io.get_executor(), {}};

    smtp_sink::settings settings(std::vector<std::string> to = {"desk@example.org"}) {
        smtp_sink::settings s;
        s.url = "smtp://127.0.0.1:" + std::to_string(server.port());
        s.starttls = smtp_sink::starttls_mode::always;
        s.username = "sender";
        s.password = "s3cret";
        s.from = "newswatch@example.org";
        s.to = std::move(to);
        s.ca_file = server.ca_file().string();
        return s;
    }

    delivery_result send(alert_sink& sink, const std::string& body, std::string_view id = "5e1f00aa") {
        std::optional<delivery_result> out;
        sink.send(delivery_message{.event = "alert", .id = id, .payload = body},
                  [&](delivery_result r) { out = std::move(r); });
        io.restart();
        while (!out && io.run_one() > 0) {
        }
        EXPECT_TRUE(out);
        return out.value_or(delivery_result::permanent("no result"));
    }
};

TEST(smtp_sink, delivers_a_multipart_message_over_starttls_with_auth) {
    REQUIRE_AIOSMTPD();
    fixture f;
    smtp_sink sink("mail", &f.client, f.settings({"desk@example.org", "oncall@example.org"}));
    const auto r = f.send(sink, alert_payload("Rust 2.0 released"));
    ASSERT_EQ(r.status, delivery_status::delivered) << r.detail;
    const auto mails = f.server.messages();
    ASSERT_EQ(mails.size(), 1u);
    const auto envelope = boost::json::parse(mails[0].envelope).as_object();
    EXPECT_TRUE(envelope.at("tls").as_bool());
    EXPECT_TRUE(envelope.at("authenticated").as_bool());
    EXPECT_EQ(envelope.at("rcpt_tos").as_array().size(), 2u);
    const std::string& m = mails[0].content;
    EXPECT_NE(m.find("Subject: [newswatch] Rust releases: Rust 2.0 released\r\n"), std::string::npos) << m;
    EXPECT_NE(m.find("Message-ID: <5e1f00aa@newswatch>\r\n"), std::string::npos);
    EXPECT_NE(m.find("Content-Type: multipart/alternative;"), std::string::npos);
    EXPECT_NE(m.find("\r\nDate: "), std::string::npos);
    const std::string text = part(m, "text/plain");
    EXPECT_NE(text.find("Rust 2.0 released"), std::string::npos) << text;
    EXPECT_NE(text.find("The summary of the post."), std::string::npos);
    EXPECT_NE(text.find("https://blog.example/post"), std::string::npos);
    EXPECT_NE(text.find("Stance: supports (90 %): C"), std::string::npos);
    EXPECT_NE(text.find("Example blog"), std::string::npos);
    const std::string html = part(m, "text/html");
    EXPECT_NE(html.find("<a href=\"https://blog.example/post\">Rust 2.0 released</a>"), std::string::npos)
        << html;
}

TEST(smtp_sink, starttls_auto_upgrades_when_offered) {
    REQUIRE_AIOSMTPD();
    fixture f;
    auto s = f.settings();
    s.starttls = smtp_sink::starttls_mode::auto_;
    smtp_sink sink("mail", &f.client, s);
    ASSERT_EQ(f.send(sink, alert_payload("t")).status, delivery_status::delivered);
    ASSERT_EQ(f.server.messages().size(), 1u);
    EXPECT_TRUE(boost::json::parse(f.server.messages()[0].envelope).at("tls").as_bool());
}

TEST(smtp_sink, hostile_title_injects_no_header_markup_or_escape) {
    REQUIRE_AIOSMTPD();
    fixture f;
    smtp_sink sink("mail", &f.client, f.settings());
    const std::string hostile =
        "Hi\r\nBcc: "
        "victim@example.com\r\n\r\n<script>x</script>\x1b]0;pwned\x07\u00e9";
    ASSERT_EQ(f.send(sink, alert_payload(hostile)).status, delivery_status::delivered);
    const auto mails = f.server.messages();
    ASSERT_EQ(mails.size(), 1u);
    const std::string& m = mails[0].content;
    const std::string headers = m.substr(0, m.find("\r\n\r\n"));
    EXPECT_EQ(headers.find("\nBcc:"), std::string::npos) << headers;
    EXPECT_EQ(boost::json::parse(mails[0].envelope).at("rcpt_tos").as_array().size(), 1u);
    EXPECT_NE(headers.find("Subject: =?UTF-8?B?"),
              std::string::npos);  // non-ASCII: encoded
    const std::string html = part(m, "text/html");
    EXPECT_EQ(html.find("<script>"), std::string::npos);
    EXPECT_NE(html.find("&lt;script&gt;"), std::string::npos);
    for (const auto& body : {html, part(m, "text/plain")}) {
        EXPECT_EQ(body.find('\x1b'), std::string::npos);
        EXPECT_EQ(body.find('\x07'), std::string::npos);
    }
}

TEST(smtp_sink, temporary_refusal_retries_and_permanent_refusal_is_dead) {
    REQUIRE_AIOSMTPD();
    fixture f;
    smtp_sink temp("mail", &f.client, f.settings({"temp-fail@example.org"}));
    auto r = f.send(temp, alert_payload("t"));
    EXPECT_EQ(r.status, delivery_status::retry) << r.detail;
    EXPECT_NE(r.detail.find("451"), std::string::npos) << r.detail;
    smtp_sink perm("mail", &f.client, f.settings({"perm-fail@example.org"}));
    r = f.send(perm, alert_payload("t"));
    EXPECT_EQ(r.status, delivery_status::permanent) << r.detail;
    EXPECT_NE(r.detail.find("550"), std::string::npos) << r.detail;
    EXPECT_TRUE(f.server.messages().empty());
}

TEST(smtp_sink, refused_login_is_permanent_and_the_password_is_never_shown) {
    REQUIRE_AIOSMTPD();
    fixture f;
    auto s = f.settings();
    s.password = "wrong-password";
    smtp_sink sink("mail", &f.client, s);
    const auto r = f.send(sink, alert_payload("t"));
    EXPECT_EQ(r.status, delivery_status::permanent) << r.detail;
    EXPECT_EQ(r.detail.find("wrong-password"), std::string::npos);
}

TEST(smtp_sink, unreachable_server_retries) {
    REQUIRE_AIOSMTPD();
    fixture f;
    auto s = f.settings();
    s.url = "smtp://127.0.0.1:1";
    smtp_sink sink("mail", &f.client, s);
    EXPECT_EQ(f.send(sink, alert_payload("t")).status, delivery_status::retry);
}

}  // namespace
