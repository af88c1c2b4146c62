// `newswatchd`: the service. All the work is in run_daemon (daemon_command.cpp).
#include <string>
#include <vector>

#include "commands.hpp"
#include "startup_error.hpp"

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    return newswatch::app::run_guarded("newswatchd", [&] {
        newswatch::app::cli_args cli(std::move(args));
        return newswatch::app::run_daemon(cli);
    });
}
