// Issue 11 item 6: the crash test of the dispatcher with a real webhook. 200 matching
// items go to a webhook that fails 10 % of requests; newswatchd is SIGKILLed at random
// moments at least 15 times and restarted after each. After the last run every alert id
// has arrived, each item always under the same id (header and body agree), nothing
// unexpected arrived, a kill repeats at most the sink's concurrency, and the database is
// intact.
#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <random>
#include <set>

#include "daemon_fixture.hpp"
#include "http_test_server.hpp"
#include "newswatch/core/sha256.hpp"

namespace newswatch::testing {
namespace {

using namespace std::chrono_literals;

// The receiver: answers 503 to one request in ten (at random), else 200 after a short
// pause (so that kills land while deliveries are in flight), and records what it accepted.
class flaky_webhook {
public:
    explicit flaky_webhook(http_test_server& server) {
        server.on("/hook", [this](const http_request& request) {
            std::this_thread::sleep_for(30ms);
            std::lock_guard lock(mutex_);
            if (std::uniform_int_distribution<int>(0, 9)(rng_) == 0)
                return http_test_server::make_response(503, "try later");
            accepted_.push_back({std::string(request["X-Newswatch-Id"]), request.body()});
            return http_test_server::make_response(200, "ok");
        });
    }
    struct delivery {
        std::string header_id;
        std::string body;
    };
    std::vector<delivery> accepted() const {
        std::lock_guard lock(mutex_);
        return accepted_;
    }
    std::size_t distinct() const {
        std::lock_guard lock(mutex_);
        std::set<std::string> ids;
        for (const auto& d : accepted_) ids.insert(d.header_id);
        return ids.size();
    }

private:
    mutable std::mutex mutex_;
    std::mt19937 rng_{20261206};
    std::vector<delivery> accepted_;
};

TEST(webhook_crash, kills_during_delivery_lose_nothing_and_repeat_at_most_the_concurrency) {
    temp_dir dir;
    http_test_server server;
    flaky_webhook hook(server);
    constexpr int item_count = 200;
    constexpr int concurrency = 2;
    const auto now = std::chrono::system_clock::now();
    std::vector<rss_item> items;
    for (int i = 0; i < item_count; ++i)
        items.push_back({"i" + std::to_string(i), "NATO and Ukraine, development " + std::to_string(i),
                         "https://news.example/" + std::to_string(i), "Allies met.", now - 1h});
    server.serve_feed("/feed.xml", rss_document("Wire", items));
    const std::string feed_url = server.url("/feed.xml");
    write_file(dir.path() / "c.toml",
               "[daemon]\nstate_dir = \"state\"\ninterval = \"1h\"\nonce_timeout = \"120s\"\n"
               // Every alert is delivered on its own here: no storm folding.
               "storm_threshold = 0\nfeed_storm_threshold = 0\n"
               "[[feed]]\nurl = \"" +
                   feed_url +
                   "\"\n"
                   "[[watch]]\nname = \"nu\"\nquery = 'NATO AND Ukraine'\nsinks = [\"hook\"]\n"
                   "[[sink]]\nname = \"hook\"\ntype = \"webhook\"\nurl = \"" +
                   server.url("/hook") + "\"\nconcurrency = " + std::to_string(concurrency) +
                   "\nretry_initial = \"1s\"\nretry_max = \"2s\"\n");
    std::mt19937 rng(7);
    int kills = 0;
    for (int round = 0; round < 60 && kills < 20; ++round) {
        const auto before = hook.accepted().size();
        running_daemon daemon(dir.path() / "c.toml",
                              dir.path() / ("daemon-" + std::to_string(round) + ".log"));
        if (hook.distinct() < static_cast<std::size_t>(item_count)) {
            // While deliveries go on: once one more arrived, after a random 0-150 ms more.
            if (!eventually([&] { return hook.accepted().size() > before; }, 60s)) break;
            std::this_thread::sleep_for(
                std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 150)(rng)));
        } else {
            // Everything arrived: the remaining kills land at random moments of a run.
            std::this_thread::sleep_for(
                std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 500)(rng)));
        }
        daemon.kill_now();
        ++kills;
        if (kills >= 15 && hook.distinct() == static_cast<std::size_t>(item_count)) break;
    }
    ASSERT_GE(kills, 15);
    const auto last = run_daemon("--config " + quote(dir.path() / "c.toml") + " --once --log-level debug");
    ASSERT_EQ(last.exit_code, 0) << last.err;

    std::set<std::string> expected;
    std::map<std::string, std::string> id_of_item;
    for (int i = 0; i < item_count; ++i)
        expected.insert(core::sha256_hex("nu\n" + feed_url + "\ni" + std::to_string(i)).substr(0, 32));
    std::map<std::string, int> arrivals;
    for (const auto& d : hook.accepted()) {
        const auto body = boost::json::parse(d.body).as_object();
        const std::string body_id(body.at("id").as_string());
        EXPECT_EQ(d.header_id, body_id) << "X-Newswatch-Id and the body's id disagree";
        EXPECT_TRUE(expected.contains(body_id)) << "unexpected alert " << body_id;
        const std::string item(body.at("item").at("id").as_string());
        auto [it, fresh] = id_of_item.emplace(item, body_id);
        EXPECT_EQ(it->second, body_id) << "item " << item << " arrived under two ids";
        ++arrivals[body_id];
    }
    EXPECT_EQ(arrivals.size(), expected.size()) << "every alert arrives at least once";
    int repeated = 0;
    for (const auto& [id, n] : arrivals) repeated += n - 1;
    EXPECT_LE(repeated, kills * concurrency) << repeated << " repeated deliveries over " << kills << " kills";
    RecordProperty("kills", kills);
    RecordProperty("alerts", static_cast<int>(arrivals.size()));
    RecordProperty("repeated", repeated);
    std::printf("webhook crash test: %d kills, %zu alerts, %d repeated deliveries, %zu requests accepted\n",
                kills, arrivals.size(), repeated, hook.accepted().size());
    const auto integrity =
        run_command("sqlite3 " + quote(dir.path() / "state" / "state.db") + " 'PRAGMA integrity_check'");
    EXPECT_EQ(integrity.out, "ok\n");
}

}  // namespace
}  // namespace newswatch::testing
