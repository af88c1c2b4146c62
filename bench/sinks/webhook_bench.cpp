// webhook_bench [--alerts N] [--concurrency C ...] [--secret] [--dispatcher]
// Sends N alert payloads through webhook_sink (the daemon's HTTP client, one event loop)
// to a keep-alive HTTP/1.1 receiver on 127.0.0.1 (Boost.Beast, a thread per connection, in
// this process), with at most C deliveries in flight, and prints alerts/s and CPU per alert.
// Without --dispatcher this is the sink's own ceiling. With --dispatcher the N alerts are
// queued in a real SQLite outbox (a temporary state.db) and the daemon's outbox_dispatcher
// delivers them with `concurrency = C`, committing each outcome before it counts: what the
// daemon does.
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "newswatch/http/http_client.hpp"
#include "newswatch/pipeline/outbox_dispatcher.hpp"
#include "newswatch/sinks/webhook_sink.hpp"
#include "newswatch/store/state_store.hpp"

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

// A receiver that answers 204 to every request, reading whole bodies.
class receiver {
public:
    receiver() : acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
        acceptor_.listen();
        thread_ = std::thread([this] { accept_loop(); });
    }
    ~receiver() {
        stopping_ = true;
        // A blocking accept() is not woken by close() from another thread: connect once.
        boost::system::error_code ec;
        tcp::socket wake(io_);
        wake.connect(acceptor_.local_endpoint(), ec);
        thread_.join();
        acceptor_.close(ec);
        for (auto& t : connections_) t.detach();
    }
    std::string url() const {
        return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()) + "/hook";
    }
    std::uint64_t received() const { return received_; }

private:
    void accept_loop() {
        while (!stopping_) {
            tcp::socket socket(io_);
            boost::system::error_code ec;
            acceptor_.accept(socket, ec);
            if (ec || stopping_) return;
            connections_.emplace_back([this, s = std::move(socket)]() mutable { serve(std::move(s)); });
        }
    }
    void serve(tcp::socket socket) {
        beast::flat_buffer buffer;
        for (;;) {
            beast::http::request<beast::http::string_body> req;
            boost::system::error_code ec;
            beast::http::read(socket, buffer, req, ec);
            if (ec) return;
            ++received_;
            beast::http::response<beast::http::empty_body> res{beast::http::status::no_content,
                                                               req.version()};
            res.keep_alive(req.keep_alive());
            beast::http::write(socket, res, ec);
            if (ec || !req.keep_alive()) return;
        }
    }
    asio::io_context io_;
    tcp::acceptor acceptor_;
    std::atomic<bool> stopping_{false};
    std::atomic<std::uint64_t> received_{0};
    std::thread thread_;
    std::vector<std::thread> connections_;
};

double cpu_seconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

std::string payload_for(int i) {
    return R"({"type":"alert","id":")" + std::to_string(1000000 + i) +
           R"(","watch":"membership","feed":{"url":"https://news.example/feed.xml","title":"Example News"},)"
           R"("item":{"id":"item-)" +
           std::to_string(i) +
           R"(","title":"NATO foreign ministers discuss Ukraine membership path","link":"https://news.example/a/)" +
           std::to_string(i) +
           R"(","published":"2026-12-06T09:00:00Z","summary":"Foreign ministers met in Brussels on Tuesday to discuss the next steps."},)"
           R"("matched":["NATO","Ukraine"],"hits":[{"pattern":"NATO","text":"NATO","field":"title","offset":0,"negated":false,"hedged":false}],)"
           R"("hits_total":1,"detected_at":"2026-12-06T09:00:05Z"})";
}

