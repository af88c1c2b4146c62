#include "newswatch/sinks/file_sink.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "test_paths.hpp"

namespace newswatch::sinks {
namespace {

using testing::read_file;
using testing::temp_dir;

struct sent {
    delivery_result result = delivery_result::retry("no completion");
    explicit operator bool() const { return result.delivered(); }
    const std::string& message() const { return result.detail; }
};

sent send(alert_sink& sink, std::string_view payload) {
    sent out;
    sink.send({.event = "alert", .id = "id", .payload = payload},
              [&](delivery_result r) { out.result = std::move(r); });
    return out;
}

TEST(file_sink, appends_one_line_per_payload_and_creates_folders) {
    temp_dir dir;
    file_sink sink("f", dir.path() / "sub" / "alerts.jsonl");
    ASSERT_TRUE(send(sink, "{\"a\":1}"));
    ASSERT_TRUE(send(sink, "{\"a\":2}"));
    EXPECT_EQ(read_file(dir.path() / "sub" / "alerts.jsonl"), "{\"a\":1}\n{\"a\":2}\n");
}

TEST(file_sink, reopens_after_the_file_is_rotated_away) {
    temp_dir dir;
    const auto path = dir.path() / "alerts.jsonl";
    file_sink sink("f", path);
    ASSERT_TRUE(send(sink, "one"));
    std::filesystem::rename(path, dir.path() / "alerts.jsonl.1");
    ASSERT_TRUE(send(sink, "two"));
    EXPECT_EQ(read_file(path), "two\n");
    EXPECT_EQ(read_file(dir.path() / "alerts.jsonl.1"), "one\n");
}

TEST(file_sink, failure_is_a_value_naming_the_path) {
    temp_dir dir;
    std::filesystem::create_directories(dir.path() / "is-a-dir");
    file_sink sink("f", dir.path() / "is-a-dir");
    auto r = send(sink, "x");
    ASSERT_FALSE(r);
    EXPECT_NE(r.message().find("is-a-dir"), std::string::npos);
}

TEST(file_sink, a_new_file_gets_the_configured_mode_whatever_the_umask) {
    temp_dir dir;
    const mode_t old_mask = ::umask(027);
    file_sink sink("f", dir.path() / "alerts.jsonl", 0660);
    const bool delivered = static_cast<bool>(send(sink, "{}"));
    ::umask(old_mask);
    ASSERT_TRUE(delivered);
    const auto perms = std::filesystem::status(dir.path() / "alerts.jsonl").permissions();
    EXPECT_EQ(static_cast<unsigned>(perms) & 0777u, 0660u);
}

// A disk that takes 5 more bytes, then is full (issue #10 item 4).
ssize_t five_bytes_then_full(int fd, const void* data, std::size_t size) {
    static std::size_t room = 5;
    if (room == 0) {
        errno = ENOSPC;
        return -1;
    }
    const std::size_t n = std::min(size, room);
    room -= n;
    return ::write(fd, data, n);
}

TEST(file_sink, a_line_cut_short_by_a_full_disk_is_removed_so_the_retry_stays_parseable) {
    temp_dir dir;
    const auto path = dir.path() / "alerts.jsonl";
    file_sink sink("f", path);
    ASSERT_TRUE(send(sink, "{\"a\":1}"));
    sink.set_write_function(&five_bytes_then_full);
    auto r = send(sink, "{\"a\":2}");
    ASSERT_FALSE(r);
    EXPECT_NE(r.message().find("No space left"), std::string::npos) << r.message();
    EXPECT_EQ(read_file(path), "{\"a\":1}\n");
    sink.set_write_function(&::write);  // space freed
    ASSERT_TRUE(send(sink, "{\"a\":2}"));
    EXPECT_EQ(read_file(path), "{\"a\":1}\n{\"a\":2}\n");
}

}  // namespace
}  // namespace newswatch::sinks
