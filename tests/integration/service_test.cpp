// newswatchd as a system service (issue #14): one instance per state directory, the
// systemd notify protocol (READY, STATUS, WATCHDOG) read from a real datagram socket,
// `newswatch status` with the daemon up and down, and `newswatch reload` waiting for the
// daemon's verdict.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <regex>

#include "daemon_fixture.hpp"
#include "http_test_server.hpp"

namespace newswatch::testing {
namespace {

using namespace std::chrono_literals;

boost::json::object status_json(const std::filesystem::path& state_dir) {
    const auto r = run_tool("status --json --state-dir " + quote(state_dir));
    if (r.exit_code != 0) return {};
    boost::system::error_code ec;
    auto v = boost::json::parse(r.out, ec);
    return !ec && v.is_object() ? v.as_object() : boost::json::object{};
}

bool daemon_status_ready(const boost::json::object& o) {
    return o.contains("running") && o.at("running").as_bool() && o.at("source").as_string() == "daemon" &&
           o.at("feeds").as_object().at("ok").to_number<int>() == 1 && !o.at("last_round").is_null();
}

// One local feed with one matching item, polled every second; alerts to a file; state
// in dir/state.
class service : public ::testing::Test {
protected:
    service() {
        server.serve_feed("/feed.xml", rss_document("Wire", {{"a", "NATO and Ukraine meet", "https://n/a",
                                                              "x", std::chrono::system_clock::now() - 1h}}));
        write_config();
    }

    void write_config(const std::string& extra = "") {
        write_file(config,
                   "[daemon]\nstate_dir = \"state\"\ninterval = \"1s\"\nmin_interval = \"1s\"\n"
                   "default_sinks = [\"out\"]\n[[feed]]\nurl = \"" +
                       server.url("/feed.xml") +
                       "\"\n"
                       "[[sink]]\nname = \"out\"\ntype = \"file\"\npath = \"out.jsonl\"\n"
                       "[[watch]]\nname = \"nu\"\nquery = 'NATO AND Ukraine'\n" +
                       extra);
    }

    // Starts newswatchd logging to dir/<log>; with `wait`, returns once `newswatch status`
    // shows it running with its feed polled.
    std::unique_ptr<running_daemon> start(const std::string& log, const std::vector<std::string>& env = {},
                                          bool wait = true) {
        auto daemon =
            std::make_unique<running_daemon>(config, dir.path() / log, std::vector<std::string>{"--log-level", "debug"}, env);
        if (wait) {
            const pid_t pid = daemon->pid();
            EXPECT_TRUE(eventually(
                [&] {
                    const auto o = status_json(state);
                    return daemon_status_ready(o) && o.at("pid").to_number<int>() == pid;
                },
                30s))
                << read_file(dir.path() / log);
        }
        return daemon;
    }

