#pragma once
// A small command-line reader shared by every command: "--name VALUE", "--name=VALUE",
// flags, positionals and "-" for stdin. Usage errors throw usage_error (startup only);
// the mains turn them into exit code 2.
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace newswatch::app {

struct usage_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class cli_args {
public:
    explicit cli_args(std::vector<std::string> args);

    // True if the flag was given (and consumes it).
    bool flag(const std::string& name);
    // The option's value if given; throws usage_error if given without a value.
    std::optional<std::string> option(const std::string& name);
    // Every value of an option that may repeat.
    std::vector<std::string> options(const std::string& name);
    // After all flags/options were asked for: the positionals. Throws usage_error for any
    // "--something" nobody asked for.
    std::vector<std::string> positionals();

private:
    std::vector<std::string> args_;
    std::vector<bool> used_;
};

}  // namespace newswatch::app
