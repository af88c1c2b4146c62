#pragma once
// A WebSub hub for tests (W3C WebSub Recommendation), on 127.0.0.1 on top of
// http_test_server. It takes subscription requests at /hub (§5.1: a form POST, answered
// 202), then verifies the subscriber's intent from its own thread (§5.3: a GET to the
// callback with hub.mode, hub.topic, hub.challenge and hub.lease_seconds; verified only
// when the answer is 2xx with the challenge as body), or denies (§5.2) when told to. It
// distributes content to the verified subscribers of a topic (§7) signed with their
// secret (§8, X-Hub-Signature: sha256=HMAC), or with a signature of the test's choosing.
// Independent of newswatch's own code (its own HMAC, its own HTTP client).
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "http_test_server.hpp"

namespace newswatch::testing {

class websub_test_hub {
public:
    struct subscription {
        std::string topic;
        std::string callback;
        std::string secret;
        long long lease_seconds = 0;  // granted
        bool verified = false;
        int verifications = 0;  // successful verifications of intent (renewals included)
    };

    websub_test_hub();
    ~websub_test_hub();
    websub_test_hub(const websub_test_hub&) = delete;
    websub_test_hub& operator=(const websub_test_hub&) = delete;

    std::string url() const { return server_.url("/hub"); }
    // The lease granted to every subscription from now on (the subscriber's asked value
    // when 0).
    void grant_lease(long long seconds) { lease_ = seconds; }
    // Deny every subscription request from now on (§5.2), with this reason.
    void deny(std::string reason);

    int subscribe_requests() const { return subscribe_requests_; }
    int unsubscribe_requests() const { return unsubscribe_requests_; }
    // The subscription of `topic` (the last one asked for), if any.
    std::optional<subscription> find(const std::string& topic) const;

    // §7/§8: POSTs `body` to every verified subscriber of `topic`, signed with its secret
    // (`method` sha1, sha256, sha384 or sha512); returns the status codes of the answers.
    std::vector<int> publish(const std::string& topic, const std::string& body,
                             const std::string& content_type = "application/rss+xml",
                             const std::string& method = "sha256");
    // The same with a fixed X-Hub-Signature value ("" = none sent).
    std::vector<int> publish_with_signature(const std::string& topic, const std::string& body,
                                            const std::string& signature,
                                            const std::string& content_type = "application/rss+xml");
    // A verification of intent to `callback` for `topic` that nobody asked for; returns the
    // status of the answer (0 when none came) and its body.
    std::pair<int, std::string> verify(const std::string& callback, const std::string& mode,
                                       const std::string& topic, long long lease_seconds = 600);

    // HMAC-`method` hex of `body` under `secret`, "method=hex".
    static std::string signature(const std::string& method, const std::string& secret,
                                 const std::string& body);
    // One plain HTTP/1.1 request to an http://127.0.0.1:PORT/... URL; status and body.
    static std::pair<int, std::string> request(
        const std::string& method, const std::string& url, const std::string& body = "",
        const std::vector<std::pair<std::string, std::string>>& headers = {});

private:
    http_response on_hub(const http_request& request);
    void verify_later(std::string topic, std::string mode);

    http_test_server server_;
    mutable std::mutex mutex_;
    std::map<std::string, subscription> subscriptions_;  // by topic
    std::atomic<long long> lease_{0};
    std::optional<std::string> deny_reason_;
    std::atomic<int> subscribe_requests_{0};
    std::atomic<int> unsubscribe_requests_{0};
    std::vector<std::thread> verifiers_;
};

}  // namespace newswatch::testing
