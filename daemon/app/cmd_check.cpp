// newswatch check --config FILE [--model PATH]: refuses exactly what newswatchd refuses at
// startup (exit 2) and warns about what the daemon would silently adjust (exit 0).
#include <cstdio>

#include "commands.hpp"
#include "metrics_endpoint.hpp"
#include "newswatch/config/config.hpp"
#include "newswatch/config/config_error.hpp"
#include "runtime_setup.hpp"
#include "websub_service.hpp"

namespace newswatch::app {

namespace {

// What the daemon accepts but changes or ignores without a word.
std::vector<std::string> adjustments(const config::configuration& cfg) {
    std::vector<std::string> out;
    const auto& d = cfg.daemon;
    if (d.interval < d.min_interval)
        out.push_back(cfg.file.string() + ": [daemon] interval " + core::format_duration(d.interval) +
                      " is below min_interval " + core::format_duration(d.min_interval) +
                      ": feeds are polled every " + core::format_duration(d.min_interval));
    for (const auto& f : cfg.feeds)
        if (f.interval && *f.interval < d.min_interval)
            out.push_back(f.where.to_string() + ": feed " + f.url + " interval " +
                          core::format_duration(*f.interval) + " is below min_interval " +
                          core::format_duration(d.min_interval) + ": polled every " +
                          core::format_duration(d.min_interval));
    if (cfg.feeds.empty()) out.push_back(cfg.file.string() + ": no feeds: the daemon will poll nothing");
    if (cfg.watches.empty())
        out.push_back(cfg.file.string() + ": no watches: feeds are polled but nothing can raise an alert");
    for (const auto& w : cfg.watches)
        if (w.sinks.empty() && d.default_sinks.empty())
            out.push_back(
                w.where.to_string() + ": watch '" + w.spec.name +
                "' has no sinks and [daemon] default_sinks is empty: its alerts only go to the log");
    return out;
}

}  // namespace

int run_check(cli_args& args) {
    const auto config_file = args.option("--config");
    const auto model_option = args.option("--model");
    if (!args.positionals().empty() || !config_file)
        throw usage_error("usage: newswatch check --config FILE [--model PATH]");
    const auto cfg = config::load_configuration(*config_file);  // throws config_error -> exit 2
    (void)feed_definitions_of(cfg);                             // reads password files
    (void)make_sinks(cfg,
                     sinks::sink_context{.executor = {},
                                         .http = nullptr,
                                         .state_dir = resolve_state_dir(
                                             std::nullopt, cfg)});  // sink types, as the daemon builds them
    (void)metrics_address_of(cfg);
    (void)websub_address_of(cfg);
    // newswatchd refuses to start without the model a claim watch needs.
    if (auto stance = load_stance_model(cfg, model_option); !stance)
        throw config::config_error(stance.err().message);
    for (const auto& warning : url_password_warnings(cfg))
        std::fprintf(stderr, "newswatch check: warning: %s\n", warning.c_str());
    for (const auto& warning : adjustments(cfg))
        std::fprintf(stderr, "newswatch check: warning: %s\n", warning.c_str());
    std::printf("%s: ok: %zu feeds, %zu watches, %zu sinks\n", config_file->c_str(), cfg.feeds.size(),
                cfg.watches.size(), cfg.sinks.size());
    return 0;
}

}  // namespace newswatch::app
