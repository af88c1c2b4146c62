#pragma once
// Every subcommand of the `newswatch` tool. Each returns the process exit code:
// 0 success, 1 a data or run-time error after start, 2 usage or configuration error
// (usage_error / config errors may also be thrown; the main maps them to 2).
#include <optional>
#include <string>

#include "cli_args.hpp"

namespace newswatch::app {

int run_parse(cli_args& args);        // newswatch parse [--json] [--content-type V] FILE...|-
int run_match(cli_args& args);        // newswatch match --config FILE [--explain] [--json] FEED...
int run_fetch(cli_args& args);        // newswatch fetch [--config FILE] URL
int run_article(cli_args& args);      // newswatch article [--json] URL|FILE...
int run_feeds(cli_args& args);        // newswatch feeds list|reset|import-opml|export-opml ...
int run_discover(cli_args& args);     // newswatch discover [--config FILE] URL

// The OPML halves of `newswatch feeds` (cmd_opml.cpp). `out`: write there instead of stdout.
int import_opml(const std::string& opml_file, const std::optional<std::string>& out);
int export_opml(const std::string& config_file, const std::optional<std::string>& out);
int run_check(cli_args& args);        // newswatch check --config FILE
int run_stance(cli_args& args);       // newswatch stance [--model P] --bodies B --pairs P --out O
int run_stance_train(cli_args& args); // newswatch stance-train --data DIR --out FILE
int run_status(cli_args& args);       // newswatch status [--state-dir DIR | --config FILE] [--json]
int run_reload(cli_args& args);
int run_alerts(cli_args& args);
int run_sink(cli_args& args);         // newswatch sink test NAME --config FILE       // newswatch alerts list|show|retry|replay ...       // newswatch reload [--state-dir DIR | --config FILE] [--timeout D]

// newswatchd --config FILE [--once] [--state-dir DIR] [--log-level LEVEL]
int run_daemon(cli_args& args);

}  // namespace newswatch::app
