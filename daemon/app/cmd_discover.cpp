// newswatch discover [--config FILE] [--log-level LEVEL] URL
// Finds the feeds of a web page and prints them as [[feed]] tables. Fetches go through
// the daemon's own fetcher with the [daemon] settings (limits, proxy, SSRF guard and its
// allow-list). Exit 0 when at least one feed was found, 1 when none (or the page could
// not be fetched), 2 for usage and config errors.
#include <cstdio>

#include <boost/asio/io_context.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include "commands.hpp"
#include "logging_setup.hpp"
#include "newswatch/config/config.hpp"
#include "newswatch/config/opml.hpp"
#include "newswatch/http/http_client.hpp"
#include "newswatch/parser/feed_links.hpp"
#include "newswatch/parser/feed_parser.hpp"
#include "runtime_setup.hpp"

namespace newswatch::app {

namespace {

constexpr const char* discover_usage = "usage: newswatch discover [--config FILE] URL";

class page_fetcher {
public:
    explicit page_fetcher(const config::configuration& cfg)
        : cfg_(cfg), client_(io_.get_executor(), client_options_of(cfg)) {}

    http::fetch_response fetch(const std::string& url) {
        config::feed_config feed;
        feed.url = url;
        http::fetch_response response;
        client_.async_fetch(request_template_of(cfg_, feed),
                            [&](http::fetch_response r) { response = std::move(r); });
        io_.restart();
        io_.run();
        return response;
    }

private:
    const config::configuration& cfg_;
    boost::asio::io_context io_;
    http::http_client client_;
};

// The document as a feed, when it is one.
std::optional<config::opml_feed> as_feed(const std::string& url, const http::fetch_response& response) {
    if (response.outcome != http::fetch_outcome::ok) return std::nullopt;
    parser::parse_options options;
    options.content_type = response.content_type;
    options.base_url = response.effective_url;
    const auto parsed = parser::parse_feed(response.body, options);
    if (!parsed.ok()) return std::nullopt;
    config::opml_feed feed;
    feed.url = url;
    feed.title = parsed.feed.title;
    return feed;
}

// scheme://authority of `url` (no path), or "" when it is not a URL.
std::string origin_of(const std::string& url) {
    auto parsed = boost::urls::parse_uri(url);
    if (!parsed) return {};
    boost::urls::url origin;
    origin.set_scheme(parsed->scheme());
    origin.set_encoded_authority(parsed->encoded_authority());
    return std::string(origin.buffer());
}

}  // namespace

int run_discover(cli_args& args) {
    const auto config_file = args.option("--config");
    const auto level = args.option("--log-level");
    const auto positionals = args.positionals();
    if (positionals.size() != 1) throw usage_error(discover_usage);
    const std::string& url = positionals.front();
    if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0)
        throw usage_error("discover: the URL must start with http:// or https://");
    setup_logging(level.value_or("warn"), log_format::automatic);  // logs to stderr, tables to stdout

    config::configuration cfg;
    if (config_file) cfg = config::load_configuration(*config_file);  // throws config_error -> exit 2
    page_fetcher pages(cfg);
    const auto page = pages.fetch(url);
    if (page.outcome != http::fetch_outcome::ok) {
        std::fprintf(stderr, "newswatch discover: %s: %s%s\n", url.c_str(),
                     std::string(http::to_string(page.outcome)).c_str(),
                     page.error.empty() ? "" : (": " + page.error).c_str());
        return 1;
    }

    std::vector<config::opml_feed> found;
    std::string how;
    if (auto feed = as_feed(url, page)) {
        found.push_back(std::move(*feed));
        how = "the URL is a feed itself";
    } else {
        const std::string base = page.effective_url.empty() ? url : page.effective_url;
        for (auto& link : parser::find_feed_links(page.body, base)) {
            config::opml_feed feed;
            feed.url = std::move(link.url);
            feed.title = std::move(link.title);
            if (feed.url.rfind("http://", 0) == 0 || feed.url.rfind("https://", 0) == 0)
                found.push_back(std::move(feed));
        }
        how = "announced by the page (<link rel=\"alternate\">)";
        if (found.empty()) {
            how = "found at common paths (the page announces none)";
            const std::string origin = origin_of(base);
            for (auto path : parser::common_feed_paths()) {
                const std::string candidate = origin + std::string(path);
                if (auto feed = as_feed(candidate, pages.fetch(candidate))) found.push_back(std::move(*feed));
            }
        }
    }
    if (found.empty()) {
        std::fprintf(stderr,
                     "newswatch discover: %s: no feed found (no <link rel=\"alternate\"> and none of the "
                     "common paths)\n",
                     url.c_str());
        return 1;
    }
    std::printf("# %zu feed%s for %s: %s\n\n%s", found.size(), found.size() == 1 ? "" : "s", url.c_str(),
                how.c_str(), config::feed_tables_toml(found).c_str());
    return 0;
}

}  // namespace newswatch::app
