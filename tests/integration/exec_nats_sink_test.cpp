// Issue #11 end to end: newswatchd --once delivers each alert to an exec sink (a real
// program) and to a nats sink (a real nats-server -js), as configured in docs/CONFIG.md.
#include <gtest/gtest.h>

#include <set>

#include "daemon_fixture.hpp"
#include "http_test_server.hpp"
#include "nats_test_server.hpp"

namespace newswatch::testing {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

const auto now = std::chrono::system_clock::now();

class exec_nats_sinks : public ::testing::Test {
protected:
    void SetUp() override {
        auto binary = nats_test_server::find_binary();
        if (!binary) GTEST_SKIP() << "nats-server is not installed (Debian package nats-server): skipping";
        nats_.emplace(*binary, dir_.path() / "nats");
        nats_->add_stream("ALERTS", "newswatch.alerts");
        fs::create_directories(received_);
        // One file per alert, named by NEWSWATCH_ALERT_ID, with the environment beside it.
        write_file(receiver_, "#!/bin/sh\nset -e\ncat > '" + received_.string() +
                                  "/'\"$NEWSWATCH_ALERT_ID\".json\nenv > '" + received_.string() +
                                  "/'\"$NEWSWATCH_ALERT_ID\".env\necho received\n");
        fs::permissions(receiver_, fs::perms::owner_all);
        server_.serve_feed(
            "/feed.xml",
            rss_document("World News",
                         {{"a", "Ukraine talks resume", "https://news.example/a",
                           "Delegations met in Geneva.", now - 1h},
                          {"b", "Harvest in Ukraine begins early", "https://news.example/b",
                           "Farmers report a dry spring.", now - 2h},
                          {"c", "Local team wins", "https://news.example/c", "Fans celebrated.", now - 3h}}));
    }

    void write_config(const std::string& command) {
        write_file(
            config_,
            "[daemon]\nstate_dir = \"state\"\n\n[[feed]]\nurl = \"" + server_.url("/feed.xml") +
                "\"\n\n[[watch]]\nname = \"ukraine\"\nquery = 'Ukraine'\nsinks = [\"run\", \"stream\"]\n"
                "\n[[sink]]\nname = \"run\"\ntype = \"exec\"\ncommand = [\"" +
                command +
                "\", \"--flag\"]\ntimeout = \"60s\"\n"
                "\n[[sink]]\nname = \"stream\"\ntype = \"nats\"\nserver = \"" +
                nats_->url() + "\"\nsubject = \"newswatch.alerts\"\ntimeout = \"30s\"\n");
    }

    std::set<std::string> received_ids() {
        std::set<std::string> ids;
        for (const auto& e : fs::directory_iterator(received_))
            if (e.path().extension() == ".json") ids.insert(e.path().stem().string());
        return ids;
    }

    std::set<std::string> stream_ids() {
        std::set<std::string> ids;
        for (std::uint64_t seq = 1; seq <= nats_->stream_messages("ALERTS"); ++seq)
            ids.insert(nats_->stream_message("ALERTS", seq).msg_id);
        return ids;
    }

    temp_dir dir_;
    fs::path config_ = dir_.path() / "newswatch.toml";
    fs::path receiver_ = dir_.path() / "receive";
    fs::path received_ = dir_.path() / "received";
    http_test_server server_;
    std::optional<nats_test_server> nats_;
};

TEST_F(exec_nats_sinks, once_delivers_every_alert_to_the_program_and_the_stream_once) {
    write_config(receiver_.string());
    const auto check = run_tool("check --config " + quote(config_));
    ASSERT_EQ(check.exit_code, 0) << check.err;

    const auto first = run_daemon("--config " + quote(config_) + " --once --log-level debug");
    ASSERT_EQ(first.exit_code, 0) << first.err;
    const auto ids = received_ids();
    ASSERT_EQ(ids.size(), 2u) << first.err;
    EXPECT_EQ(stream_ids(), ids);
    for (const auto& id : ids) {
        const auto alert = boost::json::parse(read_file(received_ / (id + ".json"))).as_object();
        EXPECT_EQ(alert.at("id").as_string(), id);
        EXPECT_EQ(alert.at("watch").as_string(), "ukraine");
        const std::string env = read_file(received_ / (id + ".env"));
        EXPECT_NE(env.find("NEWSWATCH_WATCH=ukraine\n"), std::string::npos) << env;
        EXPECT_NE(env.find("NEWSWATCH_EVENT=alert\n"), std::string::npos) << env;
        EXPECT_EQ(env.find("HOME="), std::string::npos) << env;
    }
    EXPECT_NE(first.err.find("stdout=\"received\\x0A\""), std::string::npos) << first.err;

    // Nothing new: nothing sent again.
    const auto second = run_daemon("--config " + quote(config_) + " --once");
    ASSERT_EQ(second.exit_code, 0) << second.err;
    EXPECT_EQ(received_ids(), ids);
    EXPECT_EQ(nats_->stream_messages("ALERTS"), 2u);
}

TEST_F(exec_nats_sinks, check_rejects_a_command_that_is_not_an_executable_file) {
    write_config((dir_.path() / "missing").string());
    const auto check = run_tool("check --config " + quote(config_));
    EXPECT_EQ(check.exit_code, 2);
    EXPECT_NE(check.err.find("sink 'run'"), std::string::npos) << check.err;
    EXPECT_NE(check.err.find("not an executable file"), std::string::npos) << check.err;
}

}  // namespace
}  // namespace newswatch::testing
