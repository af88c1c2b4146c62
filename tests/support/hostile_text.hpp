#pragma once
// The hostile-title table of issue #12: text a feed controls (a title, a summary) that
// tries to ping people, inject markup or links, break a header or hide text. Every chat and
// push channel's test renders each case and checks the request its receiver recorded.
#include <string>
#include <vector>

namespace newswatch::test {

struct hostile_case {
    std::string name;     // for the test's failure message
    std::string text;     // the title (and, in the summary, the same text again)
    std::string payload;  // the part that must never reach the service in active form
};

inline std::vector<hostile_case> hostile_cases() {
    return {
        {"discord everyone", "Breaking @everyone read this", "@everyone"},
        {"discord here", "Breaking @here read this", "@here"},
        {"slack channel", "Breaking <!channel> read this", "<!channel>"},
        {"slack here", "Breaking <!here> read this", "<!here>"},
        {"slack user", "Breaking <@U123> read this", "<@U123>"},
        {"matrix room", "Breaking @room read this", "@room"},
        {"markdown link", "Read [the report](http://evil.example/x) now", "](http://evil.example/x)"},
        {"html link", "Read <a href=\"http://evil.example/x\">the report</a> now", "<a href"},
        {"slack link", "Read <http://evil.example/x|the report> now", "<http://evil.example/x|"},
        {"header break", "Title\r\nX-Injected: 1", "\r\nX-Injected"},
        {"bidi override", "Invoice \u202Efdp.exe", "\u202E"},
        {"bidi isolate", "Text \u2066hidden\u2069 here", "\u2066"},
        {"html markup", "<b>bold</b> <script>alert(1)</script>", "<script>"},
        {"markdown emphasis", "**bold** __under__ ~~strike~~ `code` ||spoiler||", "**bold**"},
    };
}

// A title of `bytes` bytes of words (issue #12: "a 100 KB title is delivered, cut to the
// limit").
inline std::string huge_title(std::size_t bytes = 100 * 1024) {
    std::string out;
    out.reserve(bytes + 16);
    for (std::size_t i = 0; out.size() < bytes; ++i) out += "word" + std::to_string(i % 1000) + " ";
    out.resize(bytes);
    return out;
}

}  // namespace newswatch::test
