#include "newswatch/pipeline/article_fetcher.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <memory>
#include <unordered_map>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/url/parse.hpp>

#include "newswatch/core/metrics_registry.hpp"
#include "newswatch/extract/article_extractor.hpp"
#include "newswatch/logging/module_logger.hpp"
#include "newswatch/logging/structured_log.hpp"

namespace newswatch::pipeline {

namespace asio = boost::asio;

namespace {

// The reason an article is unavailable, as the alert says it: "HTTP 404", "timeout",
// "body too large", "address refused", ...
std::string reason_of(const http::fetch_response& r) {
    if (r.outcome == http::fetch_outcome::http_error) return "HTTP " + std::to_string(r.http_status);
    std::string reason(http::to_string(r.outcome));
    std::replace(reason.begin(), reason.end(), '_', ' ');
    return reason;
}

// Its class (core::article_unavailable_reasons): the metrics label.
const char* reason_class_of(const http::fetch_response& r) {
    using o = http::fetch_outcome;
    switch (r.outcome) {
        case o::http_error:
            return r.http_status >= 400 && r.http_status < 500   ? "http_4xx"
                   : r.http_status >= 500 && r.http_status < 600 ? "http_5xx"
                                                                 : "http_other";
        case o::timeout:
            return "timeout";
        case o::body_too_large:
        case o::headers_too_large:
            return "too_large";
        case o::too_many_redirects:
        case o::redirect_refused:
        case o::address_refused:
        case o::bad_url:
            return "refused";
        case o::cancelled:
            return "cancelled";
        default:
            return "network";
    }
}

// Classes that say something about the site or our settings for it, not a passing fault.
bool actionable(std::string_view reason_class) {
    return reason_class == "no_text" || reason_class == "not_html" || reason_class == "extraction_failed" ||
           reason_class == "http_4xx" || reason_class == "refused" || reason_class == "too_large";
}

// Pages the extractor can read: HTML, XHTML, or an undeclared type.
bool readable_type(std::string_view content_type) {
    const std::string_view essence = content_type.substr(0, content_type.find(';'));
    return essence.empty() || essence.find("html") != std::string_view::npos ||
           essence.find("text/plain") != std::string_view::npos;
}

std::string host_of(std::string_view url) {
    auto parsed = boost::urls::parse_uri(url);
    if (!parsed) return {};
    std::string host(parsed->encoded_host());
    std::transform(host.begin(), host.end(), host.begin(), [](unsigned char c) { return std::tolower(c); });
    return host;
}

// The URL the text is cached under: the page's rel=canonical when it is on the host that
// served the page (another host could otherwise plant its text under a URL of a site it
// does not control), else the page's own URL after redirects.
std::string cache_url_of(const std::optional<std::string>& canonical, const std::string& page_url) {
    if (canonical && !canonical->empty() && host_of(*canonical) == host_of(page_url) &&
        !host_of(page_url).empty())
        return *canonical;
    return page_url;
}

struct extracted {
    std::string canonical;
    std::string text;
    std::string reason;                             // set when there is no text
    const char* reason_class = "";                  // with `reason`
    std::optional<std::chrono::microseconds> took;  // when the extractor ran
};

// How log lines name the feed: as the HTTP client does for its fetches.
const std::string& feed_name(const feed_definition& feed) {
    return feed.request.feed.empty() ? feed.url : feed.request.feed;
}

}  // namespace

article_fetcher::article_fetcher(asio::any_io_executor executor, http::http_client& client,
                                 store::state_store& store, compute_pool& compute,
                                 const pipeline_options& options)
    : executor_(std::move(executor)),
      client_(client),
      cache_(store),
      compute_(compute),
      options_(options),
      logger_(logging::module_logger("pipeline")) {}

asio::awaitable<std::vector<http::fetch_response>> article_fetcher::fetch_pages(
    const feed_definition& feed, const std::vector<std::string>& urls) {
    // Every page at once; the client's per-host cap and pacing keep it polite. The waiting
    // state is shared with the completions, which the client calls exactly once each.
    struct waiting {
        explicit waiting(asio::any_io_executor e, std::size_t n) : wake(std::move(e)), responses(n), left(n) {
            wake.expires_at(asio::steady_timer::time_point::max());
        }
        asio::steady_timer wake;
        std::vector<http::fetch_response> responses;
        std::size_t left;
    };
    auto state = std::make_shared<waiting>(executor_, urls.size());
    for (std::size_t i = 0; i < urls.size(); ++i) {
        http::fetch_request request = feed.request;  // the feed's headers, auth, proxy, TLS, allow list
        request.url = urls[i];
        // configured_url stays the feed's: a page on the feed's own origin is as trusted as
        // the feed, any other must pass the SSRF guard.
        request.configured_url = feed.url;
        request.limits.total_timeout = std::min(request.limits.total_timeout, options_.article_timeout);
        request.gated = false;  // the document waiting for it already holds a backlog place
        request.log = false;    // not a feed fetch: fetch() logs it as event="article"
        ++pages_requested_;
        client_.async_fetch(std::move(request), [state, i](http::fetch_response response) {
            state->responses[i] = std::move(response);
            if (--state->left == 0) state->wake.cancel();
        });
    }
    while (state->left > 0) co_await state->wake.async_wait(asio::as_tuple(asio::use_awaitable));
    co_return std::move(state->responses);
}

asio::awaitable<std::vector<item_article>> article_fetcher::fetch(const feed_definition& feed,
                                                                  const std::vector<std::string>& links,
                                                                  core::timestamp now) {
    std::vector<item_article> out(links.size());
    // Distinct links not in the cache, and which results each one fills.
    std::vector<std::string> to_fetch;
    std::unordered_map<std::string, std::size_t> slot_of;
    std::vector<std::size_t> slot(links.size(), SIZE_MAX);
    for (std::size_t i = 0; i < links.size(); ++i) {
        out[i].url = links[i];
        auto cached = cache_.find(links[i], now - options_.article_retention);
        if (!cached)
            logging::log(*logger_, spdlog::level::warn, "cannot read the article cache",
                         {.event = "state_error",
                          .feed = feed_name(feed),
                          .extra = {{"error", cached.err().message}}});
        if (cached && *cached) {
            out[i].used = true;
            out[i].from_cache = true;
            out[i].url = std::move((*cached)->canonical_url);
            out[i].text = std::move((*cached)->text);
            logging::log(*logger_, spdlog::level::debug, "article read from the cache",
                         {.event = "article",
                          .feed = feed_name(feed),
                          .outcome = "used",
                          .extra = {{"url", links[i]},
                                    {"cache", "hit"},
                                    {"canonical_url", out[i].url},
                                    {"text_bytes", out[i].text.size()}}});
            continue;
        }
        const auto [it, added] = slot_of.emplace(links[i], to_fetch.size());
        if (added) to_fetch.push_back(links[i]);
        slot[i] = it->second;
    }
    if (to_fetch.empty()) co_return out;

    std::vector<http::fetch_response> pages = co_await fetch_pages(feed, to_fetch);

    // Extraction is CPU work (an HTML5 parse and scoring per page): on the workers.
    const extract::css_selector* selector = feed.content_selector.get();
    std::vector<extracted> read = co_await compute_.run([&pages, &to_fetch, selector]() noexcept {
        std::vector<extracted> result(pages.size());
        for (std::size_t p = 0; p < pages.size(); ++p) {
            const http::fetch_response& page = pages[p];
            extracted& e = result[p];
            if (page.outcome != http::fetch_outcome::ok) {
                e.reason = reason_of(page);
                e.reason_class = reason_class_of(page);
                continue;
            }
            if (!readable_type(page.content_type)) {
                e.reason =
                    "not an HTML page (" + page.content_type.substr(0, page.content_type.find(';')) + ")";
                e.reason_class = "not_html";
                continue;
            }
            const std::string& page_url = page.effective_url.empty() ? to_fetch[p] : page.effective_url;
            const auto started = std::chrono::steady_clock::now();
            try {
                extract::extract_options options;
                options.base_url = page_url;
                options.content_type = page.content_type;
                options.content_selector = selector;
                extract::article a = extract::extract_article(page.body, options);
                if (a.text.empty()) {
                    e.reason = "no article text found";
                    e.reason_class = "no_text";
                } else {
                    e.canonical = cache_url_of(a.canonical_url, page_url);
                    e.text = std::move(a.text);
                }
            } catch (const std::exception& ex) {  // allocation failure: the item goes on without it
                e.reason = std::string("extraction failed: ") + ex.what();
                e.reason_class = "extraction_failed";
            }
            e.took = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() -
                                                                           started);
        }
        return result;
    });

