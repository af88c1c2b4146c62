// Issue #10 item 4: no alert is lost (or repeated) when the disk fills and is freed again.
// Without privileges: an SQLite VFS wrapping the default one answers SQLITE_FULL to every
// write while the "disk" is full, and the file sink's write hook answers ENOSPC (after a
// short write, as a real disk does). The real pipeline runs against a loopback HTTP feed.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <map>
#include <sstream>

#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>

#include "http_test_server.hpp"
#include "newswatch/http/http_client.hpp"
#include "newswatch/matcher/watch_set.hpp"
#include "newswatch/pipeline/compute_pool.hpp"
#include "newswatch/pipeline/feed_monitor.hpp"
#include "newswatch/sinks/file_sink.hpp"
#include "test_paths.hpp"

namespace newswatch::pipeline {
namespace {

std::atomic<bool> disk_full{false};
// The disk fills during the sink's next write: that write is cut short.
std::atomic<bool> fill_on_next_sink_write{false};

// ---- the VFS: the default unix VFS, with writes failing while the disk is full ----
struct full_file {
    sqlite3_file base;
    sqlite3_file* real;  // allocated right after this struct
};

sqlite3_vfs* real_vfs = nullptr;

sqlite3_file* real_of(sqlite3_file* f) {
    return reinterpret_cast<full_file*>(f)->real;
}

int full_close(sqlite3_file* f) {
    return real_of(f)->pMethods->xClose(real_of(f));
}
int full_read(sqlite3_file* f, void* p, int n, sqlite3_int64 off) {
    return real_of(f)->pMethods->xRead(real_of(f), p, n, off);
}
int full_write(sqlite3_file* f, const void* p, int n, sqlite3_int64 off) {
    if (disk_full) return SQLITE_FULL;
    return real_of(f)->pMethods->xWrite(real_of(f), p, n, off);
}
int full_truncate(sqlite3_file* f, sqlite3_int64 size) {
    return real_of(f)->pMethods->xTruncate(real_of(f), size);
}
int full_sync(sqlite3_file* f, int flags) {
    return real_of(f)->pMethods->xSync(real_of(f), flags);
}
int full_file_size(sqlite3_file* f, sqlite3_int64* size) {
    return real_of(f)->pMethods->xFileSize(real_of(f), size);
}
int full_lock(sqlite3_file* f, int l) {
    return real_of(f)->pMethods->xLock(real_of(f), l);
}
int full_unlock(sqlite3_file* f, int l) {
    return real_of(f)->pMethods->xUnlock(real_of(f), l);
}
int full_check_reserved(sqlite3_file* f, int* out) {
    return real_of(f)->pMethods->xCheckReservedLock(real_of(f), out);
}
int full_file_control(sqlite3_file* f, int op, void* arg) {
    return real_of(f)->pMethods->xFileControl(real_of(f), op, arg);
}
int full_sector_size(sqlite3_file* f) {
    return real_of(f)->pMethods->xSectorSize(real_of(f));
}
int full_device(sqlite3_file* f) {
    return real_of(f)->pMethods->xDeviceCharacteristics(real_of(f));
}
int full_shm_map(sqlite3_file* f, int region, int size, int extend, void volatile** out) {
    return real_of(f)->pMethods->xShmMap(real_of(f), region, size, extend, out);
}
int full_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
    return real_of(f)->pMethods->xShmLock(real_of(f), offset, n, flags);
}
void full_shm_barrier(sqlite3_file* f) {
    real_of(f)->pMethods->xShmBarrier(real_of(f));
}
int full_shm_unmap(sqlite3_file* f, int del) {
    return real_of(f)->pMethods->xShmUnmap(real_of(f), del);
}

// Version 2: no memory-mapped I/O, so every page written goes through full_write.
const sqlite3_io_methods full_methods = {2,
                                         full_close,
                                         full_read,
                                         full_write,
                                         full_truncate,
                                         full_sync,
                                         full_file_size,
                                         full_lock,
                                         full_unlock,
                                         full_check_reserved,
                                         full_file_control,
                                         full_sector_size,
                                         full_device,
                                         full_shm_map,
                                         full_shm_lock,
                                         full_shm_barrier,
                                         full_shm_unmap,
                                         nullptr,
                                         nullptr};

int full_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
    auto* file = reinterpret_cast<full_file*>(f);
    file->real = reinterpret_cast<sqlite3_file*>(file + 1);
    const int rc = real_vfs->xOpen(real_vfs, name, file->real, flags, out_flags);
    file->base.pMethods = rc == SQLITE_OK ? &full_methods : nullptr;
    return rc;
}

sqlite3_vfs full_vfs{};

// Makes the wrapping VFS the default for the test; the default comes back at the end.
class scoped_full_disk_vfs {
public:
    scoped_full_disk_vfs() {
        real_vfs = sqlite3_vfs_find(nullptr);
        full_vfs = *real_vfs;
        full_vfs.zName = "newswatch-full-disk";
        full_vfs.szOsFile = static_cast<int>(sizeof(full_file)) + real_vfs->szOsFile;
        full_vfs.xOpen = &full_open;
        full_vfs.pAppData = nullptr;
        sqlite3_vfs_register(&full_vfs, 1);
    }
    ~scoped_full_disk_vfs() {
        sqlite3_vfs_register(real_vfs, 1);
        sqlite3_vfs_unregister(&full_vfs);
        disk_full = false;
    }
};

// ---- the file sink's write hook ----
ssize_t sink_write(int fd, const void* data, std::size_t size) {
    if (fill_on_next_sink_write.exchange(false)) {
        disk_full = true;
        return ::write(fd, data, size / 2);  // the write() of the rest finds the disk full
    }
    if (disk_full) {
        errno = ENOSPC;
        return -1;
    }
    return ::write(fd, data, size);
}

