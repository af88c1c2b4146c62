#pragma once
// A hostile HTTP server for fetcher tests, on a loopback address: endless bodies, bombs,
// stalls, drips, oversized headers, resets and garbage. Built on http_test_server's raw
// handlers (one thread per connection); every behaviour stops when the client goes away
// or the server is destroyed, so tests never hang on it.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "http_test_server.hpp"

namespace newswatch::testing {

class hostile_http_server {
public:
    explicit hostile_http_server(const std::string& address = "127.0.0.1");
    ~hostile_http_server();  // stops every behaviour, then the server
    hostile_http_server(const hostile_http_server&) = delete;
    hostile_http_server& operator=(const hostile_http_server&) = delete;

    http_test_server& server() noexcept { return server_; }
    std::string url(const std::string& path) const { return server_.url(path); }
    int hits(const std::string& path) const { return server_.hits(path); }

    // 200 with chunked encoding that never ends (16 KiB chunks, as fast as the client reads).
    void endless_chunked(const std::string& path);
    // 200 announcing `announced` bytes of Content-Length, then sending bytes until closed.
    void huge_content_length(const std::string& path, unsigned long long announced);
    // Sends `head` once, then `block` `repeats` times, behind `extra_headers` (each line
    // ending in \r\n), close-delimited. Builds compression bombs without holding them.
    void repeated_body(const std::string& path, std::string extra_headers, std::string head,
                       std::string block, std::size_t repeats);
    // Reads the request and never answers (the connection stays open).
    void stall_before_headers(const std::string& path);
    // Sends the status line and headers (Content-Length 100000), then nothing more.
    void stall_after_headers(const std::string& path);
    // Sends headers, then one body byte every `every` (slowloris-style drip).
    void drip_body(const std::string& path, std::chrono::milliseconds every);
    // Sends a body at roughly `bytes_per_second` (fast enough to beat a low-speed limit).
    void steady_body(const std::string& path, std::size_t bytes_per_second);
    // Sends the status line, then one header line every `every`, never finishing.
    void slow_headers(const std::string& path, std::chrono::milliseconds every);
    // Sends header lines as fast as possible, never finishing (oversized headers).
    void endless_headers(const std::string& path);
    // Announces 100000 bytes, sends 1000, then resets the connection (RST).
    void reset_mid_body(const std::string& path);
    // Answers with bytes that are not HTTP at all, then closes.
    void garbage(const std::string& path);

private:
    bool stopped() const noexcept { return stop_->load(); }
    std::shared_ptr<std::atomic<bool>> stop_ = std::make_shared<std::atomic<bool>>(false);
    http_test_server server_;
};

}  // namespace newswatch::testing
