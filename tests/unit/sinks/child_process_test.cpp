#include "newswatch/sinks/child_process.hpp"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "loop_probe.hpp"
#include "test_paths.hpp"

namespace newswatch::sinks {
namespace {

using namespace std::chrono_literals;
using ending = child_process_outcome::ending;
using testing::process_gone;
using testing::temp_dir;

std::filesystem::path script(const temp_dir& dir, const std::string& name, const std::string& body) {
    const auto path = dir.path() / name;
    testing::write_file(path, "#!/bin/sh\n" + body);
    std::filesystem::permissions(path, std::filesystem::perms::owner_all);
    return path;
}

child_process_outcome run(child_process_request request, boost::asio::io_context& io) {
    std::optional<child_process_outcome> outcome;
    child_process child(io.get_executor());
    child.start(std::move(request), [&](child_process_outcome o) { outcome = std::move(o); });
    // A generous bound for a busy machine; the child's own timeout is what a test sets.
    io.run_for(120s);
    io.restart();
    EXPECT_TRUE(outcome) << "no outcome within 120 s";
    return outcome.value_or(child_process_outcome{});
}

child_process_outcome run(child_process_request request) {
    boost::asio::io_context io;
    return run(std::move(request), io);
}

bool eventually(const std::function<bool()>& condition) {
    for (auto until = std::chrono::steady_clock::now() + 60s; std::chrono::steady_clock::now() < until;) {
        if (condition()) return true;
        std::this_thread::sleep_for(20ms);
    }
    return condition();
}

TEST(child_process, reports_the_exit_code_and_captures_stdout_and_stderr) {
    temp_dir dir;
    auto o = run({.argv = {script(dir, "p", "echo to-out; echo to-err >&2; exit 3").string()}});
    EXPECT_EQ(o.how, ending::exited);
    EXPECT_EQ(o.exit_code, 3);
    EXPECT_EQ(o.out, "to-out\n");
    EXPECT_EQ(o.err, "to-err\n");
    EXPECT_TRUE(process_gone(o.pid));
}

TEST(child_process, passes_arguments_without_a_shell) {
    auto o = run({.argv = {"/bin/echo", "a b", "$HOME", ";", "`id`"}});
    EXPECT_EQ(o.how, ending::exited);
    EXPECT_EQ(o.out, "a b $HOME ; `id`\n");
}

TEST(child_process, the_environment_is_exactly_the_one_given) {
    ::setenv("NEWSWATCH_TEST_INHERITED", "leak", 1);
    auto o = run({.argv = {"/usr/bin/env"}, .environment = {"PATH=/usr/bin:/bin", "A=1"}});
    ::unsetenv("NEWSWATCH_TEST_INHERITED");
    EXPECT_EQ(o.how, ending::exited);
    EXPECT_EQ(o.out, "PATH=/usr/bin:/bin\nA=1\n");
}

TEST(child_process, the_input_arrives_on_stdin) {
    const std::string input(2 * 1024 * 1024, 'x');
    auto o = run({.argv = {"/usr/bin/wc", "-c"}, .input = input});
    EXPECT_EQ(o.how, ending::exited);
    EXPECT_EQ(o.out, "2097152\n");
}

// The child reads nothing and waits for a file that only a handler on the loop creates:
// if writing its 2 MB of input blocked the loop, the handler would never run.
TEST(child_process, a_child_that_reads_nothing_does_not_block_the_loop) {
    temp_dir dir;
    const auto go = dir.path() / "go";
    const auto p = script(dir, "p", "while [ ! -e '" + go.string() + "' ]; do sleep 0.05; done; exit 0");
    boost::asio::io_context io;
    boost::asio::steady_timer tick(io, 200ms);
    tick.async_wait([&](auto) { testing::write_file(go, ""); });
    auto o = run({.argv = {p.string()}, .input = std::string(2 * 1024 * 1024, 'x'), .timeout = 60s}, io);
    EXPECT_EQ(o.how, ending::exited);
    EXPECT_EQ(o.exit_code, 0);
}

TEST(child_process, output_beyond_the_cap_is_read_and_dropped) {
    auto o = run({.argv = {"/usr/bin/head", "-c", "100000", "/dev/zero"}, .output_cap = 1000});
    EXPECT_EQ(o.how, ending::exited);
    EXPECT_EQ(o.exit_code, 0);
    EXPECT_EQ(o.out.size(), 1000u);
    EXPECT_EQ(o.out_dropped, 99000u);
}

TEST(child_process, a_hanging_child_and_its_children_end_by_the_timeout) {
    temp_dir dir;
    const auto grandchild = dir.path() / "grandchild";
    const auto p = script(dir, "p", "sleep 1000 & echo $! > '" + grandchild.string() + "'; wait");
    auto o = run({.argv = {p.string()}, .timeout = 1s, .kill_grace = 30s});
    EXPECT_EQ(o.how, ending::timed_out);
    EXPECT_EQ(o.signal, SIGTERM);
    EXPECT_TRUE(process_gone(o.pid));
    const pid_t sleeper = std::stoi(testing::read_file(grandchild));
    EXPECT_TRUE(eventually([&] { return process_gone(sleeper); })) << "grandchild " << sleeper << " survived";
}

TEST(child_process, a_child_that_ignores_sigterm_is_killed_after_the_grace_period) {
    temp_dir dir;
    const auto ready = dir.path() / "ready";
    const auto p =
        script(dir, "p", "trap '' TERM; touch '" + ready.string() + "'; while :; do sleep 0.1; done");
    auto o = run({.argv = {p.string()}, .timeout = 1s, .kill_grace = 1s});
    EXPECT_EQ(o.how, ending::timed_out);
    // SIGTERM can come before the shell has set its trap on a busy machine.
    if (std::filesystem::exists(ready)) {
        EXPECT_EQ(o.signal, SIGKILL);
    }
    EXPECT_TRUE(process_gone(o.pid));
}

TEST(child_process, a_program_that_cannot_be_started_is_reported) {
    auto o = run({.argv = {"/nonexistent/program"}});
    EXPECT_EQ(o.how, ending::not_started);
    EXPECT_NE(o.error.find("No such file"), std::string::npos) << o.error;
}

TEST(child_process, kill_ends_the_child_and_still_completes) {
    boost::asio::io_context io;
    std::optional<child_process_outcome> outcome;
    child_process child(io.get_executor());
    child.start({.argv = {"/bin/sleep", "1000"}}, [&](child_process_outcome o) { outcome = std::move(o); });
    boost::asio::steady_timer later(io, 100ms);
    later.async_wait([&](auto) { child.kill(); });
    io.run_for(120s);
    ASSERT_TRUE(outcome);
    EXPECT_EQ(outcome->how, ending::cancelled);
    EXPECT_EQ(outcome->signal, SIGKILL);
    EXPECT_TRUE(process_gone(outcome->pid));
}

TEST(child_process, destroying_it_kills_and_reaps_the_child) {
    boost::asio::io_context io;
    pid_t pid = -1;
    {
        child_process child(io.get_executor());
        child.start({.argv = {"/bin/sleep", "1000"}}, [](child_process_outcome) {});
        pid = child.pid();
        ASSERT_GT(pid, 0);
    }
    EXPECT_TRUE(process_gone(pid));
    io.run_for(5s);  // the cancelled handlers find the object gone and return
}

TEST(child_process, the_child_inherits_no_descriptor_but_the_three_pipes) {
    // Opened without O_CLOEXEC, as a careless library would.
    const int fd = ::open("/dev/null", O_RDONLY);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::dup2(fd, 100), 100);
    auto o = run({.argv = {"/bin/ls", "/proc/self/fd"}});
    ::close(100);
    ::close(fd);
    EXPECT_EQ(o.how, ending::exited);
    // ls itself holds one descriptor for the directory it lists.
    EXPECT_EQ(o.out, "0\n1\n2\n3\n");
}

}  // namespace
}  // namespace newswatch::sinks