std::string rss(const std::string& prefix, int count) {
    std::ostringstream out;
    out << "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Wire</title>";
    const auto date =
        std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() - std::chrono::hours(1));
    char when[64];
    std::strftime(when, sizeof when, "%a, %d %b %Y %H:%M:%S GMT", std::gmtime(&date));
    for (int i = 0; i < count; ++i)
        out << "<item><guid>" << prefix << i << "</guid><title>NATO and Ukraine, report " << prefix << i
            << "</title><link>https://n/" << prefix << i << "</link><pubDate>" << when << "</pubDate></item>";
    out << "</channel></rss>";
    return out.str();
}

matcher::watch_set compile_watches() {
    matcher::watch_spec s;
    s.name = "nu";
    s.query = "NATO AND Ukraine";
    return std::move(matcher::watch_set::compile({s})).value();
}

class disk_full_test : public ::testing::Test {
protected:
    // One `newswatchd --once` in this process, built as the daemon builds it. Returns
    // whether every state write of the run worked.
    bool run_once(const std::vector<std::string>& paths) {
        auto opened = store::state_store::open(dir.path() / "state.db");
        EXPECT_TRUE(opened) << (opened ? "" : opened.err().message);
        if (!opened) return false;
        store::state_store store = std::move(*opened);
        compute_pool compute(1);
        boost::asio::io_context io;
        const matcher::watch_set watches = compile_watches();
        const std::vector<watch_binding> bindings{{"nu", {"alerts"}, std::nullopt}};
        pipeline_options options;
        // While the disk is full, deliveries fail and --once retries them until this runs out.
        options.once_timeout = core::seconds{3};
        sinks::file_sink sink("alerts", io.get_executor(), dir.path() / "alerts.jsonl");
        sink.set_write_function(&sink_write);
        std::vector<feed_definition> feeds;
        for (const auto& path : paths) {
            feed_definition f;
            f.url = server.url(path);
            f.request.url = f.request.configured_url = f.url;
            feeds.push_back(std::move(f));
        }
        auto client = std::make_unique<http::http_client>(io.get_executor(), http::client_options{});
        auto journal = std::make_unique<state_journal>(io.get_executor(), store);
        auto processor =
            std::make_unique<item_processor>(options, watches, bindings, nullptr, store, *journal, compute);
        auto dispatcher = std::make_unique<outbox_dispatcher>(
            io.get_executor(), store, std::map<std::string, sink_binding>{{"alerts", {&sink, {}}}},
            core::seconds{30 * 86400});
        auto monitor = std::make_unique<feed_monitor>(io.get_executor(), *client, *processor, *dispatcher,
                                                      store, *journal, std::move(feeds), options);
        bool done = false;
        monitor->run_once([&](const round_totals&) {
            done = true;
            io.stop();
        });
        io.run_for(std::chrono::seconds(60));
        EXPECT_TRUE(done) << "the round did not finish within 60 s";
        bool stopped = false;
        monitor->stop([&] { stopped = true; });
        io.restart();
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (!stopped && std::chrono::steady_clock::now() < deadline)
            io.run_one_for(std::chrono::milliseconds(100));
        compute.join();
        monitor.reset();
        dispatcher.reset();
        processor.reset();
        const bool wrote_everything = journal->failed_flushes() == 0;
        journal.reset();
        client.reset();
        io.restart();
        io.poll();
        return wrote_everything;
    }

    // alert id -> how many lines carry it; a line that is not JSON fails the test.
    std::map<std::string, int> delivered() {
        std::map<std::string, int> out;
        std::istringstream lines(testing::read_file(dir.path() / "alerts.jsonl"));
        for (std::string line; std::getline(lines, line);) {
            boost::system::error_code ec;
            auto value = boost::json::parse(line, ec);
            EXPECT_FALSE(ec) << "not a JSON line (a write cut short?): " << line;
            if (!ec) ++out[std::string(value.as_object().at("id").as_string())];
        }
        return out;
    }

    scoped_full_disk_vfs vfs;
    testing::temp_dir dir;
    testing::http_test_server server;
};

TEST_F(disk_full_test, every_alert_is_delivered_exactly_once_after_the_disk_fills_and_is_freed) {
    server.serve_feed("/a.xml", rss("a", 2), "application/rss+xml", "\"a1\"", "");
    server.serve_feed("/b.xml", rss("b", 1), "application/rss+xml", "\"b1\"", "");
    ASSERT_TRUE(run_once({"/a.xml", "/b.xml"}));
    ASSERT_EQ(delivered().size(), 3u);

    // Twelve new items in feed a; the disk fills while the sink writes the first of them
    // (the line is cut short), so no delivery outcome can be recorded either.
    server.serve_feed("/a.xml", rss("a", 14), "application/rss+xml", "\"a2\"", "");
    fill_on_next_sink_write = true;
    run_once({"/a.xml", "/b.xml"});
    ASSERT_TRUE(disk_full);

    // Still full: feed b changes, but its document cannot be written; --once says so.
    server.serve_feed("/b.xml", rss("b", 6), "application/rss+xml", "\"b2\"", "");
    EXPECT_FALSE(run_once({"/a.xml", "/b.xml"}));

    disk_full = false;  // space freed
    EXPECT_TRUE(run_once({"/a.xml", "/b.xml"}));
    EXPECT_TRUE(run_once({"/a.xml", "/b.xml"}));

    const auto lines = delivered();
    EXPECT_EQ(lines.size(), 3u + 12u + 5u);  // a0 a1 b0, then a2..a13, then b1..b5
    for (const auto& [id, count] : lines)
        EXPECT_EQ(count, 1) << "alert " << id << " delivered " << count << " times";
}

}  // namespace
}  // namespace newswatch::pipeline
