#include "self_signed_certificate.hpp"

#include <stdexcept>

#include "test_paths.hpp"

namespace newswatch::testing {

certificate_files make_self_signed_certificate(const std::filesystem::path& dir) {
    certificate_files files{dir / "key.pem", dir / "cert.pem"};
    auto r = run_command(
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 "
        "-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -keyout '" +
        files.key.string() + "' -out '" + files.cert.string() + "'");
    if (r.exit_code != 0) throw std::runtime_error("openssl req failed: " + r.err);
    return files;
}

}  // namespace newswatch::testing
