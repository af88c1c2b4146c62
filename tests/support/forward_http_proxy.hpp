#pragma once
// A minimal forward HTTP proxy for tests, on a loopback address: it takes absolute-form GET
// requests ("GET http://host:port/path HTTP/1.1"), resolves the host itself (as real proxies
// do, so "localhost" means its own loopback) and relays the origin's response. CONNECT and
// https are not supported (501). Every request it receives is recorded by its target.
#include <atomic>
#include <memory>
#include <string>

#include "http_test_server.hpp"

namespace newswatch::testing {

class forward_http_proxy {
public:
    explicit forward_http_proxy(const std::string& address = "127.0.0.1");

    std::string url() const { return server_.base_url(); }  // the proxy setting: "http://127.0.0.1:PORT"
    int hits(const std::string& absolute_url) const { return server_.hits(absolute_url); }
    int forwarded() const;  // requests relayed to an origin (answered or not)

private:
    http_test_server server_;
    std::shared_ptr<std::atomic<int>> forwarded_ = std::make_shared<std::atomic<int>>(0);
};

}  // namespace newswatch::testing
