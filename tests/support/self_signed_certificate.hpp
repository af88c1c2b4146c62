#pragma once
// A throwaway key and self-signed certificate for TLS test servers, made at test time by the
// openssl tool (never committed).
#include <filesystem>

namespace newswatch::testing {

struct certificate_files {
    std::filesystem::path key;   // PEM private key (EC P-256)
    std::filesystem::path cert;  // PEM certificate, CN and subjectAltName IP 127.0.0.1, valid one day
};

// Writes key.pem and cert.pem into `dir`; throws std::runtime_error when openssl fails.
certificate_files make_self_signed_certificate(const std::filesystem::path& dir);

}  // namespace newswatch::testing
