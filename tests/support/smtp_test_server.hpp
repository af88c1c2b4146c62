#pragma once
// A real SMTP server for tests: tests/support/smtp_test_server.py (Debian's
// python3-aiosmtpd) on 127.0.0.1, with STARTTLS (a self-signed certificate made at test
// time) and AUTH required. Tests skip when aiosmtpd is not installed.
#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace newswatch::testing {

struct received_mail {
    std::string content;   // the message as received (CRLF line ends)
    std::string envelope;  // JSON: mail_from, rcpt_tos, tls, authenticated
};

class smtp_test_server {
public:
    // Whether /usr/bin/python3 can import aiosmtpd.
    static bool available();

    // Starts the server; files go to `work_dir`. Throws std::runtime_error when it does
    // not come up within 20 s.
    smtp_test_server(const std::filesystem::path& work_dir, std::string user, std::string password);
    ~smtp_test_server();  // SIGTERM to the process this object started, then waits for it
    smtp_test_server(const smtp_test_server&) = delete;
    smtp_test_server& operator=(const smtp_test_server&) = delete;

    std::uint16_t port() const noexcept { return port_; }
    std::filesystem::path ca_file() const { return cert_; }
    // Messages received so far, in order.
    std::vector<received_mail> messages() const;

private:
    void stop() noexcept;

    std::filesystem::path dir_;
    std::filesystem::path cert_;
    std::uint16_t port_ = 0;
    pid_t pid_ = -1;
};

}  // namespace newswatch::testing
