#include "newswatch/core/output_text.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace newswatch::core {
namespace {

struct hostile_case {
    std::string name;
    std::string input;
    std::string logged;   // log_escaped (bare)
    std::string payload;  // payload_text
};

// The hostile table of issue #10 item 6, one character class per row.
const std::vector<hostile_case>& cases() {
    static const std::vector<hostile_case> table = {
        {"cr", "a\rb", "a\\x0Db", "ab"},
        {"lf", "a\nb", "a\\x0Ab", "ab"},
        {"crlf_fake_line", "x\r\n2024-01-01 critical [daemon] FAKE LOG LINE",
         "x\\x0D\\x0A2024-01-01 critical [daemon] FAKE LOG LINE",
         "x2024-01-01 critical [daemon] FAKE LOG LINE"},
        {"esc", "a\x1b[31mred", "a\\x1B[31mred", "a[31mred"},
        {"nul", std::string("a\0b", 3), "a\\x00b", "ab"},
        {"tab", "a\tb", "a\\x09b", "ab"},
        {"del",
         "a\x7f"
         "b",
         "a\\x7Fb", "ab"},
        {"c1_nel",
         "a\xc2\x85"
         "b",
         "a\\u{0085}b", "ab"},
        {"c1_csi",
         "a\xc2\x9b"
         "31m",
         "a\\u{009B}31m", "a31m"},
        {"raw_byte_csi",
         "a\x9b"
         "31m",
         "a\\x9B31m",
         "a\xef\xbf\xbd"
         "31m"},
        {"lre",
         "a\xe2\x80\xaa"
         "b",
         "a\\u{202A}b", "ab"},
        {"rlo",
         "a\xe2\x80\xae"
         "b",
         "a\\u{202E}b", "ab"},
        {"lri",
         "a\xe2\x81\xa6"
         "b",
         "a\\u{2066}b", "ab"},
        {"pdi",
         "a\xe2\x81\xa9"
         "b",
         "a\\u{2069}b", "ab"},
        {"line_separator",
         "a\xe2\x80\xa8"
         "b",
         "a\\u{2028}b", "ab"},
        {"overlong_slash",
         "a\xc0\xaf"
         "b",
         "a\\xC0\\xAFb",
         "a\xef\xbf\xbd\xef\xbf\xbd"
         "b"},
        {"truncated_sequence", "a\xe2\x80", "a\\xE2\\x80", "a\xef\xbf\xbd\xef\xbf\xbd"},
        {"percent_encoded_stays_text", "a%0D%0Ab", "a%0D%0Ab", "a%0D%0Ab"},
    };
    return table;
}

TEST(output_text, hostile_characters_are_escaped_in_logs_and_removed_from_payloads) {
    for (const auto& c : cases()) {
        EXPECT_EQ(log_escaped(c.input), c.logged) << c.name;
        EXPECT_EQ(payload_text(c.input), c.payload) << c.name;
        EXPECT_TRUE(is_output_safe(payload_text(c.input))) << c.name;
        EXPECT_TRUE(is_output_safe(log_escaped(c.input))) << c.name;
    }
}

TEST(output_text, ordinary_text_passes_unchanged) {
    const std::string text = "NATO и Україна: 北约 — \"quoted\" \\ café 😀 \xe2\x80\x8f";
    EXPECT_TRUE(is_output_safe(text));
    EXPECT_EQ(payload_text(text), text);
    EXPECT_EQ(log_escaped(text), text);  // bare: quotes and backslashes are the container's business
}

TEST(output_text, quoted_values_cannot_end_their_quotes_or_fake_an_escape) {
    EXPECT_EQ(log_quoted("x\" id=\"forged"), "\"x\\\" id=\\\"forged\"");
    EXPECT_EQ(log_quoted("ends with \\"), "\"ends with \\\\\"");
    EXPECT_EQ(log_quoted("\\x1B is text, \x1b is not"), "\"\\\\x1B is text, \\x1B is not\"");
}

}  // namespace
}  // namespace newswatch::core
