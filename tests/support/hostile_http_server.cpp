#include "hostile_http_server.hpp"

#include <algorithm>
#include <cstdio>
#include <thread>

#include <boost/asio/write.hpp>

namespace newswatch::testing {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

bool send(tcp::socket& socket, const std::string& data) {
    boost::system::error_code ec;
    asio::write(socket, asio::buffer(data), ec);
    return !ec;
}

// Sleeps in small steps so a stopping server never waits long for a behaviour.
bool pause(const std::shared_ptr<std::atomic<bool>>& stop, std::chrono::milliseconds total) {
    const auto until = std::chrono::steady_clock::now() + total;
    while (std::chrono::steady_clock::now() < until) {
        if (stop->load()) return false;
        std::this_thread::sleep_for(
            std::min<std::chrono::milliseconds>(total, std::chrono::milliseconds(10)));
    }
    return !stop->load();
}

}  // namespace

hostile_http_server::hostile_http_server(const std::string& address) : server_(address) {}

hostile_http_server::~hostile_http_server() {
    stop_->store(true);
}

void hostile_http_server::endless_chunked(const std::string& path) {
    server_.on_raw(path, [stop = stop_](tcp::socket& s, const http_request&) {
        if (!send(s,
                  "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n"
                  "Transfer-Encoding: chunked\r\n\r\n"))
            return;
        const std::string chunk = "4000\r\n" + std::string(0x4000, 'x') + "\r\n";
        while (!stop->load() && send(s, chunk)) {
        }
    });
}

void hostile_http_server::huge_content_length(const std::string& path, unsigned long long announced) {
    server_.on_raw(path, [stop = stop_, announced](tcp::socket& s, const http_request&) {
        if (!send(s, "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: " +
                         std::to_string(announced) + "\r\n\r\n"))
            return;
        const std::string block(0x4000, 'y');
        while (!stop->load() && send(s, block)) {
        }
    });
}

void hostile_http_server::repeated_body(const std::string& path, std::string extra_headers, std::string head,
                                        std::string block, std::size_t repeats) {
    server_.on_raw(path, [stop = stop_, extra_headers = std::move(extra_headers), head = std::move(head),
                          block = std::move(block), repeats](tcp::socket& s, const http_request&) {
        if (!send(s, "HTTP/1.1 200 OK\r\n" + extra_headers + "Connection: close\r\n\r\n") || !send(s, head))
            return;
        for (std::size_t i = 0; i < repeats && !stop->load(); ++i)
            if (!send(s, block)) return;
    });
}

void hostile_http_server::stall_before_headers(const std::string& path) {
    server_.on_raw(path, [stop = stop_](tcp::socket&, const http_request&) {
        while (pause(stop, std::chrono::milliseconds(50))) {
        }
    });
}

void hostile_http_server::stall_after_headers(const std::string& path) {
    server_.on_raw(path, [stop = stop_](tcp::socket& s, const http_request&) {
        if (!send(
                s,
                "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: 100000\r\n\r\n<rss"))
            return;
        while (pause(stop, std::chrono::milliseconds(50))) {
        }
    });
}

void hostile_http_server::drip_body(const std::string& path, std::chrono::milliseconds every) {
    server_.on_raw(path, [stop = stop_, every](tcp::socket& s, const http_request&) {
        if (!send(s,
                  "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: 100000\r\n\r\n"))
            return;
        while (pause(stop, every) && send(s, "x")) {
        }
    });
}

void hostile_http_server::steady_body(const std::string& path, std::size_t bytes_per_second) {
    server_.on_raw(path, [stop = stop_, bytes_per_second](tcp::socket& s, const http_request&) {
        if (!send(s,
                  "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n"
                  "Transfer-Encoding: chunked\r\n\r\n"))
            return;
        // Ten slices a second.
        const std::size_t slice = std::max<std::size_t>(1, bytes_per_second / 10);
        char size_line[32];
        std::snprintf(size_line, sizeof size_line, "%zx\r\n", slice);
        const std::string chunk = size_line + std::string(slice, 'z') + "\r\n";
        while (pause(stop, std::chrono::milliseconds(100)) && send(s, chunk)) {
        }
    });
}

void hostile_http_server::slow_headers(const std::string& path, std::chrono::milliseconds every) {
    server_.on_raw(path, [stop = stop_, every](tcp::socket& s, const http_request&) {
        if (!send(s, "HTTP/1.1 200 OK\r\n")) return;
        int n = 0;
        while (pause(stop, every) && send(s, "X-Slow-" + std::to_string(n++) + ": a\r\n")) {
        }
    });
}

void hostile_http_server::endless_headers(const std::string& path) {
    server_.on_raw(path, [stop = stop_](tcp::socket& s, const http_request&) {
        if (!send(s, "HTTP/1.1 200 OK\r\n")) return;
        const std::string line = "X-Filler: " + std::string(1000, 'h') + "\r\n";
        while (!stop->load() && send(s, line)) {
        }
    });
}

void hostile_http_server::reset_mid_body(const std::string& path) {
    server_.on_raw(path, [](tcp::socket& s, const http_request&) {
        if (!send(s,
                  "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: 100000\r\n\r\n" +
                      std::string(1000, 'r')))
            return;
        boost::system::error_code ec;
        s.set_option(asio::socket_base::linger(true, 0), ec);  // close() now sends RST
        s.close(ec);
    });
}

void hostile_http_server::garbage(const std::string& path) {
    server_.on_raw(path, [](tcp::socket& s, const http_request&) {
        std::string junk = "\x16\x03\x01 NOT HTTP AT ALL \x00\xff\xfe\r\n\r\n";
        for (int i = 0; i < 64; ++i) junk.push_back(static_cast<char>((i * 37) & 0xff));
        send(s, junk);
    });
}

}  // namespace newswatch::testing
