// newswatch check --config FILE: validates a configuration the way newswatchd would.
#include <cstdio>

#include "commands.hpp"
#include "newswatch/config/config.hpp"
#include "runtime_setup.hpp"

namespace newswatch::app {

int run_check(cli_args& args) {
    const auto config_file = args.option("--config");
    if (!args.positionals().empty() || !config_file) throw usage_error("usage: newswatch check --config FILE");
    const auto cfg = config::load_configuration(*config_file);  // throws config_error -> exit 2
    (void)feed_definitions_of(cfg);                             // reads password files
    for (const auto& warning : url_password_warnings(cfg))
        std::fprintf(stderr, "warning: %s\n", warning.c_str());
    std::printf("%s: ok: %zu feeds, %zu watches, %zu sinks\n", config_file->c_str(), cfg.feeds.size(),
                cfg.watches.size(), cfg.sinks.size());
    return 0;
}

}  // namespace newswatch::app
