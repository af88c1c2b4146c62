#include "nghttpd_server.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "self_signed_certificate.hpp"
#include "test_paths.hpp"

extern char** environ;

namespace newswatch::testing {

namespace fs = std::filesystem;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

// A port that was free a moment ago (nghttpd does not report an ephemeral port).
std::uint16_t free_port() {
    asio::io_context io;
    tcp::acceptor probe(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    return probe.local_endpoint().port();
}

bool accepts_connections(std::uint16_t port) {
    asio::io_context io;
    tcp::socket socket(io);
    boost::system::error_code ec;
    socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), ec);
    return !ec;
}

}  // namespace

std::optional<fs::path> nghttpd_server::find_binary() {
    std::vector<fs::path> candidates = {"/usr/sbin/nghttpd", "/usr/bin/nghttpd", "/usr/local/bin/nghttpd"};
    if (const char* path = std::getenv("PATH")) {
        std::string_view rest = path;
        while (!rest.empty()) {
            const auto colon = rest.find(':');
            candidates.push_back(fs::path(std::string(rest.substr(0, colon))) / "nghttpd");
            rest = colon == std::string_view::npos ? std::string_view{} : rest.substr(colon + 1);
        }
    }
    for (const auto& c : candidates)
        if (::access(c.c_str(), X_OK) == 0) return c;
    return std::nullopt;
}

nghttpd_server::nghttpd_server(const fs::path& binary, const fs::path& htdocs, const fs::path& work_dir) {
    const auto files = make_self_signed_certificate(work_dir);
    cert_ = files.cert;
    log_ = work_dir / "nghttpd.log";
    // Another process can take the probed port before nghttpd binds it: try a few.
    for (int attempt = 0; attempt < 5; ++attempt)
        if (try_start(binary, htdocs, files.key)) return;
    throw std::runtime_error("nghttpd did not start; see " + log_.string());
}

nghttpd_server::~nghttpd_server() {
    stop();
}

bool nghttpd_server::try_start(const fs::path& binary, const fs::path& htdocs, const fs::path& key) {
    port_ = free_port();
    const std::string port = std::to_string(port_);
    std::vector<std::string> args = {
        binary.string(), "--address=127.0.0.1", "--htdocs=" + htdocs.string(), "--verbose", port,
        key.string(),    cert_.string()};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    const int rc = posix_spawn(&pid_, binary.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        pid_ = -1;
        return false;
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {  // exited: the port was taken
            pid_ = -1;
            return false;
        }
        if (accepts_connections(port_)) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    stop();
    return false;
}

void nghttpd_server::stop() noexcept {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
}

int nghttpd_server::sessions() const {
    // nghttpd --verbose prefixes every frame line with the session: "[id=3] [  0.002] recv SETTINGS
    // frame ...".
    const std::string log = read_file(log_);
    std::set<std::string> ids;
    std::size_t start = 0;
    while (start < log.size()) {
        auto end = log.find('\n', start);
        if (end == std::string::npos) end = log.size();
        const std::string_view line(log.data() + start, end - start);
        // Only sessions that received a frame: the readiness probe is an "[id=N] closed" line.
        if (line.starts_with("[id=") && line.find("] recv ") != std::string_view::npos) {
            const auto close = line.find(']');
            if (close != std::string_view::npos) ids.insert(std::string(line.substr(4, close - 4)));
        }
        start = end + 1;
    }
    return static_cast<int>(ids.size());
}

}  // namespace newswatch::testing
