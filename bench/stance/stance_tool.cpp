// A development driver for the stance commands alone: `stance_tool stance ...` and
// `stance_tool stance-train ...` behave exactly like `newswatch stance` / `stance-train`
// (same functions), but link only what those commands need.
#include <cstdio>
#include <string>
#include <vector>

#include "commands.hpp"
#include "startup_error.hpp"

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) {
        std::fputs("usage: stance_tool stance|stance-train OPTIONS\n", stderr);
        return 2;
    }
    auto run = args[0] == "stance" ? newswatch::app::run_stance
               : args[0] == "stance-train" ? newswatch::app::run_stance_train
                                           : nullptr;
    if (!run) {
        std::fprintf(stderr, "stance_tool: unknown command '%s'\n", args[0].c_str());
        return 2;
    }
    return newswatch::app::run_guarded("stance_tool " + args[0], [&] {
        newswatch::app::cli_args cli({args.begin() + 1, args.end()});
        return run(cli);
    });
}
