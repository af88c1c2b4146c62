// `newswatch`: the tool. Dispatches to one subcommand; maps errors to exit codes.
#include <cstdio>
#include <exception>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "commands.hpp"
#include "newswatch/version.hpp"
#include "startup_error.hpp"

namespace {

constexpr std::string_view usage_text =
    "usage: newswatch COMMAND [OPTIONS]   (newswatch COMMAND --help for one command)\n"
    "\n"
    "commands:\n"
    "  parse [--json] [--content-type VALUE] FILE...|-   parse feed files, print items\n"
    "  match --config FILE [--explain] [--json] FEED...  run watches over feed files\n"
    "  fetch [--config FILE] URL                         fetch one URL, print the outcome\n"
    "  article [--json] URL|FILE...                      extract web pages' article text\n"
    "  feeds list|reset --config FILE [URL]              show or reset feed state\n"
    "  feeds import-opml FILE [--out FEEDS.toml]         OPML -> [[feed]] tables\n"
    "  feeds export-opml --config FILE [--out F.opml]    configured feeds -> OPML\n"
    "  discover [--config FILE] URL                      find a web page's feeds\n"
    "  check --config FILE [--model PATH]                validate a configuration\n"
    "  stance [--model PATH] --bodies B --pairs P --out O  classify FNC-1 style CSV\n"
    "  stance-train --data DIR --out FILE                train the stance model\n"
    "  status [--state-dir DIR|--config FILE] [--json]  the daemon, its feeds and outbox\n"
    "  reload [--state-dir DIR|--config FILE]            reload the daemon's config, wait\n"
    "  alerts list|show|retry|replay ...                 delivered, pending and dead alerts\n"
    "  sink test NAME --config FILE                      send a test message through one sink\n"
    "  --version                                         print the version\n";

struct command {
    std::string_view name;
    int (*run)(newswatch::app::cli_args&);
    std::string_view usage;  // --help
};

constexpr command commands[] = {
    {"parse", newswatch::app::run_parse,
     "usage: newswatch parse [--json] [--content-type VALUE] FILE...|-\n"
     "Parses feed documents (RSS, Atom, JSON Feed) and prints what the daemon reads from them.\n"},
    {"match", newswatch::app::run_match,
     "usage: newswatch match --config FILE [--explain] [--json] [--model PATH] FEED_FILE...\n"
     "Runs the configuration's watches over feed files; --explain says why each matched or not.\n"},
    {"fetch", newswatch::app::run_fetch,
     "usage: newswatch fetch [--config FILE] [--etag V] [--last-modified V] [--save FILE] URL\n"
     "Fetches one URL with the daemon's settings (limits, SSRF guard, proxy) and prints the outcome.\n"},
    {"article", newswatch::app::run_article,
     "usage: newswatch article [--json] [--config FILE] [--content-selector SELECTOR]\n"
     "                         [--content-type VALUE] URL|FILE...\n"
     "Prints what the article extractor reads from web pages (fetched with the daemon's\n"
     "settings and SSRF guard, or files): title, byline, date and the main text. --json: one\n"
     "object per input with url or file, title, byline, published, lang, text.\n"},
    {"feeds", newswatch::app::run_feeds,
     "usage: newswatch feeds list --config FILE [--state-dir DIR] [--json]\n"
     "       newswatch feeds reset --config FILE [--state-dir DIR] URL\n"
     "       newswatch feeds import-opml FILE [--out FEEDS.toml]\n"
     "       newswatch feeds export-opml --config FILE [--out FILE.opml]\n"
     "list: each feed's state; reset: clear retirement and backoff (a running daemon notices);\n"
     "import-opml: [[feed]] tables from an OPML file (folders and categories become tags,\n"
     "duplicate URLs are reported); export-opml: the configured feeds as OPML 2.0.\n"},
    {"discover", newswatch::app::run_discover,
     "usage: newswatch discover [--config FILE] URL\n"
     "Finds the feeds of a web page (<link rel=\"alternate\">, else common paths such as /feed\n"
     "and /rss.xml) through the daemon's fetcher and SSRF guard, and prints [[feed]] tables.\n"},
    {"check", newswatch::app::run_check,
     "usage: newswatch check --config FILE [--model PATH]\n"
     "Refuses what newswatchd would refuse (exit 2) and warns about what it would adjust.\n"},
    {"stance", newswatch::app::run_stance,
     "usage: newswatch stance [--model PATH] [--config FILE] --bodies B.csv --pairs P.csv --out PRED.csv\n"
     "Classifies the stance of FNC-1 style headline/body pairs.\n"},
    {"stance-train", newswatch::app::run_stance_train,
     "usage: newswatch stance-train --data DIR --out FILE [--seed N] [--holdout FRACTION]\n"
     "Trains the stance model from FNC-1 data.\n"},
    {"status", newswatch::app::run_status,
     "usage: newswatch status [--state-dir DIR | --config FILE] [--json]\n"
     "The running daemon (pid, uptime, config), feeds by state, last round, alerts pending;\n"
     "read from the state database when the daemon is down.\n"},
    {"alerts", newswatch::app::run_alerts,
     "usage: newswatch alerts list [--since TIME] [--watch W] [--sink S] [--state pending|delivered|dead]\n"
     "                             [--limit N] [--json]\n"
     "       newswatch alerts show ID [--json]\n"
     "       newswatch alerts retry ID [--sink S] | newswatch alerts retry --dead [--sink S]\n"
     "       newswatch alerts replay --since TIME --sink S\n"
     "  each with [--state-dir DIR | --config FILE]; TIME: RFC 3339 or a duration back from now (2h, 7d).\n"
     "The outbox: list its alerts, show one with every sink's attempts, queue dead letters again, or\n"
     "send past alerts to a sink again with their own ids. A running newswatchd acts within 5 s.\n"},
    {"sink", newswatch::app::run_sink,
     "usage: newswatch sink test NAME --config FILE [--state-dir DIR] [--timeout D]\n"
     "Sends one clearly marked test message ({\"type\": \"test\", ...}, X-Newswatch-Event: test) through\n"
     "the configured sink NAME, as the daemon would, and prints the outcome: exit 0 delivered,\n"
     "1 failed (with the reason), 2 usage or configuration error. Run it after configuring a channel.\n"},
    {"reload", newswatch::app::run_reload,
     "usage: newswatch reload [--state-dir DIR | --config FILE] [--timeout D]\n"
     "Signals the running daemon to reload its configuration and waits for the verdict:\n"
     "exit 0 accepted, 2 rejected (the daemon keeps the running configuration), 1 no answer.\n"},
};

// "--help" / "--version" anywhere before a "--" (they win over everything else).
bool asks_for(const std::vector<std::string>& args, std::initializer_list<std::string_view> names) {
    for (std::size_t i = 1; i < args.size() && args[i] != "--"; ++i)
        for (auto name : names)
            if (args[i] == name) return true;
    return false;
}

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
        if (asks_for(args, {"--help", "-h"})) {
            std::fwrite(cmd.usage.data(), 1, cmd.usage.size(), stdout);
            return 0;
        }
        if (asks_for(args, {"--version"})) {
            std::printf("newswatch %s\n", newswatch::version);
            return 0;
        }
        return newswatch::app::run_guarded("newswatch " + std::string(cmd.name), [&] {
            newswatch::app::cli_args cli({args.begin() + 1, args.end()});
            return cmd.run(cli);
        });
    }
    std::fprintf(stderr, "newswatch: unknown command '%s' (see newswatch --help)\n", args[0].c_str());
    return 2;
}
