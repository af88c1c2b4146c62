#include "nats_test_server.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nats/nats.h>

#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "test_paths.hpp"

extern char** environ;

namespace newswatch::testing {

namespace fs = std::filesystem;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

bool accepts_connections(std::uint16_t port) {
    asio::io_context io;
    tcp::socket socket(io);
    boost::system::error_code ec;
    socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), ec);
    return !ec;
}

// "nats://127.0.0.1:40123" in the ports file nats-server writes once it listens.
std::uint16_t port_from_ports_file(const fs::path& dir, pid_t pid) {
    const auto file = dir / ("nats-server_" + std::to_string(pid) + ".ports");
    std::string text;
    try {
        text = read_file(file);
    } catch (const std::exception&) {
        return 0;
    }
    const std::string marker = "nats://127.0.0.1:";
    const auto at = text.find(marker);
    if (at == std::string::npos) return 0;
    return static_cast<std::uint16_t>(std::atoi(text.c_str() + at + marker.size()));
}

void check(natsStatus s, jsErrCode code, const std::string& what) {
    if (s == NATS_OK) return;
    throw std::runtime_error(what + ": " + natsStatus_GetText(s) + " (JetStream error " +
                             std::to_string(code) + ")");
}

// One connection and JetStream context for one helper call.
class jetstream_session {
public:
    explicit jetstream_session(const std::string& url) {
        check(natsConnection_ConnectTo(&connection_, url.c_str()), jsErrCode{}, "connect to " + url);
        check(natsConnection_JetStream(&js_, connection_, nullptr), jsErrCode{}, "JetStream context");
    }
    ~jetstream_session() {
        jsCtx_Destroy(js_);
        natsConnection_Destroy(connection_);
    }
    jetstream_session(const jetstream_session&) = delete;
    jetstream_session& operator=(const jetstream_session&) = delete;
    jsCtx* js() const noexcept { return js_; }

private:
    natsConnection* connection_ = nullptr;
    jsCtx* js_ = nullptr;
};

}  // namespace

std::optional<fs::path> nats_test_server::find_binary() {
    for (const char* c : {"/usr/bin/nats-server", "/usr/sbin/nats-server", "/usr/local/bin/nats-server"})
        if (::access(c, X_OK) == 0) return fs::path(c);
    return std::nullopt;
}

nats_test_server::nats_test_server(fs::path binary, fs::path work_dir)
    : binary_(std::move(binary)), work_dir_(std::move(work_dir)) {
    fs::create_directories(work_dir_);
    spawn("-1");  // an ephemeral port, reported in the ports file
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (port_ == 0 && std::chrono::steady_clock::now() < deadline) {
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            break;
        }
        port_ = port_from_ports_file(work_dir_, pid_);
        if (port_ == 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (port_ == 0) {
        stop();
        throw std::runtime_error("nats-server did not start; see " +
                                 (work_dir_ / "nats-server.log").string());
    }
}

nats_test_server::~nats_test_server() {
    stop();
}

void nats_test_server::start() {
    if (pid_ > 0) return;
    spawn(std::to_string(port_));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) break;  // the port was taken meanwhile
        if (accepts_connections(port_)) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    pid_ = -1;
    throw std::runtime_error("nats-server did not start again on port " + std::to_string(port_));
}

void nats_test_server::spawn(const std::string& port_argument) {
    const auto log = work_dir_ / "nats-server.log";
    std::vector<std::string> args = {binary_.string(),
                                     "-js",
                                     "-a",
                                     "127.0.0.1",
                                     "-p",
                                     port_argument,
                                     "-sd",
                                     (work_dir_ / "store").string(),
                                     "--ports_file_dir",
                                     work_dir_.string()};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_APPEND,
                                     0600);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    const int rc = posix_spawn(&pid_, binary_.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        pid_ = -1;
        throw std::runtime_error("cannot start " + binary_.string());
    }
}

void nats_test_server::freeze() noexcept {
    if (pid_ > 0) ::kill(pid_, SIGSTOP);
}

void nats_test_server::thaw() noexcept {
    if (pid_ > 0) ::kill(pid_, SIGCONT);
}

void nats_test_server::stop() noexcept {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGCONT);  // a frozen server cannot act on SIGTERM
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
}

void nats_test_server::add_stream(const std::string& name, const std::string& subject,
                                  std::chrono::seconds duplicate_window) {
    jetstream_session session(url());
    jsStreamConfig config;
    jsStreamConfig_Init(&config);
    const char* subjects[] = {subject.c_str()};
    config.Name = name.c_str();
    config.Subjects = subjects;
    config.SubjectsLen = 1;
    config.Storage = js_FileStorage;
    config.Duplicates = std::chrono::nanoseconds(duplicate_window).count();
    jsStreamInfo* info = nullptr;
    jsErrCode code{};
    const natsStatus s = js_AddStream(&info, session.js(), &config, nullptr, &code);
    jsStreamInfo_Destroy(info);
    check(s, code, "add stream " + name);
}

std::uint64_t nats_test_server::stream_messages(const std::string& name) {
    jetstream_session session(url());
    jsStreamInfo* info = nullptr;
    jsErrCode code{};
    check(js_GetStreamInfo(&info, session.js(), name.c_str(), nullptr, &code), code, "stream info " + name);
    const std::uint64_t messages = info->State.Msgs;
    jsStreamInfo_Destroy(info);
    return messages;
}

nats_test_server::stored_message nats_test_server::stream_message(const std::string& name,
                                                                  std::uint64_t sequence) {
    jetstream_session session(url());
    natsMsg* msg = nullptr;
    jsErrCode code{};
    check(js_GetMsg(&msg, session.js(), name.c_str(), sequence, nullptr, &code), code,
          "get message " + std::to_string(sequence) + " of " + name);
    stored_message out;
    out.subject = natsMsg_GetSubject(msg);
    out.data.assign(natsMsg_GetData(msg), static_cast<std::size_t>(natsMsg_GetDataLength(msg)));
    const char* id = nullptr;
    if (natsMsgHeader_Get(msg, "Nats-Msg-Id", &id) == NATS_OK && id) out.msg_id = id;
    natsMsg_Destroy(msg);
    return out;
}

}  // namespace newswatch::testing
