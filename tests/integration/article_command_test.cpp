// newswatch article (issue 15): a page served on loopback and a file, as text and as JSON.
#include <gtest/gtest.h>

#include "daemon_fixture.hpp"
#include "http_test_server.hpp"

namespace newswatch::testing {
namespace {

const std::string page =
    "<!DOCTYPE html><html lang=\"uk\"><head><meta charset=\"windows-1251\"><title>\xCD\xC0\xD2\xCE | "
    "Site</title>"
    "<link rel=\"canonical\" href=\"/news/nato\">"
    "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"headline\":\"Allies meet in "
    "Brussels\","
    "\"author\":{\"name\":\"Jane Roe\"},\"datePublished\":\"2026-03-01T10:30:00Z\"}</script></head>"
    "<body><nav><a href=\"/\">Home</a><a href=\"/a\">World</a></nav><div class=\"article-body\">"
    "<p>Foreign ministers of the alliance met in Brussels on Tuesday, and agreed on a new package of air "
    "defence systems, ammunition and training.</p><p>Officials welcomed the move, but said deliveries had "
    "to arrive before winter, when attacks on the grid usually intensify.\x1B[31m</p><p>The secretary "
    "general "
    "said the decision, reached after two days of talks, showed that allies remained united, although "
    "several "
    "governments asked for more time to consider the costs of the package and of its delivery.</p><p>Kyiv "
    "said it expected the first systems within weeks, and thanked the allies for their support.</p></div>"
    "<div class=\"comments\"><p>Great, thanks, really, absolutely, indeed, yes.</p></div></body></html>";

TEST(article_command, extracts_a_loopback_page_and_a_file_as_json) {
    http_test_server server;
    server.serve_feed("/news/1", page, "text/html; charset=windows-1251");
    temp_dir dir;
    write_file(dir.path() / "page.html", page);
    const auto r =
        run_tool("article --json " + server.url("/news/1") + " " + quote(dir.path() / "page.html"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::istringstream lines(r.out);
    std::string line;
    std::vector<boost::json::object> objects;
    while (std::getline(lines, line)) objects.push_back(boost::json::parse(line).as_object());
    ASSERT_EQ(objects.size(), 2u) << r.out;
    EXPECT_EQ(objects[0].at("url").as_string(), server.url("/news/1"));
    EXPECT_EQ(objects[1].at("file").as_string(), (dir.path() / "page.html").string());
    for (const auto& o : objects) {
        for (const char* key : {"title", "byline", "published", "lang", "text"})
            EXPECT_TRUE(o.contains(key)) << key;
        EXPECT_EQ(o.at("title").as_string(), "Allies meet in Brussels");
        EXPECT_EQ(o.at("byline").as_string(), "Jane Roe");
        EXPECT_EQ(o.at("published").as_string(), "2026-03-01T10:30:00Z");
        EXPECT_EQ(o.at("lang").as_string(), "uk");
        const std::string text(o.at("text").as_string());
        EXPECT_EQ(text.rfind("Foreign ministers of the alliance", 0), 0u) << text;
        EXPECT_NE(text.find("usually intensify."), std::string::npos) << text;
        EXPECT_EQ(text.find("Home"), std::string::npos) << text;
        EXPECT_EQ(text.find("Great, thanks"), std::string::npos) << text;
        EXPECT_EQ(text.find('\x1B'), std::string::npos) << "escape sequences never reach the output";
    }
}

TEST(article_command, prints_title_byline_date_and_text_and_fails_on_a_missing_input) {
    http_test_server server;
    server.serve_feed("/news/1", page, "text/html; charset=windows-1251");
    const auto r = run_tool("article " + server.url("/news/1"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("title: Allies meet in Brussels\n"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("byline: Jane Roe\n"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("date: 2026-03-01T10:30:00Z\n"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("\n\nForeign ministers"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find('\x1B'), std::string::npos);

    const auto missing = run_tool("article --json /nonexistent/page.html " + server.url("/absent"));
    EXPECT_EQ(missing.exit_code, 1);
    EXPECT_NE(missing.out.find("\"error\""), std::string::npos) << missing.out;
    EXPECT_NE(missing.err.find("/nonexistent/page.html"), std::string::npos) << missing.err;

    const auto bad_selector = run_tool("article --content-selector 'div > p' " + server.url("/news/1"));
    EXPECT_EQ(bad_selector.exit_code, 2);
    EXPECT_NE(bad_selector.err.find("column 5"), std::string::npos) << bad_selector.err;
}

}  // namespace
}  // namespace newswatch::testing
