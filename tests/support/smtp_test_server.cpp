#include "smtp_test_server.hpp"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "self_signed_certificate.hpp"
#include "test_paths.hpp"

extern char** environ;

namespace newswatch::testing {

namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

bool smtp_test_server::available() {
    return std::system("/usr/bin/python3 -c 'import aiosmtpd' >/dev/null 2>&1") == 0;
}

smtp_test_server::smtp_test_server(const fs::path& work_dir, std::string user, std::string password)
    : dir_(work_dir / "smtp") {
    fs::create_directories(dir_);
    const auto files = make_self_signed_certificate(work_dir);
    cert_ = files.cert;
    const fs::path port_file = work_dir / "smtp.port";
    std::vector<std::string> args = {"/usr/bin/python3",
                                     (source_dir() / "tests/support/smtp_test_server.py").string(),
                                     "--cert=" + files.cert.string(),
                                     "--key=" + files.key.string(),
                                     "--port-file=" + port_file.string(),
                                     "--out-dir=" + dir_.string(),
                                     "--user=" + user,
                                     "--password=" + password};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    if (posix_spawn(&pid_, argv[0], nullptr, nullptr, argv.data(), environ) != 0) {
        pid_ = -1;
        throw std::runtime_error("cannot start the SMTP test server");
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
        if (fs::exists(port_file)) {
            port_ = static_cast<std::uint16_t>(std::stoi(slurp(port_file)));
            return;
        }
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    stop();
    throw std::runtime_error("the SMTP test server did not come up");
}

smtp_test_server::~smtp_test_server() {
    stop();
}

void smtp_test_server::stop() noexcept {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
}

std::vector<received_mail> smtp_test_server::messages() const {
    std::vector<received_mail> out;
    for (int n = 1;; ++n) {
        const fs::path eml = dir_ / (std::to_string(n) + ".eml");
        if (!fs::exists(eml)) break;
        out.push_back({slurp(eml), slurp(dir_ / (std::to_string(n) + ".json"))});
    }
    return out;
}

}  // namespace newswatch::testing
