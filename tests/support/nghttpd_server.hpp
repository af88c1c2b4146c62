#pragma once
// A real HTTP/2 server for tests: Debian's `nghttpd` (package nghttp2-server) on 127.0.0.1
// with TLS (a self-signed certificate made at test time), serving the files of a directory.
// Tests that need it skip when the binary is absent (a user's clone without the package).
#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace newswatch::testing {

class nghttpd_server {
public:
    // Path of the nghttpd binary, or nullopt when it is not installed.
    static std::optional<std::filesystem::path> find_binary();

    // Starts nghttpd serving `htdocs` on a free 127.0.0.1 port; writes its certificate and
    // verbose log into `work_dir`. Throws std::runtime_error when it does not come up.
    nghttpd_server(const std::filesystem::path& binary, const std::filesystem::path& htdocs,
                   const std::filesystem::path& work_dir);
    ~nghttpd_server();  // SIGTERM to the process this object started, then waits for it
    nghttpd_server(const nghttpd_server&) = delete;
    nghttpd_server& operator=(const nghttpd_server&) = delete;

    std::string url(const std::string& path) const {
        return "https://127.0.0.1:" + std::to_string(port_) + path;
    }
    std::filesystem::path ca_file() const { return cert_; }
    // HTTP/2 sessions (connections) the server has seen so far, from its verbose log.
    int sessions() const;

private:
    bool try_start(const std::filesystem::path& binary, const std::filesystem::path& htdocs,
                   const std::filesystem::path& key);
    void stop() noexcept;

    std::filesystem::path cert_;
    std::filesystem::path log_;
    std::uint16_t port_ = 0;
    pid_t pid_ = -1;
};

}  // namespace newswatch::testing
