// newswatch fetch [--config FILE] [--etag V] [--last-modified V] [--save FILE]
//                 [--log-level LEVEL] URL
// Fetches one URL with the daemon's fetcher and settings (the feed's own when URL is a
// configured feed, else the [daemon] ones) and prints the outcome as one JSON object.
// Exit 0 when the fetch succeeded or was not modified, 1 otherwise.
#include <cstdio>
#include <fstream>
#include <iostream>

#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>

#include "commands.hpp"
#include "logging_setup.hpp"
#include "newswatch/config/config.hpp"
#include "newswatch/http/http_client.hpp"
#include "runtime_setup.hpp"

namespace newswatch::app {

namespace {

boost::json::value optional_string(const std::optional<std::string>& s) {
    return s ? boost::json::value(*s) : boost::json::value(nullptr);
}

boost::json::value optional_seconds(const std::optional<core::seconds>& s) {
    return s ? boost::json::value(s->count()) : boost::json::value(nullptr);
}

}  // namespace

int run_fetch(cli_args& args) {
    const auto config_file = args.option("--config");
    const auto etag = args.option("--etag");
    const auto last_modified = args.option("--last-modified");
    const auto save = args.option("--save");
    const auto level = args.option("--log-level");
    const auto positionals = args.positionals();
    if (positionals.size() != 1)
        throw usage_error(
            "usage: newswatch fetch [--config FILE] [--etag V] [--last-modified V] [--save FILE] URL");
    const std::string& url = positionals.front();
    setup_logging(level.value_or("warn"), log_format::automatic);  // logs go to stderr, JSON to stdout

    config::configuration cfg;
    if (config_file) cfg = config::load_configuration(*config_file);  // throws config_error -> exit 2
    config::feed_config feed;
    feed.url = url;
    for (const auto& f : cfg.feeds)
        if (f.url == url) feed = f;
    http::fetch_request request = request_template_of(cfg, feed);
    if (etag) request.etag = *etag;
    if (last_modified) request.last_modified = *last_modified;

    boost::asio::io_context io;
    http::fetch_response response;
    {
        http::http_client client(io.get_executor(), client_options_of(cfg));
        client.async_fetch(request, [&](http::fetch_response r) { response = std::move(r); });
        io.run();
    }

    boost::json::object out;
    out["url"] = url;
    out["outcome"] = std::string(http::to_string(response.outcome));
    out["http_status"] = response.http_status;
    out["error"] = response.error.empty() ? boost::json::value(nullptr) : boost::json::value(response.error);
    out["effective_url"] = response.effective_url;
    out["permanent_redirect"] = optional_string(response.permanent_redirect);
    out["redirects"] = response.redirects;
    out["content_type"] = response.content_type;
    out["etag"] = response.etag;
    out["last_modified"] = response.last_modified;
    out["retry_after"] = optional_seconds(response.retry_after);
    out["max_age"] = optional_seconds(response.max_age);
    out["body_bytes"] = response.body_bytes;
    out["wire_bytes"] = response.wire_bytes;
    out["duration_ms"] = response.duration.count();
    out["http_version"] =
        response.http_version.empty() ? boost::json::value(nullptr) : boost::json::value(response.http_version);
    out["connections_opened"] = response.connections_opened;
    if (!response.refused_address.empty()) out["refused_address"] = response.refused_address;
    std::cout << boost::json::serialize(out) << '\n';

    if (save && response.outcome == http::fetch_outcome::ok) {
        std::ofstream file(*save, std::ios::binary | std::ios::trunc);
        file.write(response.body.data(), static_cast<std::streamsize>(response.body.size()));
        if (!file) {
            std::fprintf(stderr, "newswatch fetch: cannot write %s\n", save->c_str());
            return 1;
        }
    }
    return response.succeeded() ? 0 : 1;
}

}  // namespace newswatch::app
