#pragma once
// The one place that turns startup exceptions into a one-line message and an exit code.
#include <functional>
#include <stdexcept>
#include <string>

namespace newswatch::app {

// A start that would do harm (the state database is missing, damaged, or was deleted):
// exit 2, which systemd does not restart (RestartPreventExitStatus=2); exit 1 would
// restart into a fresh database and send every alert again.
struct refusal_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Runs `body`; usage and configuration errors, refusals and an instance conflict ->
// "<who>: <message>" on stderr and exit 2, any other exception -> exit 1. Returns body's exit code otherwise.
int run_guarded(const std::string& who, const std::function<int()>& body) noexcept;

}  // namespace newswatch::app
