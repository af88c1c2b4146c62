// `newswatch`: the tool. Dispatches to one subcommand; maps errors to exit codes.
#include <cstdio>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include "commands.hpp"
#include "newswatch/version.hpp"
#include "startup_error.hpp"

namespace {

constexpr std::string_view usage_text =
    "usage: newswatch COMMAND [OPTIONS]\n"
    "\n"
    "commands:\n"
    "  parse [--json] [--content-type VALUE] FILE...|-   parse feed files, print items\n"
    "  match --config FILE [--explain] [--json] FEED...  run watches over feed files\n"
    "  fetch [--config FILE] URL                         fetch one URL, print the outcome\n"
    "  feeds list|reset --config FILE [URL]             show or reset feed state\n"
    "  check --config FILE                               validate a configuration\n"
    "  stance [--model PATH] --bodies B --pairs P --out O  classify FNC-1 style CSV\n"
    "  stance-train --data DIR --out FILE                train the stance model\n"
    "  status [--state-dir DIR|--config FILE] [--json]  the daemon, its feeds and outbox\n"
    "  reload [--state-dir DIR|--config FILE]            reload the daemon's config, wait\n"
    "  --version                                         print the version\n";

struct command {
    std::string_view name;
    int (*run)(newswatch::app::cli_args&);
};

constexpr command commands[] = {
    {"parse", newswatch::app::run_parse},   {"match", newswatch::app::run_match},
    {"fetch", newswatch::app::run_fetch},   {"feeds", newswatch::app::run_feeds},
    {"check", newswatch::app::run_check},   {"stance", newswatch::app::run_stance},
    {"stance-train", newswatch::app::run_stance_train},
    {"status", newswatch::app::run_status}, {"reload", newswatch::app::run_reload},
};

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        std::fputs(usage_text.data(), args.empty() ? stderr : stdout);
        return args.empty() ? 2 : 0;
    }
    if (args[0] == "--version") {
        std::printf("newswatch %s\n", newswatch::version);
        return 0;
    }
    for (const auto& cmd : commands) {
        if (args[0] != cmd.name) continue;
        return newswatch::app::run_guarded("newswatch " + std::string(cmd.name), [&] {
            newswatch::app::cli_args cli({args.begin() + 1, args.end()});
            return cmd.run(cli);
        });
    }
    std::fprintf(stderr, "newswatch: unknown command '%s' (see newswatch --help)\n", args[0].c_str());
    return 2;
}
