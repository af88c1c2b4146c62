#include "newswatch/sinks/file_sink.hpp"

#include <gtest/gtest.h>

#include "test_paths.hpp"

namespace newswatch::sinks {
namespace {

using testing::read_file;
using testing::temp_dir;

core::result<void> send(alert_sink& sink, std::string_view payload) {
    core::result<void> out = core::error{};
    sink.send(payload, [&](core::result<void> r) { out = std::move(r); });
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
    EXPECT_NE(r.err().message.find("is-a-dir"), std::string::npos);
}

}  // namespace
}  // namespace newswatch::sinks
