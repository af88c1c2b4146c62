// newswatch feeds list / reset against the state a real newswatchd --once run left.
#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "daemon_fixture.hpp"
#include "http_test_server.hpp"

namespace newswatch::testing {
namespace {

namespace http = boost::beast::http;

TEST(feeds_command, lists_retired_moved_and_failing_feeds_and_reset_brings_a_retired_feed_back) {
    temp_dir dir;
    http_test_server server;
    const auto now = std::chrono::system_clock::now();
    server.serve_feed("/new.xml", rss_document("Moved", {{"m", "NATO and Ukraine", "https://n/m", "x", now}}));
    server.on("/old.xml", [&](const http_request&) {
        auto r = http_test_server::make_response(301, "");
        r.set(http::field::location, server.url("/new.xml"));
        return r;
    });
    server.on("/gone.xml", [](const http_request&) { return http_test_server::make_response(410, "gone"); });
    server.on("/broken.xml", [](const http_request&) { return http_test_server::make_response(503, "busy"); });
    server.on("/moved-to-broken.xml", [&](const http_request&) {
        auto r = http_test_server::make_response(301, "");
        r.set(http::field::location, server.url("/broken.xml"));
        return r;
    });
    write_file(dir.path() / "c.toml",
               "[daemon]\nstate_dir = \"state\"\ndefault_sinks = [\"out\"]\n"
               "[[feed]]\nurl = \"" + server.url("/old.xml") + "\"\n"
               "[[feed]]\nurl = \"" + server.url("/gone.xml") + "\"\n"
               "[[feed]]\nurl = \"" + server.url("/broken.xml") + "\"\n"
               "[[feed]]\nurl = \"" + server.url("/moved-to-broken.xml") + "\"\n"
               "[[feed]]\nurl = \"http://127.0.0.1:9/never.xml\"\n"
               "[[watch]]\nname = \"nu\"\nquery = 'NATO AND Ukraine'\n"
               "[[sink]]\nname = \"out\"\ntype = \"file\"\npath = \"out.jsonl\"\n");
    const std::string config = "--config " + quote(dir.path() / "c.toml");
    ASSERT_EQ(run_daemon(config + " --once").exit_code, 0);

    // The moved feed alerted, carrying both URLs.
    bool saw_alert = false;
    for (const auto& o : read_json_lines(dir.path() / "out.jsonl")) {
        if (o.at("type").as_string() != "alert") continue;
        saw_alert = true;
        EXPECT_EQ(o.at("feed").at("url").as_string(), server.url("/old.xml"));
        EXPECT_EQ(o.at("feed").at("effective_url").as_string(), server.url("/new.xml"));
    }
    EXPECT_TRUE(saw_alert);

    auto list = run_tool("feeds list --json " + config);
    ASSERT_EQ(list.exit_code, 0) << list.err;
    std::map<std::string, boost::json::object> by_url;
    std::istringstream lines(list.out);
    for (std::string line; std::getline(lines, line);) {
        auto o = boost::json::parse(line).as_object();
        by_url[std::string(o.at("url").as_string())] = o;
    }
    ASSERT_EQ(by_url.size(), 5u);
    // A move to a target that fails is not believed: the feed keeps its configured URL.
    EXPECT_EQ(by_url[server.url("/moved-to-broken.xml")].at("state").as_string(), "failing");
    EXPECT_TRUE(by_url[server.url("/moved-to-broken.xml")].at("effective_url").is_null())
        << boost::json::serialize(by_url[server.url("/moved-to-broken.xml")]);
    EXPECT_EQ(by_url[server.url("/old.xml")].at("state").as_string(), "ok");
    EXPECT_EQ(by_url[server.url("/old.xml")].at("effective_url").as_string(), server.url("/new.xml"));
    EXPECT_EQ(by_url[server.url("/gone.xml")].at("state").as_string(), "retired");
    EXPECT_EQ(by_url[server.url("/broken.xml")].at("state").as_string(), "failing");
    EXPECT_EQ(by_url[server.url("/broken.xml")].at("last_status").to_number<int>(), 503);
    EXPECT_EQ(by_url["http://127.0.0.1:9/never.xml"].at("state").as_string(), "failing");

    // The later request goes to the effective URL; the retired feed is not asked again.
    ASSERT_EQ(run_daemon(config + " --once").exit_code, 0);
    EXPECT_EQ(server.hits("/old.xml"), 1);
    EXPECT_EQ(server.hits("/new.xml"), 2);
    EXPECT_EQ(server.hits("/gone.xml"), 1);

    auto human = run_tool("feeds list " + config);
    EXPECT_EQ(human.exit_code, 0);
    EXPECT_NE(human.out.find("retired"), std::string::npos) << human.out;

    auto reset = run_tool("feeds reset " + config + " " + server.url("/gone.xml"));
    ASSERT_EQ(reset.exit_code, 0) << reset.err;
    ASSERT_EQ(run_daemon(config + " --once").exit_code, 0);
    EXPECT_EQ(server.hits("/gone.xml"), 2);

    EXPECT_EQ(run_tool("feeds reset " + config + " http://not-configured/").exit_code, 1);
    EXPECT_EQ(run_tool("feeds frobnicate " + config).exit_code, 2);
}

}  // namespace
}  // namespace newswatch::testing
