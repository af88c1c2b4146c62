// `newswatch parse` end to end: the built binary on fixture files (JSON Lines in argument
// order, error objects, exit codes). Needs build/bin/newswatch; run after building it.
#include "newswatch/parser/feed_parser.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include <filesystem>
#include <sstream>

#include "test_paths.hpp"

namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

std::vector<json::object> json_lines(const std::string& out) {
    std::vector<json::object> lines;
    std::istringstream in(out);
    std::string line;
    while (std::getline(in, line)) lines.push_back(json::parse(line).as_object());
    return lines;
}

fs::path newswatch_binary() { return newswatch::testing::bin_dir() / "newswatch"; }

TEST(parse_command, json_lines_in_argument_order_with_errors_and_exit_1) {
    ASSERT_TRUE(fs::exists(newswatch_binary())) << newswatch_binary() << " not built";
    const fs::path data = newswatch::testing::source_dir() / "tests/data/parser";
    const auto r = newswatch::testing::run_command(
        newswatch_binary().string() + " parse --json " + (data / "wellformed_rss20_full.xml").string() +
        " /nonexistent/feed.xml " + (data / "not_a_feed_html_page.html").string() + " - < " +
        (data / "jsonfeed11_basic.json").string());
    EXPECT_EQ(r.exit_code, 1) << r.err;
    const auto lines = json_lines(r.out);
    ASSERT_EQ(lines.size(), 4u) << r.out;
    EXPECT_EQ(lines[0].at("format"), "rss20");
    EXPECT_EQ(lines[0].at("encoding"), "utf-8");
    EXPECT_TRUE(lines[0].at("warnings").as_array().empty());
    const auto& item = lines[0].at("items").as_array().at(0).as_object();
    for (const char* key : {"id", "title", "link", "published", "updated", "authors", "categories", "summary",
                            "summary_html", "content", "content_html", "enclosures"})
        EXPECT_TRUE(item.contains(key)) << key;
    EXPECT_EQ(item.at("published"), "2024-07-09T10:30:00Z");
    EXPECT_EQ(item.at("enclosures").as_array().at(0).as_object().at("length"), 12345);
    EXPECT_EQ(lines[1].at("file"), "/nonexistent/feed.xml");
    EXPECT_TRUE(lines[1].contains("error"));
    EXPECT_TRUE(lines[2].contains("error"));
    EXPECT_EQ(lines[3].at("file"), "-");
    EXPECT_EQ(lines[3].at("format"), "jsonfeed");
    EXPECT_NE(r.err.find("/nonexistent/feed.xml"), std::string::npos) << "one stderr line names the file";
}

TEST(parse_command, content_type_charset_and_human_summary) {
    ASSERT_TRUE(fs::exists(newswatch_binary())) << newswatch_binary() << " not built";
    const fs::path data = newswatch::testing::source_dir() / "tests/data/parser";
    const auto r = newswatch::testing::run_command(
        newswatch_binary().string() + " parse --content-type 'text/xml; charset=koi8-r' " +
        (data / "charset_koi8r_declared.xml").string());
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("rss20, koi8-r, 1 item"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Россия и НАТО"), std::string::npos) << r.out;
    const auto usage = newswatch::testing::run_command(newswatch_binary().string() + " parse");
    EXPECT_EQ(usage.exit_code, 2);
}

}  // namespace
