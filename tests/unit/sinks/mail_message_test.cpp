// The e-mail the smtp sink sends (issue 11): multipart/alternative, stable Message-ID,
// RFC 2047 headers, and no header injection through feed text.
#include "newswatch/sinks/mail_message.hpp"

#include <gtest/gtest.h>

#include "newswatch/core/time.hpp"

namespace {

using namespace newswatch::sinks;

mail_message sample(std::string subject) {
    mail_message m;
    m.from = "newswatch@example.org";
    m.to = {"a@example.org", "b@example.org"};
    m.subject = std::move(subject);
    m.id = "4f2a9c";
    m.date = *newswatch::core::parse_rfc3339("2026-12-06T10:14:13Z");
    m.text = "plain\n";
    m.html = "<p>html</p>\n";
    return m;
}

// The header block: everything before the first empty line.
std::string headers_of(const std::string& message) {
    return message.substr(0, message.find("\r\n\r\n") + 2);
}

TEST(mail_message, is_multipart_alternative_with_stable_headers) {
    const std::string m = render_mail(sample("[newswatch] plain subject"));
    const std::string h = headers_of(m);
    EXPECT_NE(h.find("Subject: [newswatch] plain subject\r\n"), std::string::npos);
    EXPECT_NE(h.find("Message-ID: <4f2a9c@newswatch>\r\n"), std::string::npos);
    EXPECT_NE(h.find("Date: Sun, 06 Dec 2026 10:14:13 +0000\r\n"), std::string::npos);
    EXPECT_NE(h.find("Content-Type: multipart/alternative; boundary="), std::string::npos);
    EXPECT_NE(m.find("Content-Type: text/plain; charset=utf-8"), std::string::npos);
    EXPECT_NE(m.find("Content-Type: text/html; charset=utf-8"), std::string::npos);
    EXPECT_EQ(render_mail(sample("[newswatch] plain subject")), m);  // same id, same message
}

TEST(mail_message, encodes_non_ascii_subjects) {
    const std::string h = headers_of(render_mail(sample("Überschrift: Ära € ✓")));
    EXPECT_NE(h.find("Subject: =?UTF-8?B?"), std::string::npos);
    for (char c : h) EXPECT_LT(static_cast<unsigned char>(c), 0x80);
}

TEST(mail_message, feed_text_cannot_create_a_header) {
    const std::string h = headers_of(render_mail(sample("hi\r\nBcc: victim@example.com\nX-Evil: 1\x1b[2J")));
    EXPECT_EQ(h.find("\r\nBcc:"), std::string::npos);
    EXPECT_EQ(h.find("\nX-Evil"), std::string::npos);
    EXPECT_EQ(h.find('\x1b'), std::string::npos);
    // Every line of the header block is a header or a folded continuation.
    std::size_t pos = 0;
    while (pos < h.size()) {
        const auto end = h.find("\r\n", pos);
        const std::string line = h.substr(pos, end - pos);
        EXPECT_TRUE(line.starts_with(" ") || line.find(": ") != std::string::npos) << line;
        for (char c : line) EXPECT_FALSE(c == '\r' || c == '\n');
        pos = end + 2;
    }
}

TEST(mail_message, message_id_survives_odd_ids) {
    EXPECT_EQ(message_id_for("abc-123"), "<abc-123@newswatch>");
    EXPECT_EQ(message_id_for("a>b\r\n"), "<ab@newswatch>");
    EXPECT_EQ(message_id_for("<>").size(), std::string("<@newswatch>").size() + 32);
}

TEST(mail_message, plain_addresses_only) {
    EXPECT_TRUE(is_plain_address("alerts@example.org"));
    EXPECT_FALSE(is_plain_address("a@b\r\nRCPT TO:<x@y>"));
    EXPECT_FALSE(is_plain_address("Name <a@b.c>"));
    EXPECT_FALSE(is_plain_address("nobody"));
}

}  // namespace