    for (std::size_t p = 0; p < read.size(); ++p) {
        const extracted& e = read[p];
        const http::fetch_response& page = pages[p];
        if (e.took)
            core::metrics_registry::process().article_extracted(*e.took, page.body_bytes, e.text.size());
        if (e.reason.empty()) {
            if (auto r = cache_.put(to_fetch[p], e.canonical, e.text, now); !r)
                logging::log(
                    *logger_, spdlog::level::warn, "cannot write the article cache",
                    {.event = "state_error", .feed = feed_name(feed), .extra = {{"error", r.err().message}}});
        }
        // One line per page: info, also when it is unavailable (the item is matched on its
        // feed text, nothing is lost); a warning only for a feed whose pages keep failing.
        logging::log_fields fields{.event = "article",
                                   .feed = feed_name(feed),
                                   .outcome = e.reason.empty() ? "used" : "unavailable",
                                   .extra = {{"url", to_fetch[p]},
                                             {"cache", "miss"},
                                             {"status", page.http_status},
                                             {"bytes", page.body_bytes},
                                             {"duration_ms", page.duration.count()}}};
        if (e.took) fields.extra.push_back({"extract_ms", e.took->count() / 1000});
        if (e.reason.empty()) {
            fields.extra.push_back({"text_bytes", e.text.size()});
            if (e.canonical != to_fetch[p]) fields.extra.push_back({"canonical_url", e.canonical});
        } else {
            fields.extra.push_back({"reason", e.reason});
            fields.extra.push_back({"reason_class", e.reason_class});
            if (!page.error.empty() && page.error != e.reason) fields.extra.push_back({"error", page.error});
        }
        const bool cancelled = std::string_view(e.reason_class) == "cancelled";
        logging::log(
            *logger_, cancelled ? spdlog::level::debug : spdlog::level::info,
            e.reason.empty() ? "article read" : "article unavailable: the item is matched on its feed text",
            fields);
        note_page(feed, e.reason.empty(), e.reason, e.reason_class);
    }
    for (std::size_t i = 0; i < links.size(); ++i) {
        if (slot[i] == SIZE_MAX) continue;
        const extracted& e = read[slot[i]];
        if (e.reason.empty()) {
            out[i].used = true;
            out[i].url = e.canonical;
            out[i].text = e.text;
        } else {
            out[i].reason = e.reason;
            out[i].reason_class = e.reason_class;
        }
    }
    co_return out;
}