void run(int alerts, int concurrency, bool secret) {
    receiver rx;
    asio::io_context io;
    newswatch::http::http_client client(io.get_executor(), {});
    newswatch::sinks::webhook_sink::settings s;
    s.url = rx.url();
    if (secret) s.secret = "bench-secret";
    newswatch::sinks::webhook_sink sink("bench", &client, s);
    std::vector<std::string> payloads;
    for (int i = 0; i < alerts; ++i) payloads.push_back(payload_for(i));
    std::vector<std::string> ids;
    for (int i = 0; i < alerts; ++i) ids.push_back(std::to_string(1000000 + i));

    int next = 0, in_flight = 0, delivered = 0, failed = 0;
    std::function<void()> fill = [&] {
        while (in_flight < concurrency && next < alerts) {
            const int i = next++;
            ++in_flight;
            sink.send({.event = "alert", .id = ids[i], .payload = payloads[i]},
                      [&](newswatch::sinks::delivery_result r) {
                          --in_flight;
                          if (r.delivered())
                              ++delivered;
                          else
                              ++failed;
                          fill();
                      });
        }
    };
    const double cpu0 = cpu_seconds();
    const auto t0 = std::chrono::steady_clock::now();
    fill();
    io.run();
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const double cpu = cpu_seconds() - cpu0;
    std::printf(
        "%d alerts, concurrency %d%s: %.2f s wall, %.0f alerts/s, CPU %.2f s (%.0f us/alert incl. receiver), "
        "delivered %d, failed %d, received %llu\n",
        alerts, concurrency, secret ? ", HMAC" : "", wall, alerts / wall, cpu, cpu / alerts * 1e6, delivered,
        failed, static_cast<unsigned long long>(rx.received()));
}

// The same through the dispatcher and a real outbox.
void run_dispatcher(int alerts, int concurrency, bool secret) {
    const auto dir = std::filesystem::temp_directory_path() /
                     ("webhook-bench-" + std::to_string(::getpid()) + "-" + std::to_string(concurrency));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    auto store = std::move(newswatch::store::state_store::open(dir / "state.db")).value();
    newswatch::store::fetch_commit commit;
    commit.feed.url = "https://news.example/feed.xml";
    for (int i = 0; i < alerts; ++i)
        commit.alerts.emplace_back(std::to_string(1000000 + i), "bench", payload_for(i), "alert",
                                   "membership");
    if (!store.commit_fetch(commit, newswatch::core::now_utc())) {
        std::fprintf(stderr, "cannot queue the alerts\n");
        return;
    }
    receiver rx;
    asio::io_context io;
    newswatch::http::http_client client(io.get_executor(), {});
    newswatch::sinks::webhook_sink::settings s;
    s.url = rx.url();
    if (secret) s.secret = "bench-secret";
    newswatch::sinks::webhook_sink sink("bench", &client, s);
    newswatch::config::delivery_policy policy;
    policy.concurrency = static_cast<std::size_t>(concurrency);
    newswatch::pipeline::outbox_dispatcher dispatcher(
        io.get_executor(), store, {{"bench", newswatch::pipeline::sink_binding{&sink, policy}}},
        newswatch::core::seconds{86400});
    const double cpu0 = cpu_seconds();
    const auto t0 = std::chrono::steady_clock::now();
    dispatcher.drain(newswatch::core::now_utc());
    while (dispatcher.totals().delivered + dispatcher.totals().failed < static_cast<std::size_t>(alerts) &&
           std::chrono::steady_clock::now() - t0 < std::chrono::minutes(10))
        io.run_one_for(std::chrono::milliseconds(100));
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const double cpu = cpu_seconds() - cpu0;
    std::printf(
        "%d alerts through the dispatcher, concurrency %d%s: %.2f s wall, %.0f alerts/s, CPU %.2f s (%.0f "
        "us/alert "
        "incl. receiver and SQLite), delivered %zu, failed %zu, received %llu\n",
        alerts, concurrency, secret ? ", HMAC" : "", wall, alerts / wall, cpu, cpu / alerts * 1e6,
        dispatcher.totals().delivered, dispatcher.totals().failed,
        static_cast<unsigned long long>(rx.received()));
    std::filesystem::remove_all(dir);
}

}  // namespace

int main(int argc, char** argv) {
    int alerts = 20000;
    bool secret = false;
    bool through_dispatcher = false;
    std::vector<int> concurrency;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--alerts") == 0 && i + 1 < argc)
            alerts = std::atoi(argv[++i]);
        else if (std::strcmp(argv[i], "--concurrency") == 0 && i + 1 < argc)
            concurrency.push_back(std::atoi(argv[++i]));
        else if (std::strcmp(argv[i], "--secret") == 0)
            secret = true;
        else if (std::strcmp(argv[i], "--dispatcher") == 0)
            through_dispatcher = true;
        else {
            std::fprintf(
                stderr,
                "usage: webhook_bench [--alerts N] [--concurrency C ...] [--secret] [--dispatcher]\n");
            return 2;
        }
    }
    if (concurrency.empty()) concurrency = {1, 2, 8, 32};
    for (int c : concurrency) {
        if (through_dispatcher)
            run_dispatcher(alerts, c, secret);
        else
            run(alerts, c, secret);
    }
}
