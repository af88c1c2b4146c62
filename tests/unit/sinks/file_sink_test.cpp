#include "newswatch/sinks/file_sink.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

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

// The daemon's loop: a delivery completes when the sink's flush has run on it.
boost::asio::io_context io;

// Runs what the deliveries of the last turn posted: the sink's flush (its fdatasync).
void end_turn() {
    io.restart();
    io.poll();
}

// One delivery, run to its completion.
sent send(alert_sink& sink, std::string_view payload) {
    sent out;
    bool done = false;
    sink.send({.event = "alert", .id = "id", .payload = payload}, [&](delivery_result r) {
        out.result = std::move(r);
        done = true;
    });
    end_turn();
    EXPECT_TRUE(done) << "no completion after the loop ran";
    return out;
}

TEST(file_sink, appends_one_line_per_payload_and_creates_folders) {
    temp_dir dir;
    file_sink sink("f", io.get_executor(), dir.path() / "sub" / "alerts.jsonl");
    ASSERT_TRUE(send(sink, "{\"a\":1}"));
    ASSERT_TRUE(send(sink, "{\"a\":2}"));
    EXPECT_EQ(read_file(dir.path() / "sub" / "alerts.jsonl"), "{\"a\":1}\n{\"a\":2}\n");
}

TEST(file_sink, reopens_after_the_file_is_rotated_away) {
    temp_dir dir;
    const auto path = dir.path() / "alerts.jsonl";
    file_sink sink("f", io.get_executor(), path);
    ASSERT_TRUE(send(sink, "one"));
    std::filesystem::rename(path, dir.path() / "alerts.jsonl.1");
    ASSERT_TRUE(send(sink, "two"));
    EXPECT_EQ(read_file(path), "two\n");
    EXPECT_EQ(read_file(dir.path() / "alerts.jsonl.1"), "one\n");
}

TEST(file_sink, failure_is_a_value_naming_the_path) {
    temp_dir dir;
    std::filesystem::create_directories(dir.path() / "is-a-dir");
    file_sink sink("f", io.get_executor(), dir.path() / "is-a-dir");
    auto r = send(sink, "x");
    ASSERT_FALSE(r);
    EXPECT_NE(r.message().find("is-a-dir"), std::string::npos);
}

