#pragma once
// The one place that turns startup exceptions into a one-line message and an exit code.
#include <functional>
#include <string>

namespace newswatch::app {

// Runs `body`; usage and configuration errors and an instance conflict -> "<who>: <message>"
// on stderr and exit 2, any other exception -> exit 1. Returns body's exit code otherwise.
int run_guarded(const std::string& who, const std::function<int()>& body) noexcept;

}  // namespace newswatch::app
