// Issue #15 item 1 end to end: full-article fetching in the real newswatchd against loopback
// feed and article pages, observed through the file sink, the test server's request counts
// and the state database.
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <thread>

#include "daemon_fixture.hpp"
#include "http_test_server.hpp"
#include "metrics_scrape.hpp"

namespace newswatch::testing {
namespace {

using namespace std::chrono_literals;

const auto now = std::chrono::system_clock::now();

// A news page whose main text (in <article>) says `sentence`, among a menu and a footer.
std::string article_page(const std::string& headline, const std::string& sentence) {
    std::string paragraphs;
    for (int i = 0; i < 4; ++i)
        paragraphs +=
            "<p>Officials spoke to reporters in Brussels on Tuesday about the talks, which went on late "
            "into the night, and about the statements that followed from several capitals.</p>\n";
    return "<!DOCTYPE html><html lang=\"en\"><head><title>" + headline +
           "</title></head><body>\n<nav><a href=\"/\">Home</a> <a href=\"/world\">World</a></nav>\n"
           "<article><h1>" +
           headline + "</h1>\n<p>" + sentence + "</p>\n" + paragraphs +
           "</article>\n<footer><a href=\"/about\">About us</a></footer></body></html>\n";
}

void serve_page(http_test_server& server, const std::string& path, const std::string& html) {
    server.on(path, [html](const http_request&) {
        return http_test_server::make_response(200, html, "text/html; charset=utf-8");
    });
}

// One file sink (out.jsonl); `feeds` and `watches` are TOML [[feed]] / [[watch]] tables.
std::string config(const std::string& feeds, const std::string& watches,
                   const std::string& daemon_extra = "") {
    return "[daemon]\nstate_dir = \"state\"\nmetrics = \"\"\ndedup_window = \"0s\"\n" + daemon_extra + "\n" +
           feeds + watches + "[[sink]]\nname = \"out\"\ntype = \"file\"\npath = \"out.jsonl\"\n";
}

std::string feed_table(const std::string& url, bool fetch_article, const std::string& extra = "") {
    return "[[feed]]\nurl = \"" + url + "\"\n" + (fetch_article ? "fetch_article = true\n" : "") + extra +
           "\n";
}

const std::string map_watch =
    "[[watch]]\nname = \"map\"\nquery = '\"membership action plan\" OR Brussels'\n"
    "sinks = [\"out\"]\n";

// item id -> its alert (the alerts of one watch).
std::map<std::string, boost::json::object> alerts_by_item(const std::filesystem::path& file,
                                                          const std::string& watch) {
    std::map<std::string, boost::json::object> out;
    for (auto& a : read_json_lines(file))
        if (a.at("watch").as_string() == watch) out[std::string(a.at("item").at("id").as_string())] = a;
    return out;
}

std::string article_of(const boost::json::object& alert) {
    const auto& item = alert.at("item").as_object();
    return item.contains("article") ? std::string(item.at("article").as_string()) : std::string("(absent)");
}

bool has_article_hit(const boost::json::object& alert) {
    for (const auto& h : alert.at("hits").as_array())
        if (h.at("field").as_string() == "article") return true;
    return false;
}

TEST(article_fetch, an_item_whose_summary_does_not_match_alerts_on_its_linked_article) {
    temp_dir dir;
    http_test_server server;
    serve_page(server, "/story/map.html",
               article_page("Allies meet", "Ministers discussed a membership action plan for Kyiv."));
    server.serve_feed(
        "/feed.xml",
        rss_document("Wire", {{"a-1", "Allies meet in a European capital", server.url("/story/map.html"),
                               "Foreign ministers gathered on Tuesday.", now - 10min}}));
    const std::string watch =
        "[[watch]]\nname = \"map\"\nquery = '\"membership action plan\"'\nsinks = [\"out\"]\n";
    write_file(dir.path() / "c.toml", config(feed_table(server.url("/feed.xml"), true), watch));
    const auto r = run_daemon("--config " + quote(dir.path() / "c.toml") + " --once --log-level debug");
    ASSERT_EQ(r.exit_code, 0) << r.err;

    const auto alerts = alerts_by_item(dir.path() / "out.jsonl", "map");
    ASSERT_EQ(alerts.size(), 1u) << r.err;
    const auto& alert = alerts.begin()->second;
    EXPECT_EQ(article_of(alert), "used");
    EXPECT_TRUE(has_article_hit(alert)) << boost::json::serialize(alert);
    EXPECT_EQ(server.hits("/story/map.html"), 1);

    // Without fetch_article the same feed text does not match, and nothing is fetched.
    temp_dir plain;
    write_file(plain.path() / "c.toml", config(feed_table(server.url("/feed.xml"), false), watch));
    const auto p = run_daemon("--config " + quote(plain.path() / "c.toml") + " --once");
    ASSERT_EQ(p.exit_code, 0) << p.err;
    EXPECT_TRUE(read_json_lines(plain.path() / "out.jsonl").empty());
    EXPECT_EQ(server.hits("/story/map.html"), 1);
}

TEST(article_fetch, a_page_that_fails_leaves_the_item_matched_on_its_feed_text_with_the_reason) {
    temp_dir dir;
    http_test_server server;
    server.on("/missing.html",
              [](const http_request&) { return http_test_server::make_response(404, "gone"); });
    server.on("/slow.html", [](const http_request&) {
        std::this_thread::sleep_for(4s);  // past article_timeout (1 s)
        return http_test_server::make_response(200, article_page("Late", "Too late."), "text/html");
    });
    serve_page(server, "/huge.html", article_page("Huge", "Big page. " + std::string(300 * 1024, 'x')));
    serve_page(server, "/fine.html", article_page("Fine", "Nothing about the plan here."));
    const std::string summary = "NATO ministers met in Brussels.";
    server.serve_feed(
        "/feed.xml",
        rss_document("Wire", {{"missing", "One", server.url("/missing.html"), summary, now - 10min},
                              {"slow", "Two", server.url("/slow.html"), summary, now - 9min},
                              {"huge", "Three", server.url("/huge.html"), summary, now - 8min},
                              {"fine", "Four", server.url("/fine.html"), summary, now - 7min}}));
    server.serve_feed(
        "/plain.xml",
        rss_document("Plain", {{"plain", "Five", server.url("/fine.html"), summary, now - 6min}}));
    write_file(dir.path() / "c.toml",
               config(feed_table(server.url("/feed.xml"), true) + feed_table(server.url("/plain.xml"), false),
                      map_watch, "article_timeout = \"1s\"\nmax_body_size = \"128KiB\"\n"));
    const auto r = run_daemon("--config " + quote(dir.path() / "c.toml") + " --once --log-level debug");
    ASSERT_EQ(r.exit_code, 0) << r.err;

    const auto alerts = alerts_by_item(dir.path() / "out.jsonl", "map");
    ASSERT_EQ(alerts.size(), 5u) << r.err;
    EXPECT_EQ(article_of(alerts.at("missing")), "unavailable: HTTP 404");
    EXPECT_EQ(article_of(alerts.at("slow")), "unavailable: timeout");
    EXPECT_EQ(article_of(alerts.at("huge")), "unavailable: body too large");
    EXPECT_EQ(article_of(alerts.at("fine")), "used");
    EXPECT_EQ(article_of(alerts.at("plain")), "(absent)");  // its feed fetches no articles
    for (const auto& [id, alert] : alerts)
        EXPECT_EQ(std::string(alert.at("hits").at(0).at("field").as_string()), "summary") << id;
}

TEST(article_fetch, a_watch_fetches_only_for_items_that_pass_its_prefilter) {
    temp_dir dir;
    http_test_server server;
    for (const char* page : {"/a.html", "/b.html", "/c.html", "/d.html"})
        serve_page(server, page, article_page("Page", "Ukraine asked NATO for a membership action plan."));
    server.serve_feed(
        "/feed.xml",
        rss_document(
            "Wire",
            {{"a", "NATO summit opens", server.url("/a.html"), "Ukraine is on the agenda.", now - 9min},
             {"b", "Football results", server.url("/b.html"), "Scores from the weekend.", now - 8min},
             {"c", "Kyiv prepares", server.url("/c.html"), "Officials made plans.", now - 7min},
             {"d", "Markets", server.url("/d.html"), "Shares rose in Asia.", now - 6min}}));
    // `topic` uses its own query over title and summary; `capital` a prefilter of its own.
    const std::string watches =
        "[[watch]]\nname = \"topic\"\nquery = 'NATO AND Ukraine'\nfetch_article = true\nsinks = [\"out\"]\n"
        "[[watch]]\nname = \"capital\"\nquery = '\"membership action plan\"'\nfetch_article = true\n"
        "prefilter = 'Kyiv'\nsinks = [\"out\"]\n";
    write_file(dir.path() / "c.toml", config(feed_table(server.url("/feed.xml"), false), watches));
    const auto r = run_daemon("--config " + quote(dir.path() / "c.toml") + " --once --log-level debug");
    ASSERT_EQ(r.exit_code, 0) << r.err;

    EXPECT_EQ(server.hits("/a.html"), 1);  // passes topic's prefilter
    EXPECT_EQ(server.hits("/b.html"), 0);
    EXPECT_EQ(server.hits("/c.html"), 1);  // passes capital's prefilter
    EXPECT_EQ(server.hits("/d.html"), 0);
    const auto capital = alerts_by_item(dir.path() / "out.jsonl", "capital");
    ASSERT_EQ(capital.size(), 2u) << r.err;  // a and c: the article says it
    EXPECT_EQ(article_of(capital.at("c")), "used");
    EXPECT_TRUE(has_article_hit(capital.at("c")));
    const auto topic = alerts_by_item(dir.path() / "out.jsonl", "topic");
    EXPECT_EQ(topic.size(), 2u);  // a (title + summary), c (its article names both)
}

TEST(article_fetch, a_cached_article_is_not_fetched_again_and_retention_prunes_it) {
    temp_dir dir;
    http_test_server server;
    serve_page(server, "/story.html", article_page("Story", "A membership action plan was discussed."));
    const std::string feed = feed_table(server.url("/feed.xml"), true);
    write_file(dir.path() / "c.toml", config(feed, map_watch, "article_retention = \"3s\"\n"));
    const auto run = [&] {
        const auto r = run_daemon("--config " + quote(dir.path() / "c.toml") + " --once --log-level debug");
        EXPECT_EQ(r.exit_code, 0) << r.err;
    };
    server.serve_feed("/feed.xml",
                      rss_document("Wire", {{"one", "First", server.url("/story.html"), "x", now - 9min}}),
                      "application/rss+xml", "\"v1\"", "Mon, 01 Jan 2024 00:00:00 GMT");
    run();
    EXPECT_EQ(server.hits("/story.html"), 1);
    EXPECT_EQ(count_rows(dir.path() / "state" / "state.db", "article_cache"), 1);

    // A second item linking the same page: read from the cache.
    server.serve_feed("/feed.xml",
                      rss_document("Wire", {{"one", "First", server.url("/story.html"), "x", now - 9min},
                                            {"two", "Second", server.url("/story.html"), "y", now - 8min}}),
                      "application/rss+xml", "\"v2\"", "Mon, 02 Jan 2024 00:00:00 GMT");
    run();
    EXPECT_EQ(server.hits("/story.html"), 1);
    auto alerts = alerts_by_item(dir.path() / "out.jsonl", "map");
    ASSERT_EQ(alerts.size(), 2u);
    EXPECT_EQ(article_of(alerts.at("two")), "used");

    // Past article_retention the cache is pruned (at the end of a run) and the page is read
    // again for a new item.
    std::this_thread::sleep_for(4500ms);  // stored times are whole seconds
    run();
    EXPECT_EQ(count_rows(dir.path() / "state" / "state.db", "article_cache"), 0);
    server.serve_feed("/feed.xml",
                      rss_document("Wire", {{"three", "Third", server.url("/story.html"), "z", now - 7min}}),
                      "application/rss+xml", "\"v3\"", "Mon, 03 Jan 2024 00:00:00 GMT");
    run();
    EXPECT_EQ(server.hits("/story.html"), 2);
    alerts = alerts_by_item(dir.path() / "out.jsonl", "map");
    ASSERT_EQ(alerts.size(), 3u);
    EXPECT_EQ(article_of(alerts.at("three")), "used");
}

std::string text_of(const boost::json::object& line, const char* key) {
    return line.contains(key) && line.at(key).is_string() ? std::string(line.at(key).as_string()) : "";
}

// The JSON log lines of `text` whose event is `event`.
std::vector<boost::json::object> events(const std::string& text, const std::string& event) {
    std::vector<boost::json::object> out;
    std::size_t start = 0;
    while (start < text.size()) {
        const auto end = std::min(text.find('\n', start), text.size());
        boost::system::error_code ec;
        auto v = boost::json::parse(std::string_view(text).substr(start, end - start), ec);
        if (!ec && v.is_object() && text_of(v.as_object(), "event") == event) out.push_back(v.as_object());
        start = end + 1;
    }
    return out;
}

// The "article" line of the page `url` (the first).
std::optional<boost::json::object> article_line(const std::string& log, const std::string& url) {
    for (auto& line : events(log, "article"))
        if (text_of(line, "url") == url) return line;
    return std::nullopt;
}

// A page with no article in it: a menu and a script (a page a browser would render).
const std::string empty_page =
    "<!DOCTYPE html><html><head><title>Story</title></head><body><nav><a href=\"/\">Home</a> "
    "<a href=\"/world\">World</a></nav><script>render();</script></body></html>\n";

// Issue #15 item 1, as an operator sees it: an article page is its own log event (not a
// feed fetch, and an unavailable one is no warning) and is counted on /metrics.
TEST(article_fetch, article_pages_are_logged_as_article_events_and_counted_in_the_metrics) {
    temp_dir dir;
    http_test_server server;
    serve_page(server, "/ok.html",
               article_page("Allies meet", "Ministers discussed a membership action plan."));
    server.on("/missing.html",
              [](const http_request&) { return http_test_server::make_response(404, "gone"); });
    serve_page(server, "/empty.html", empty_page);
    server.serve_feed(
        "/feed.xml",
        rss_document("Wire", {{"ok", "One", server.url("/ok.html"), "Brussels.", now - 10min},
                              {"missing", "Two", server.url("/missing.html"), "Brussels.", now - 9min},
                              {"empty", "Three", server.url("/empty.html"), "Brussels.", now - 8min}}),
        "application/rss+xml", "\"v1\"", "");
    write_file(dir.path() / "c.toml",
               "[daemon]\nstate_dir = \"state\"\nmetrics = \"127.0.0.1:0\"\ndedup_window = \"0s\"\n"
               "interval = \"1s\"\nmin_interval = \"1s\"\njitter = 0.0\n" +
                   feed_table(server.url("/feed.xml"), true) + map_watch +
                   "[[sink]]\nname = \"out\"\ntype = \"file\"\npath = \"out.jsonl\"\n");
    running_daemon daemon(dir.path() / "c.toml", dir.path() / "daemon.log",
                          {"--log-level", "debug", "--log-format", "json"});
    auto log = [&] { return log_of(dir.path() / "daemon.log"); };
    ASSERT_TRUE(eventually([&] { return alerts_by_item(dir.path() / "out.jsonl", "map").size() == 3; }, 60s))
        << log();
    const std::string first = log();

    // One info line per page, event "article", with the feed, the page, status, bytes, time.
    const auto ok = article_line(first, server.url("/ok.html"));
    ASSERT_TRUE(ok) << first;
    EXPECT_EQ(text_of(*ok, "level"), "info");
    EXPECT_EQ(text_of(*ok, "logger"), "pipeline");
    EXPECT_EQ(text_of(*ok, "feed"), server.url("/feed.xml"));
    EXPECT_EQ(text_of(*ok, "outcome"), "used");
    EXPECT_EQ(text_of(*ok, "cache"), "miss");
    EXPECT_EQ(ok->at("status").to_number<int>(), 200);
    EXPECT_GT(ok->at("bytes").to_number<int>(), 500);
    EXPECT_GT(ok->at("text_bytes").to_number<int>(), 100);
    EXPECT_GE(ok->at("duration_ms").to_number<int>(), 0);
    const auto missing = article_line(first, server.url("/missing.html"));
    ASSERT_TRUE(missing) << first;
    EXPECT_EQ(text_of(*missing, "level"), "info");
    EXPECT_EQ(text_of(*missing, "outcome"), "unavailable");
    EXPECT_EQ(missing->at("status").to_number<int>(), 404);
    EXPECT_EQ(text_of(*missing, "reason"), "HTTP 404");
    EXPECT_EQ(text_of(*missing, "reason_class"), "http_4xx");
    const auto empty = article_line(first, server.url("/empty.html"));
    ASSERT_TRUE(empty) << first;
    EXPECT_EQ(text_of(*empty, "reason_class"), "no_text");
    // No page is a feed fetch, and nothing here is a warning.
    EXPECT_FALSE(events(first, "fetch").empty());
    for (const auto& line : events(first, "fetch")) EXPECT_NE(text_of(line, "level"), "warn") << first;
    for (const auto& line : events(first, "article")) EXPECT_NE(text_of(line, "level"), "warn") << first;

    // A new item linking the read page: from the cache, a debug line.
    server.serve_feed(
        "/feed.xml",
        rss_document("Wire", {{"again", "Four", server.url("/ok.html"), "Brussels.", now - 5min}}),
        "application/rss+xml", "\"v2\"", "");
    ASSERT_TRUE(eventually([&] { return alerts_by_item(dir.path() / "out.jsonl", "map").size() == 4; }, 60s))
        << log();
    EXPECT_EQ(server.hits("/ok.html"), 1);
    bool hit_logged = false;
    for (const auto& line : events(log(), "article"))
        hit_logged |= text_of(line, "cache") == "hit" && text_of(line, "level") == "debug";
    EXPECT_TRUE(hit_logged) << log();

    const auto [host, port] = bound_address(log());
    ASSERT_FALSE(host.empty()) << log();
    const std::string m = http_get(host, port, "/metrics").body;
    EXPECT_EQ(promtool_problems(m, dir.path() / "metrics.txt"), "") << m;
    EXPECT_EQ(sample(m, "newswatch_articles_total{outcome=\"used\"}"), 1) << m;
    EXPECT_EQ(sample(m, "newswatch_articles_total{outcome=\"cache_hit\"}"), 1);
    EXPECT_EQ(sample(m, "newswatch_articles_total{outcome=\"unavailable\"}"), 2);
    EXPECT_EQ(sample(m, "newswatch_articles_unavailable_total{reason=\"http_4xx\"}"), 1);
    EXPECT_EQ(sample(m, "newswatch_articles_unavailable_total{reason=\"no_text\"}"), 1);
    EXPECT_EQ(sample(m, "newswatch_articles_unavailable_total{reason=\"timeout\"}"), 0);
    EXPECT_EQ(sample(m, "newswatch_article_extraction_seconds_count"), 2);  // ok and empty
    EXPECT_GT(sample(m, "newswatch_article_html_bytes_total"), 500);
    EXPECT_GT(sample(m, "newswatch_article_text_bytes_total"), 100);
    EXPECT_EQ(sample(m, "newswatch_article_cache_entries"), 1);
    // Article pages are not feed fetches.
    EXPECT_EQ(sample(m, "newswatch_fetch_responses_total{class=\"4xx\"}"), 0);
    EXPECT_EQ(daemon.terminate(), 0);
}

// The warning is for what an operator must act on: every page of a feed unreadable.
TEST(article_fetch, a_feed_whose_pages_never_have_an_article_is_warned_about_once) {
    temp_dir dir;
    http_test_server server;
    std::vector<rss_item> items;
    for (int i = 0; i < 12; ++i) {
        const std::string path = "/p" + std::to_string(i) + ".html";
        serve_page(server, path, empty_page);
        items.push_back({"i" + std::to_string(i), "Item", server.url(path), "Brussels.", now - 10min});
    }
    server.serve_feed("/feed.xml", rss_document("Wire", items));
    write_file(dir.path() / "c.toml", config(feed_table(server.url("/feed.xml"), true), map_watch));
    const auto r = run_daemon("--config " + quote(dir.path() / "c.toml") + " --once --log-format json");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(alerts_by_item(dir.path() / "out.jsonl", "map").size(), 12u);
    int warnings = 0, unavailable = 0;
    for (const auto& line : events(r.err, "article")) {
        if (text_of(line, "level") == "warn") {
            ++warnings;
            EXPECT_EQ(text_of(line, "outcome"), "failing");
            EXPECT_EQ(text_of(line, "reason_class"), "no_text");
            EXPECT_EQ(line.at("pages").to_number<int>(), 10);
        } else if (text_of(line, "outcome") == "unavailable") {
            EXPECT_EQ(text_of(line, "level"), "info");
            ++unavailable;
        }
    }
    EXPECT_EQ(warnings, 1) << r.err;
    EXPECT_EQ(unavailable, 12) << r.err;
}

TEST(article_fetch, match_explain_shows_the_cached_article_and_its_hits) {
    temp_dir dir;
    http_test_server server;
    serve_page(server, "/story.html", article_page("Story", "A membership action plan was discussed."));
    const std::string rss = rss_document(
        "Wire", {{"one", "Allies meet", server.url("/story.html"), "Ministers gathered.", now - 9min}});
    server.serve_feed("/feed.xml", rss);
    const std::string watch =
        "[[watch]]\nname = \"map\"\nquery = 'article:\"membership action plan\"'\n"
        "sinks = [\"out\"]\n";
    write_file(dir.path() / "c.toml", config(feed_table(server.url("/feed.xml"), true), watch));
    write_file(dir.path() / "feed.xml", rss);
    ASSERT_EQ(run_daemon("--config " + quote(dir.path() / "c.toml") + " --once").exit_code, 0);
    ASSERT_EQ(alerts_by_item(dir.path() / "out.jsonl", "map").size(), 1u);

    const auto r = run_tool("match --config " + quote(dir.path() / "c.toml") + " --explain " +
                            quote(dir.path() / "feed.xml"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("article   used: " + server.url("/story.html")), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("MATCH     map"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find(" in article at "), std::string::npos) << r.out;

    const auto j = run_tool("match --config " + quote(dir.path() / "c.toml") + " --explain --json " +
                            quote(dir.path() / "feed.xml"));
    ASSERT_EQ(j.exit_code, 0) << j.err;
    const auto line = boost::json::parse(j.out).as_object();
    EXPECT_EQ(std::string(line.at("item").at("article").at("url").as_string()), server.url("/story.html"));
    EXPECT_GT(line.at("item").at("article").at("length").to_number<std::uint64_t>(), 100u);
    EXPECT_EQ(std::string(line.at("matches").at(0).at("hits").at(0).at("field").as_string()), "article");
}

}  // namespace
}  // namespace newswatch::testing
