// Issue #10 item 3 end to end: newswatchd --once against a real HTTP server on 127.0.0.1
// with an item far larger than [daemon] max_item_text. The item is matched on its first
// max_item_text bytes, the daemon logs a warning naming the feed and the item, and the
// alert carries at most 20 hits with hits_total counting all of them.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "daemon_fixture.hpp"
#include "http_test_server.hpp"

namespace newswatch::testing {
namespace {

using namespace std::chrono_literals;

// Words of `text` equal to "NATO" or "Ukraine" (the text is single-spaced).
std::size_t nato_or_ukraine(std::string_view text) {
    std::size_t n = 0;
    while (!text.empty()) {
        const auto space = text.find(' ');
        const auto word = text.substr(0, space);
        if (word == "NATO" || word == "Ukraine") ++n;
        if (space == std::string_view::npos) break;
        text.remove_prefix(space + 1);
    }
    return n;
}

TEST(hostile_item_issue10, an_item_over_max_item_text_is_cut_logged_and_alerts_with_twenty_hits) {
    temp_dir dir;
    http_test_server server;
    const auto now = std::chrono::system_clock::now();
    const std::string title = "NATO and Ukraine";
    std::string body;
    while (body.size() < 300 * 1024) body += "NATO Ukraine ";
    body += "end";
    server.serve_feed(
        "/feed.xml",
        rss_document("World News", {{"big-1", title, "https://news.example/big-1", body, now - 10min},
                                    {"small-1", "NATO meets Ukraine", "https://news.example/small-1",
                                     "Allies met in Brussels.", now - 20min}}));
    write_file(dir.path() / "newswatch.toml",
               "[daemon]\n"
               "state_dir = \"state\"\n"
               "max_item_text = \"64KiB\"\n"
               "\n[[feed]]\nurl = \"" +
                   server.url("/feed.xml") +
                   "\"\n"
                   "\n[[watch]]\n"
                   "name = \"nato-ukraine\"\n"
                   "query = 'NATO AND Ukraine'\n"
                   "sinks = [\"alerts\"]\n"
                   "\n[[sink]]\n"
                   "name = \"alerts\"\n"
                   "type = \"file\"\n"
                   "path = \"alerts.jsonl\"\n");

    const auto r =
        run_daemon("--config " + quote(dir.path() / "newswatch.toml") + " --once --log-level debug");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // The size counts every field the matcher reads: title, description, feed title, link.
    EXPECT_NE(r.err.find("item text cut to max_item_text before matching event=\"item_cut\" feed=\"" +
                         server.url("/feed.xml") + "\" item=\"big-1\" bytes=" +
                         std::to_string(title.size() + body.size() + std::string("World News").size() +
                                        std::string("https://news.example/big-1").size()) +
                         " max_item_text=65536"),
              std::string::npos)
        << r.err;
    EXPECT_EQ(r.err.find("item=\"small-1\""), std::string::npos) << r.err;

    const auto lines = read_json_lines(dir.path() / "alerts.jsonl");
    ASSERT_EQ(lines.size(), 2u) << r.err;
    for (const auto& a : lines) {
        const auto& hits = a.at("hits").as_array();
        const auto total = a.at("hits_total").to_number<std::size_t>();
        if (a.at("item").at("id").as_string() == "small-1") {
            EXPECT_EQ(hits.size(), 2u);
            EXPECT_EQ(total, 2u);
            continue;
        }
        // Title (2 hits) and the first 64 KiB - 16 bytes of the description were matched.
        const std::size_t expected =
            2 + nato_or_ukraine(std::string_view(body).substr(0, 65536 - title.size()));
        EXPECT_EQ(total, expected);
        EXPECT_LT(total, 2 + nato_or_ukraine(body));
        ASSERT_EQ(hits.size(), 20u);
        EXPECT_EQ(hits[0].at("field").as_string(), "title");
        EXPECT_EQ(hits[19].at("field").as_string(), "summary");
    }
}

}  // namespace
}  // namespace newswatch::testing
