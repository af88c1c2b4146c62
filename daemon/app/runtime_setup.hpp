#pragma once
// Configuration -> the runtime structs of fetcher, sinks and pipeline. Startup only:
// throws config_error / runtime_error with a message naming what and where.
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "newswatch/config/config.hpp"
#include "newswatch/fetcher/http_client.hpp"
#include "newswatch/pipeline/pipeline_options.hpp"
#include "newswatch/sinks/alert_sink.hpp"
#include "newswatch/sinks/sink_context.hpp"
#include "newswatch/stance/stance_model.hpp"

namespace newswatch::app {

// --state-dir, then $STATE_DIRECTORY (systemd), then [daemon] state_dir, then /var/lib/newswatch.
std::filesystem::path resolve_state_dir(const std::optional<std::string>& cli, const config::configuration& cfg);

// The state directory a tool command (status, reload) looks at: --state-dir, else that of
// --config (as above), else $STATE_DIRECTORY, else /var/lib/newswatch.
std::filesystem::path tool_state_dir(const std::optional<std::string>& cli,
                                     const std::optional<std::string>& config_file);

// Creates the directory (0750) if needed; throws when it cannot.
void ensure_state_dir(const std::filesystem::path& dir);

fetcher::client_options client_options_of(const config::configuration& cfg);

// One warning per feed whose URL carries a password (it shows in `ps`, shell history and
// backups of the config): "<file:line>: feed http://***@host/...: ...".
std::vector<std::string> url_password_warnings(const config::configuration& cfg);

// The request template for one feed (global limits, proxy, private allow-list, per-feed
// headers, auth with the password read from its file now).
fetcher::fetch_request request_template_of(const config::configuration& cfg, const config::feed_config& feed);

std::vector<pipeline::feed_definition> feed_definitions_of(const config::configuration& cfg);
pipeline::pipeline_options pipeline_options_of(const config::configuration& cfg);

// Name of the implicit log sink used when a watch lists no sinks and there are no
// [daemon] default_sinks.
inline constexpr const char* implicit_log_sink = "log";

std::vector<pipeline::watch_binding> watch_bindings_of(const config::configuration& cfg);

// Every configured sink (plus the implicit log sink). A file sink path starting with
// "{state_dir}" is placed in `context.state_dir`. Reads secret files: throws config_error.
std::map<std::string, std::unique_ptr<sinks::alert_sink>> make_sinks(const config::configuration& cfg,
                                                                     const sinks::sink_context& context);
// Each sink's delivery settings by name (the implicit log sink gets the defaults).
std::map<std::string, config::delivery_policy> delivery_policies_of(const config::configuration& cfg);

// "{state_dir}/x" -> state_dir/x; other paths unchanged.
std::filesystem::path expand_state_dir(const std::filesystem::path& path, const std::filesystem::path& state_dir);

struct loaded_stance_model {
    stance::stance_model model;
    std::filesystem::path path;
};

// The stance model when some watch declares a claim (nullopt when none does), found in
// the order --model, [stance] model, the installed and the source-tree locations. An error
// names where it looked or what is wrong with the file; callers decide whether it is fatal.
core::result<std::optional<loaded_stance_model>> load_stance_model(const config::configuration& cfg,
                                                                   const std::optional<std::string>& cli_model);

}  // namespace newswatch::app