    temp_dir dir;
    http_test_server server;
    const std::filesystem::path config = dir.path() / "c.toml";
    const std::filesystem::path state = dir.path() / "state";
};

TEST_F(service, a_second_daemon_on_the_same_state_dir_exits_2_at_once_and_a_killed_ones_lock_does_not_block) {
    auto first = start("first.log");
    ASSERT_FALSE(HasFailure());

    const auto began = std::chrono::steady_clock::now();
    const auto second = run_daemon("--config " + quote(config));
    EXPECT_EQ(second.exit_code, 2) << second.err;
    EXPECT_NE(second.err.find("another newswatchd (pid " + std::to_string(first->pid()) + ") holds " +
                              state.string()),
              std::string::npos)
        << second.err;
    // "At once": it did not poll, wait for a timeout or touch the database first.
    EXPECT_LT(std::chrono::steady_clock::now() - began, 10s);

    // SIGKILL leaves the lock file behind, but not the lock: the next daemon starts.
    first->kill_now();
    auto next = start("next.log");
    EXPECT_EQ(next->terminate(), 0);
}

// The receiving end of $NOTIFY_SOCKET, as systemd binds it.
class notify_socket {
public:
    explicit notify_socket(const std::filesystem::path& path) : path_(path) {
        fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
        if (bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
            throw std::runtime_error("bind");
        timeval timeout{0, 200'000};
        setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    }
    ~notify_socket() { close(fd_); }
    // Every datagram received so far (waits at most 200 ms for a new one).
    const std::vector<std::string>& messages() {
        char buffer[4096];
        for (;;) {
            const ssize_t n = recv(fd_, buffer, sizeof buffer, 0);
            if (n <= 0) break;
            messages_.emplace_back(buffer, static_cast<std::size_t>(n));
        }
        return messages_;
    }
    int count(const std::string& message) {
        int n = 0;
        for (const auto& m : messages()) n += m == message ? 1 : 0;
        return n;
    }

private:
    std::filesystem::path path_;
    int fd_ = -1;
    std::vector<std::string> messages_;
};

TEST_F(service, sends_ready_a_status_line_each_round_and_watchdog_keep_alives_at_half_the_period) {
    notify_socket notify(dir.path() / "notify.sock");
    // A 2 s watchdog: a keep-alive every second.
    auto daemon =
        start("daemon.log",
              {"NOTIFY_SOCKET=" + (dir.path() / "notify.sock").string(), "WATCHDOG_USEC=2000000"}, false);
    ASSERT_TRUE(eventually([&] { return notify.count("READY=1") == 1; }, 30s))
        << read_file(dir.path() / "daemon.log");
    const std::regex status_line(
        R"(STATUS=1 feeds, 0 failing; last round \d\d:\d\d:\d\d; \d+ alerts? pending)");
    ASSERT_TRUE(eventually(
        [&] {
            for (const auto& m : notify.messages())
                if (std::regex_match(m, status_line)) return true;
            return false;
        },
        30s))
        << read_file(dir.path() / "daemon.log");
    const int keep_alives = notify.count("WATCHDOG=1");
    EXPECT_GE(keep_alives, 1);
    ASSERT_TRUE(eventually([&] { return notify.count("WATCHDOG=1") >= keep_alives + 3; }, 30s));
    EXPECT_EQ(daemon->terminate(), 0);
    EXPECT_GE(notify.count("STOPPING=1"), 1);
}

TEST_F(service, status_shows_the_running_daemon_and_reads_the_database_when_it_is_down) {
    auto daemon = start("daemon.log");
    ASSERT_FALSE(HasFailure());
    const auto running = status_json(state);
    EXPECT_EQ(running.at("pid").to_number<int>(), daemon->pid());
    EXPECT_EQ(running.at("config").as_string(), config.string());
    const auto human = run_tool("status --config " + quote(config));
    EXPECT_EQ(human.exit_code, 0) << human.err;
    EXPECT_NE(human.out.find("running, pid " + std::to_string(daemon->pid())), std::string::npos)
        << human.out;
    EXPECT_NE(human.out.find("1: 1 ok, 0 failing"), std::string::npos) << human.out;

    const int pid = daemon->pid();
    EXPECT_EQ(daemon->terminate(), 0);
    const auto down = status_json(state);
    ASSERT_TRUE(down.contains("running")) << run_tool("status --json --state-dir " + quote(state)).err;
    EXPECT_FALSE(down.at("running").as_bool());
    EXPECT_EQ(down.at("source").as_string(), "database");
    EXPECT_EQ(down.at("pid").to_number<int>(), pid);
    EXPECT_EQ(down.at("feeds").as_object().at("ok").to_number<int>(), 1);
    EXPECT_FALSE(down.at("last_round").is_null());
    EXPECT_EQ(down.at("alerts").as_object().at("pending").to_number<int>(), 0);
    const auto human_down = run_tool("status --state-dir " + quote(state));
    EXPECT_NE(human_down.out.find("not running (last run: pid " + std::to_string(pid) + ", stopped"),
              std::string::npos)
        << human_down.out;
}

TEST_F(service, reload_waits_for_the_daemons_answer_and_fails_when_the_new_config_is_rejected) {
    const std::string reload = "reload --state-dir " + quote(state);
    {
        const auto none = run_tool(reload);
        EXPECT_EQ(none.exit_code, 1);
        EXPECT_NE(none.err.find("not running"), std::string::npos) << none.err;
    }
    auto daemon = start("daemon.log");
    ASSERT_FALSE(HasFailure());

    write_config("[[watch]]\nname = 'broken'\nquery = 'NATO AND ('\n");
    const auto rejected = run_tool(reload);
    EXPECT_EQ(rejected.exit_code, 2) << rejected.out << rejected.err;
    EXPECT_NE(rejected.err.find("rejected the new configuration"), std::string::npos) << rejected.err;
    EXPECT_NE(rejected.err.find("broken"), std::string::npos) << rejected.err;

    write_config("[[watch]]\nname = \"jets\"\nquery = 'jets'\n");
    const auto accepted = run_tool(reload);
    EXPECT_EQ(accepted.exit_code, 0) << accepted.err;
    EXPECT_NE(accepted.out.find("configuration reloaded"), std::string::npos) << accepted.out;
    EXPECT_NE(read_file(dir.path() / "daemon.log").find("configuration reloaded event=\"reload\" outcome=\"ok\" feeds=1 watches=2"), std::string::npos);
    EXPECT_EQ(daemon->terminate(), 0);
}

}  // namespace
}  // namespace newswatch::testing