void article_fetcher::note_page(const feed_definition& feed, bool used, std::string_view reason,
                                std::string_view reason_class) {
    if (!used && !actionable(reason_class)) return;
    failure_run& run = failures_[feed.url];
    if (used) {
        if (run.warned)
            logging::log(*logger_, spdlog::level::info, "articles of this feed are read again",
                         {.event = "article", .feed = feed_name(feed), .outcome = "recovered"});
        run = {};
        return;
    }
    if (++run.pages < failure_warning_pages || run.warned) return;
    run.warned = true;
    logging::log(
        *logger_, spdlog::level::warn,
        "no article of this feed could be read: check its content_selector or turn fetch_article off",
        {.event = "article",
         .feed = feed_name(feed),
         .outcome = "failing",
         .extra = {{"pages", run.pages}, {"reason", reason}, {"reason_class", reason_class}}});
}

void article_fetcher::prune(core::timestamp now) {
    if (auto r = cache_.prune(now - options_.article_retention); !r)
        logging::log(*logger_, spdlog::level::warn, "cannot prune the article cache",
                     {.event = "state_error", .extra = {{"error", r.err().message}}});
    else if (*r > 0)
        logging::log(
            *logger_, spdlog::level::debug, "pruned cached articles",
            {.event = "prune",
             .extra = {{"articles", *r}, {"retention", core::format_duration(options_.article_retention)}}});
}

}  // namespace newswatch::pipeline