TEST(file_sink, a_new_file_gets_the_configured_mode_whatever_the_umask) {
    temp_dir dir;
    const mode_t old_mask = ::umask(027);
    file_sink sink("f", io.get_executor(), dir.path() / "alerts.jsonl", 0660);
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
    file_sink sink("f", io.get_executor(), path);
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

// ---- group commit (issue #16): the lines of one turn share one fdatasync ----

int syncs = 0;
int counted_sync(int fd) {
    ++syncs;
    return ::fdatasync(fd);
}
int failed_sync(int) {
    ++syncs;
    errno = EIO;
    return -1;
}

// Deliveries handed over in one turn of the loop, as the dispatcher hands over a sink's
// `concurrency`; their results once the loop has run.
struct turn {
    std::vector<std::optional<delivery_result>> results;
    std::vector<std::string> payloads;

    turn(alert_sink& sink, int count) : results(count) {
        for (int i = 0; i < count; ++i) payloads.push_back("{\"n\":" + std::to_string(i) + "}");
        for (int i = 0; i < count; ++i)
            sink.send({.event = "alert", .id = "id", .payload = payloads[i]},
                      [this, i](delivery_result r) { results[i] = std::move(r); });
    }
    std::size_t completed() const {
        return static_cast<std::size_t>(
            std::count_if(results.begin(), results.end(), [](const auto& r) { return r.has_value(); }));
    }
    std::string lines(int from, int to) const {
        std::string out;
        for (int i = from; i < to; ++i) out += payloads[i] + "\n";
        return out;
    }
};

TEST(file_sink, the_lines_of_one_turn_share_one_fdatasync_and_complete_only_after_it) {
    temp_dir dir;
    const auto path = dir.path() / "alerts.jsonl";
    file_sink sink("f", io.get_executor(), path);
    sink.set_sync_function(&counted_sync);
    syncs = 0;
    turn t(sink, 50);
    // Written at once, in order, but not one is reported delivered before its fdatasync.
    EXPECT_EQ(read_file(path), t.lines(0, 50));
    EXPECT_EQ(t.completed(), 0u);
    EXPECT_EQ(syncs, 0);
    end_turn();
    EXPECT_EQ(syncs, 1);
    ASSERT_EQ(t.completed(), 50u);
    for (const auto& r : t.results) EXPECT_TRUE(r->delivered()) << r->detail;
    // The next turn has its own.
    turn next(sink, 3);
    end_turn();
    EXPECT_EQ(syncs, 2);
    EXPECT_EQ(next.completed(), 3u);
}

TEST(file_sink, a_failed_fdatasync_retries_every_line_it_was_to_cover) {
    temp_dir dir;
    const auto path = dir.path() / "alerts.jsonl";
    file_sink sink("f", io.get_executor(), path);
    sink.set_sync_function(&failed_sync);
    syncs = 0;
    turn t(sink, 5);
    end_turn();
    EXPECT_EQ(syncs, 1);
    ASSERT_EQ(t.completed(), 5u);
    for (const auto& r : t.results) {
        EXPECT_FALSE(r->delivered());
        EXPECT_EQ(r->status, delivery_status::retry);
        EXPECT_NE(r->detail.find("fsync"), std::string::npos) << r->detail;
    }
    sink.set_sync_function(&::fdatasync);  // the retries
    turn again(sink, 5);
    end_turn();
    for (const auto& r : again.results) EXPECT_TRUE(r->delivered()) << r->detail;
}

// The third line's write() is cut short by a full disk (the rest of it fails with ENOSPC);
// the disk is free again for the lines after it.
int writes = 0;
bool disk_full = false;
ssize_t third_line_finds_the_disk_full(int fd, const void* data, std::size_t size) {
    if (disk_full) {
        disk_full = false;
        errno = ENOSPC;
        return -1;
    }
    if (++writes == 3) {
        disk_full = true;
        return ::write(fd, data, size / 2);
    }
    return ::write(fd, data, size);
}

TEST(file_sink, a_full_disk_mid_turn_retries_the_cut_line_and_confirms_the_others) {
    temp_dir dir;
    const auto path = dir.path() / "alerts.jsonl";
    file_sink sink("f", io.get_executor(), path);
    sink.set_write_function(&third_line_finds_the_disk_full);
    sink.set_sync_function(&counted_sync);
    writes = 0;
    syncs = 0;
    turn t(sink, 5);
    end_turn();
    EXPECT_EQ(syncs, 1);
    ASSERT_EQ(t.completed(), 5u);
    EXPECT_TRUE(t.results[0]->delivered());
    EXPECT_TRUE(t.results[1]->delivered());
    EXPECT_EQ(t.results[2]->status, delivery_status::retry);
    EXPECT_NE(t.results[2]->detail.find("No space left"), std::string::npos) << t.results[2]->detail;
    EXPECT_TRUE(t.results[3]->delivered());
    EXPECT_TRUE(t.results[4]->delivered());
    // The half line is gone: every line parses, the cut one is simply missing.
    EXPECT_EQ(read_file(path), t.lines(0, 2) + t.lines(3, 5));
}

TEST(file_sink, flush_and_cancel_all_sync_and_complete_the_written_lines_at_once) {
    temp_dir dir;
    const auto path = dir.path() / "alerts.jsonl";
    file_sink sink("f", io.get_executor(), path);
    sink.set_sync_function(&counted_sync);
    syncs = 0;
    turn t(sink, 4);
    sink.flush();  // a dispatcher going away
    EXPECT_EQ(syncs, 1);
    ASSERT_EQ(t.completed(), 4u);
    for (const auto& r : t.results) EXPECT_TRUE(r->delivered());
    turn u(sink, 2);
    sink.cancel_all();  // shutdown: a written line is not cancelled
    EXPECT_EQ(syncs, 2);
    ASSERT_EQ(u.completed(), 2u);
    for (const auto& r : u.results) EXPECT_TRUE(r->delivered());
    end_turn();  // the posted flushes find nothing more
    EXPECT_EQ(syncs, 2);
    EXPECT_EQ(read_file(path), t.lines(0, 4) + u.lines(0, 2));
}

}  // namespace
}  // namespace newswatch::sinks
