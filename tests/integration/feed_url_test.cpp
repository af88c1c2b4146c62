// Issue #10 item 7: feed URLs that cannot surprise. Credentials in a URL never reach a log,
// `feeds list`, `check` or an alert; the alert id keeps the configured URL; URLs without a
// host or with CR/LF are refused by `check` and by the daemon.
#include <gtest/gtest.h>

#include "daemon_fixture.hpp"
#include "http_test_server.hpp"
#include "newswatch/core/sha256.hpp"

namespace newswatch::testing {
namespace {

using namespace std::chrono_literals;

void write_config(const std::filesystem::path& file, const std::string& url) {
    write_file(file,
               "[daemon]\nstate_dir = \"state\"\n"
               "[[feed]]\nurl = \"" +
                   url +
                   "\"\n"
                   "[[watch]]\nname = \"nu\"\nquery = 'NATO AND Ukraine'\nsinks = [\"out\"]\n"
                   "[[sink]]\nname = \"out\"\ntype = \"file\"\npath = \"out.jsonl\"\n");
}

TEST(feed_url, credentials_are_hidden_everywhere_but_the_alert_id_keeps_the_configured_url) {
    temp_dir dir;
    http_test_server server;
    server.serve_feed("/feed.xml", rss_document("Wire", {{"a", "NATO and Ukraine meet", "https://n/a", "x",
                                                          std::chrono::system_clock::now() - 1h}}));
    const std::string host = server.base_url().substr(std::string("http://").size());
    const std::string url = "http://reader:s3cr3t-pw@" + host + "/feed.xml";
    const std::string shown = "http://***@" + host + "/feed.xml";
    const auto config = dir.path() / "c.toml";
    write_config(config, url);

    const auto check = run_tool("check --config " + quote(config));
    EXPECT_EQ(check.exit_code, 0) << check.err;
    EXPECT_NE(check.err.find("carries a password"), std::string::npos) << check.err;
    EXPECT_NE(check.err.find(shown), std::string::npos) << check.err;

    const auto run = run_daemon("--config " + quote(config) + " --once --log-level debug");
    ASSERT_EQ(run.exit_code, 0) << run.err;
    EXPECT_NE(run.err.find("carries a password"), std::string::npos) << run.err;
    EXPECT_NE(run.err.find(shown), std::string::npos) << run.err;

    const auto list = run_tool("feeds list --config " + quote(config));
    const auto list_json = run_tool("feeds list --json --config " + quote(config));
    EXPECT_NE(list.out.find(shown), std::string::npos) << list.out;
    EXPECT_NE(list_json.out.find(shown), std::string::npos) << list_json.out;

    const auto alerts = read_json_lines(dir.path() / "out.jsonl");
    ASSERT_EQ(alerts.size(), 1u) << run.err;
    EXPECT_EQ(alerts[0].at("feed").at("url").as_string(), shown);
    EXPECT_EQ(alerts[0].at("id").as_string(), core::sha256_hex("nu\n" + url + "\na").substr(0, 32));

    for (const auto* output :
         {&check.out, &check.err, &run.out, &run.err, &list.out, &list.err, &list_json.out})
        EXPECT_EQ(output->find("s3cr3t"), std::string::npos) << *output;
    EXPECT_EQ(read_file(dir.path() / "out.jsonl").find("s3cr3t"), std::string::npos);
    // The fetch itself still used them.
    ASSERT_FALSE(server.requests("/feed.xml").empty());
    EXPECT_NE(server.requests("/feed.xml")[0][boost::beast::http::field::authorization], "");
}

TEST(feed_url, a_url_without_a_host_or_with_cr_lf_is_refused_by_check_and_the_daemon) {
    temp_dir dir;
    const auto config = dir.path() / "c.toml";
    for (const std::string& url :
         {std::string("http://"), std::string("http://example.org/f\\r\\nX-Evil: 1")}) {
        write_config(config, url);
        const auto check = run_tool("check --config " + quote(config));
        EXPECT_EQ(check.exit_code, 2) << url << ": " << check.err;
        EXPECT_NE(check.err.find("'url'"), std::string::npos) << check.err;
        const auto daemon = run_daemon("--config " + quote(config) + " --once");
        EXPECT_EQ(daemon.exit_code, 2) << url << ": " << daemon.err;
        EXPECT_NE(daemon.err.find("'url'"), std::string::npos) << daemon.err;
    }
}

}  // namespace
}  // namespace newswatch::testing
