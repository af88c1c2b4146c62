// newswatch article [--json] [--config FILE] [--content-selector SEL] [--content-type V] URL|FILE...
// Prints what the article extractor reads from web pages: title, byline, date and text.
// URLs (http:// and https://) are fetched with the daemon's HTTP client and settings (limits,
// SSRF guard, proxy; --config for the configured ones); anything else is a file ("-" is
// standard input). With --json, one JSON object per input, in argument order, with the keys
// `url` or `file`, `title`, `byline`, `published`, `lang`, `text` (and `error` instead of
// the rest when the input could not be read). Exit 1 if any input failed.
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>

#include <iostream>

#include "commands.hpp"
#include "input_file.hpp"
#include "logging_setup.hpp"
#include "newswatch/config/config.hpp"
#include "newswatch/core/output_text.hpp"
#include "newswatch/extract/article_extractor.hpp"
#include "newswatch/http/http_client.hpp"
#include "runtime_setup.hpp"

namespace newswatch::app {

namespace {

constexpr std::string_view usage =
    "usage: newswatch article [--json] [--config FILE] [--content-selector SELECTOR] [--content-type VALUE] "
    "URL|FILE...";

bool is_url(std::string_view input) noexcept {
    return input.rfind("http://", 0) == 0 || input.rfind("https://", 0) == 0;
}

struct page {
    std::string bytes;
    std::string content_type;
    std::string base_url;
    std::string error;  // empty when the page was read
};

page fetch_page(const config::configuration& cfg, const std::string& url) {
    config::feed_config target;
    target.url = url;
    const http::fetch_request request = request_template_of(cfg, target);
    boost::asio::io_context io;
    http::fetch_response response;
    {
        http::http_client client(io.get_executor(), client_options_of(cfg));
        client.async_fetch(request, [&](http::fetch_response r) { response = std::move(r); });
        io.run();
    }
    page p;
    if (response.outcome != http::fetch_outcome::ok) {
        p.error = std::string(http::to_string(response.outcome));
        if (response.http_status) p.error += " (HTTP " + std::to_string(response.http_status) + ")";
        if (!response.error.empty()) p.error += ": " + response.error;
        return p;
    }
    p.bytes = std::move(response.body);
    p.content_type = std::move(response.content_type);
    p.base_url = response.effective_url.empty() ? url : response.effective_url;
    return p;
}

boost::json::value json_text(const std::optional<std::string>& s) {
    return s ? boost::json::value(core::payload_text(*s)) : boost::json::value(nullptr);
}

boost::json::object to_json(std::string_view key, const std::string& input, const extract::article& a) {
    boost::json::object o;
    o[key] = core::payload_text(input);
    o["title"] = json_text(a.title);
    o["byline"] = json_text(a.byline);
    o["published"] =
        a.published ? boost::json::value(core::format_rfc3339(*a.published)) : boost::json::value(nullptr);
    o["lang"] = json_text(a.lang);
    o["text"] = core::payload_text(a.text);
    return o;
}

// Terminal output follows the log policy (core/output_text.hpp): hostile characters are
// escaped, line by line so the paragraphs stay readable.
void print_article(const std::string& input, const extract::article& a) {
    std::cout << "==> " << core::log_escaped(input) << " <==\n";
    std::cout << "title: " << core::log_escaped(a.title.value_or("")) << '\n';
    std::cout << "byline: " << core::log_escaped(a.byline.value_or("")) << '\n';
    std::cout << "date: " << (a.published ? core::format_rfc3339(*a.published) : std::string()) << '\n';
    for (const auto& w : a.warnings) std::cout << "warning: " << core::log_escaped(w) << '\n';
    std::cout << '\n';
    std::string_view text = a.text;
    while (!text.empty()) {
        const std::size_t nl = text.find('\n');
        std::cout << core::log_escaped(text.substr(0, nl)) << '\n';
        if (nl == std::string_view::npos) break;
        text.remove_prefix(nl + 1);
    }
    std::cout << '\n';
}

}  // namespace

int run_article(cli_args& args) {
    const bool as_json = args.flag("--json");
    const auto config_file = args.option("--config");
    const auto selector_text = args.option("--content-selector");
    const std::string content_type = args.option("--content-type").value_or("");
    const auto level = args.option("--log-level");
    const std::vector<std::string> inputs = args.positionals();
    if (inputs.empty()) throw usage_error("article: no input; " + std::string(usage));
    setup_logging(level.value_or("warn"), log_format::automatic);  // logs to stderr

    std::optional<extract::css_selector> selector;
    if (selector_text) {
        auto parsed = extract::css_selector::parse(*selector_text);
        if (!parsed) throw usage_error("article: " + parsed.err().message);
        selector = std::move(*parsed);
    }
    config::configuration cfg;
    if (config_file) cfg = config::load_configuration(*config_file);  // throws config_error -> exit 2

    int exit_code = 0;
    for (const auto& input : inputs) {
        const bool url = is_url(input);
        page p;
        if (url) {
            p = fetch_page(cfg, input);
        } else if (std::string why; !read_input(input, p.bytes, why)) {
            p.error = why;
        } else {
            p.content_type = content_type;
        }
        const std::string_view key = url ? "url" : "file";
        if (!p.error.empty()) {
            exit_code = 1;
            std::cerr << "newswatch article: " << core::log_escaped(p.error) << ": "
                      << core::log_escaped(input) << '\n';
            if (as_json) {
                boost::json::object o;
                o[key] = core::payload_text(input);
                o["error"] = core::payload_text(p.error);
                std::cout << boost::json::serialize(o) << '\n';
            }
            continue;
        }
        extract::extract_options options;
        options.base_url = p.base_url;
        options.content_type = p.content_type;
        options.content_selector = selector ? &*selector : nullptr;
        const extract::article a = extract::extract_article(p.bytes, options);
        if (as_json)
            std::cout << boost::json::serialize(to_json(key, input, a)) << '\n';
        else
            print_article(input, a);
    }
    std::cout.flush();
    return exit_code;
}

}  // namespace newswatch::app
