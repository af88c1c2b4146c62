#pragma once
// A real NATS server with JetStream for tests: Debian's `nats-server -js` on 127.0.0.1,
// with its store in a directory of the test. It can be stopped and started again on the
// same port (a server that goes away and comes back). The JetStream helpers use cnats's
// API directly, so no `nats` CLI is needed. Tests skip when the binary is absent.
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace newswatch::testing {

class nats_test_server {
public:
    // Path of nats-server, or nullopt when it is not installed.
    static std::optional<std::filesystem::path> find_binary();

    // Starts the server on an ephemeral port; its store and log go into `work_dir`.
    // Throws std::runtime_error when it does not come up.
    nats_test_server(std::filesystem::path binary, std::filesystem::path work_dir);
    ~nats_test_server();  // stops the server this object started
    nats_test_server(const nats_test_server&) = delete;
    nats_test_server& operator=(const nats_test_server&) = delete;

    std::string url() const { return "nats://127.0.0.1:" + std::to_string(port_); }
    std::uint16_t port() const noexcept { return port_; }

    // SIGTERM and wait. start() brings it back on the same port with the same store.
    void stop() noexcept;
    void start();
    // SIGSTOP / SIGCONT: a server that holds the connection open but answers nothing.
    void freeze() noexcept;
    void thaw() noexcept;

    // JetStream, through a short-lived connection. Throw std::runtime_error on failure.
    void add_stream(const std::string& name, const std::string& subject,
                    std::chrono::seconds duplicate_window = std::chrono::minutes(2));
    std::uint64_t stream_messages(const std::string& name);
    struct stored_message {
        std::string subject;
        std::string data;
        std::string msg_id;  // the Nats-Msg-Id header
    };
    stored_message stream_message(const std::string& name, std::uint64_t sequence);

private:
    void spawn(const std::string& port_argument);

    std::filesystem::path binary_;
    std::filesystem::path work_dir_;
    std::uint16_t port_ = 0;
    pid_t pid_ = -1;
};

}  // namespace newswatch::testing
