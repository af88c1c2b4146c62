// The operator's CLI (issue #14 item 7): --help and --version everywhere, OPML import and
// export, feed discovery against a loopback web server, and `newswatch check` refusing
// what newswatchd refuses and warning about what it adjusts.
#include <gtest/gtest.h>

#include "daemon_fixture.hpp"
#include "http_test_server.hpp"

namespace newswatch::testing {
namespace {

TEST(operator_cli, every_command_answers_help_and_version) {
    for (const char* command :
         {"parse", "match", "fetch", "feeds", "discover", "check", "stance", "stance-train"}) {
        const auto help = run_tool(std::string(command) + " --help");
        EXPECT_EQ(help.exit_code, 0) << command << help.err;
        EXPECT_NE(help.out.find(std::string("usage: newswatch ") + command), std::string::npos)
            << command << help.out;
        const auto version = run_tool(std::string(command) + " --version");
        EXPECT_EQ(version.exit_code, 0) << command;
        EXPECT_EQ(version.out.rfind("newswatch ", 0), 0u) << command << version.out;
    }
    // Also after other arguments, and for the daemon.
    EXPECT_EQ(run_tool("feeds import-opml x.opml --help").exit_code, 0);
    EXPECT_EQ(run_daemon("--help").exit_code, 0);
    EXPECT_EQ(run_daemon("--version").out.rfind("newswatchd ", 0), 0u);
}

const char* const nested_opml = R"(<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>My feeds</title></head>
  <body>
    <outline text="News">
      <outline text="Europe">
        <outline type="rss" text="Kyiv &amp; Co" xmlUrl="https://kyiv.example/rss.xml" category="/war,/politics/eu"/>
      </outline>
      <outline type="rss" text="Wire" xmlUrl="https://wire.example/feed"/>
    </outline>
    <outline type="rss" text="Loose" xmlURL="http://loose.example/atom.xml"/>
    <outline type="rss" text="Again" xmlUrl="https://wire.example/feed"/>
    <outline type="rss" text="Gopher" xmlUrl="gopher://old.example/"/>
  </body>
</opml>
)";

TEST(operator_cli, import_opml_reads_nested_outlines_and_categories_as_tags_and_reports_duplicates) {
    temp_dir dir;
    write_file(dir.path() / "subs.opml", nested_opml);
    const auto r = run_tool("feeds import-opml " + quote(dir.path() / "subs.opml") + " --out " +
                            quote(dir.path() / "feeds.toml"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("subs.opml:12: duplicate feed URL (first at line 9): https://wire.example/feed"),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("subs.opml:13: not an http(s) feed, skipped: gopher://old.example/"),
              std::string::npos)
        << r.err;
    const std::string toml = read_file(dir.path() / "feeds.toml");
    EXPECT_NE(toml.find("url = \"https://kyiv.example/rss.xml\"\ntitle = \"Kyiv & Co\"\n"
                        "tags = [\"News\", \"Europe\", \"war\", \"politics/eu\"]\n"),
              std::string::npos)
        << toml;
    EXPECT_NE(toml.find("url = \"https://wire.example/feed\"\ntitle = \"Wire\"\ntags = [\"News\"]\n"),
              std::string::npos)
        << toml;
    EXPECT_NE(toml.find("url = \"http://loose.example/atom.xml\"\ntitle = \"Loose\"\n\n"), std::string::npos)
        << toml;

    // The tables are a valid config (tags is an accepted key), and export gives them back.
    write_file(dir.path() / "c.toml", "include = [\"feeds.toml\"]\n[daemon]\nstate_dir = \"state\"\n");
    const auto check = run_tool("check --config " + quote(dir.path() / "c.toml"));
    EXPECT_EQ(check.exit_code, 0) << check.err;
    EXPECT_NE(check.out.find("ok: 3 feeds"), std::string::npos) << check.out;
    const auto exported = run_tool("feeds export-opml --config " + quote(dir.path() / "c.toml") + " --out " +
                                   quote(dir.path() / "out.opml"));
    ASSERT_EQ(exported.exit_code, 0) << exported.err;
    const auto again = run_tool("feeds import-opml " + quote(dir.path() / "out.opml"));
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_TRUE(again.err.empty()) << again.err;
    EXPECT_NE(again.out.find(toml.substr(toml.find("[[feed]]"))), std::string::npos) << again.out << "\n---\n"
                                                                                     << toml;
}

TEST(operator_cli, import_opml_refuses_what_is_not_opml) {
    temp_dir dir;
    write_file(dir.path() / "rss.xml", "<rss version=\"2.0\"><channel/></rss>");
    const auto r = run_tool("feeds import-opml " + quote(dir.path() / "rss.xml"));
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("not OPML: the root element is <rss>"), std::string::npos) << r.err;
    EXPECT_EQ(run_tool("feeds import-opml " + quote(dir.path() / "missing.opml")).exit_code, 1);
}

const std::string atom_feed =
    "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Atom side</title>"
    "<id>urn:x</id><updated>2024-01-01T00:00:00Z</updated></feed>";
const std::string rss_feed =
    "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>RSS side</title></channel></rss>";

TEST(operator_cli, discover_prints_the_feeds_a_page_announces) {
    http_test_server server;
    server.on("/", [](const http_request&) {
        return http_test_server::make_response(
            200,
            "<!doctype html><html><head><title>Site</title>\n"
            "<link rel=\"stylesheet\" href=\"/s.css\">\n"
            "<LINK REL=alternate TYPE=\"application/rss+xml\" title=\"All &amp; more\" href=\"/rss.xml\">\n"
            "<link rel=\"alternate\" type=\"application/atom+xml\" href=\"https://elsewhere.example/atom\">\n"
            "<!-- <link rel=\"alternate\" type=\"application/rss+xml\" href=\"/hidden.xml\"> -->\n"
            "<link rel=\"alternate\" hreflang=\"de\" href=\"/de/\">\n"
            "</head><body></body></html>",
            "text/html; charset=utf-8");
    });
    const auto r = run_tool("discover " + server.url("/"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("[[feed]]\nurl = \"" + server.url("/rss.xml") + "\"\ntitle = \"All & more\"\n"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("[[feed]]\nurl = \"https://elsewhere.example/atom\"\n"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("hidden"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("/de/"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("# 2 feeds"), std::string::npos) << r.out;
}

TEST(operator_cli, discover_tries_common_paths_when_the_page_announces_none) {
    http_test_server server;
    server.on("/blog/", [](const http_request&) {
        return http_test_server::make_response(200, "<html><head></head><body>no links</body></html>",
                                               "text/html");
    });
    server.serve_feed("/atom.xml", atom_feed, "application/atom+xml");
    server.serve_feed("/index.xml", rss_feed);
    server.on("/feed", [](const http_request&) {
        return http_test_server::make_response(200, "<html>not a feed</html>", "text/html");
    });
    const auto r = run_tool("discover " + server.url("/blog/"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("url = \"" + server.url("/atom.xml") + "\"\ntitle = \"Atom side\"\n"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("url = \"" + server.url("/index.xml") + "\"\ntitle = \"RSS side\"\n"),
              std::string::npos)
        << r.out;
    EXPECT_EQ(r.out.find(server.url("/feed") + "\""), std::string::npos) << r.out;
    EXPECT_EQ(server.hits("/feed"), 1);  // tried, and not a feed

    // A URL that is itself a feed is printed as is.
    const auto self = run_tool("discover " + server.url("/index.xml"));
    ASSERT_EQ(self.exit_code, 0) << self.err;
    EXPECT_NE(self.out.find("# 1 feed for"), std::string::npos) << self.out;
}

TEST(operator_cli, discover_goes_through_the_ssrf_guard) {
    http_test_server server;
    server.on("/", [&](const http_request&) {
        auto response = http_test_server::make_response(302, "");
        response.set("Location", "http://127.0.0.2:" + std::to_string(server.port()) + "/secret");
        return response;
    });
    const auto r = run_tool("discover " + server.url("/"));
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("address_refused"), std::string::npos) << r.err;
    temp_dir dir;
    write_file(dir.path() / "empty.toml", "");
    const auto none =
        run_tool("discover --config " + quote(dir.path() / "empty.toml") + " " + server.url("/nothing"));
    EXPECT_EQ(none.exit_code, 1) << none.err;
}

TEST(operator_cli, check_refuses_what_the_daemon_refuses) {
    temp_dir dir;
    // A directory given as the config.
    const auto as_dir = run_tool("check --config " + quote(dir.path()));
    EXPECT_EQ(as_dir.exit_code, 2);
    EXPECT_NE(as_dir.err.find("is a directory"), std::string::npos) << as_dir.err;
    EXPECT_EQ(run_daemon("--once --config " + quote(dir.path())).exit_code, 2);
    // A claim watch without its stance model.
    write_file(dir.path() / "claim.toml",
               "[daemon]\nstate_dir = \"state\"\n[stance]\nmodel = \"/nonexistent/stance.bin\"\n"
               "[[watch]]\nname = \"c\"\nquery = 'NATO'\nclaim = \"Ukraine will join NATO\"\n");
    const auto check = run_tool("check --config " + quote(dir.path() / "claim.toml"));
    const auto daemon = run_daemon("--once --config " + quote(dir.path() / "claim.toml"));
    EXPECT_EQ(daemon.exit_code, 2) << daemon.err;
    EXPECT_EQ(check.exit_code, 2) << check.out;
    EXPECT_NE(check.err.find("/nonexistent/stance.bin"), std::string::npos) << check.err;
}

TEST(operator_cli, check_warns_about_what_the_daemon_adjusts) {
    temp_dir dir;
    write_file(dir.path() / "c.toml",
               "[daemon]\nstate_dir = \"state\"\ninterval = \"30s\"\nmin_interval = \"1m\"\n"
               "[[feed]]\nurl = \"https://a.example/feed\"\ninterval = \"10s\"\n");
    const auto r = run_tool("check --config " + quote(dir.path() / "c.toml"));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("warning: " + (dir.path() / "c.toml").string() +
                         ": [daemon] interval 30s is below min_interval 1m"),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("c.toml:5: feed https://a.example/feed interval 10s is below min_interval 1m"),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("no watches"), std::string::npos) << r.err;

    write_file(dir.path() / "w.toml",
               "[daemon]\nstate_dir = \"state\"\n[[feed]]\nurl = \"https://a.example/feed\"\n"
               "[[watch]]\nname = \"lonely\"\nquery = 'NATO'\n");
    const auto w = run_tool("check --config " + quote(dir.path() / "w.toml"));
    EXPECT_EQ(w.exit_code, 0) << w.err;
    EXPECT_NE(w.err.find("watch 'lonely' has no sinks and [daemon] default_sinks is empty"),
              std::string::npos)
        << w.err;
}

}  // namespace
}  // namespace newswatch::testing
