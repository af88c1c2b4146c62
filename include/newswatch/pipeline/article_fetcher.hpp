#pragma once
// Full-article fetching (issue #15): the linked pages of new items, fetched with the feed's
// request settings through the daemon's HTTP client (limits, SSRF guard, per-host cap and
// pacing), read by the main-content extractor on the compute pool and cached in the state
// database (store::article_cache) by canonical URL. A page that cannot be had is a value
// with its reason: the item is then matched on its feed text.
#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <spdlog/logger.h>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "newswatch/core/time.hpp"
#include "newswatch/http/http_client.hpp"
#include "newswatch/pipeline/compute_pool.hpp"
#include "newswatch/pipeline/pipeline_options.hpp"
#include "newswatch/store/article_cache.hpp"

namespace newswatch::pipeline {

// What full-article fetching made of one item.
struct item_article {
    bool used = false;   // `text` holds the page's main text
    std::string reason;  // when !used: "HTTP 404", "timeout", "body too large", ...
    // when !used: the reason's class, one of core::article_unavailable_reasons ("http_4xx",
    // "timeout", "no_text", ...): the metrics label and the log field reason_class.
    std::string reason_class;
    std::string url;   // the page: its canonical URL when used, else the link
    std::string text;  // when used
    bool from_cache = false;
    // The alert's item.article: "used" or "unavailable: <reason>".
    std::string status() const { return used ? std::string("used") : "unavailable: " + reason; }
};

class article_fetcher {
public:
    // All references must outlive the fetcher. Construct, use and destroy on `executor`'s
    // thread (the store is used from there).
    article_fetcher(boost::asio::any_io_executor executor, http::http_client& client,
                    store::state_store& store, compute_pool& compute, const pipeline_options& options);

    // Executor. One result per link, in order; a link that appears twice is fetched once,
    // one cached within article_retention not at all. Never throws. When the client is
    // cancelled (stop) the unfinished pages come back unavailable ("cancelled").
    boost::asio::awaitable<std::vector<item_article>> fetch(const feed_definition& feed,
                                                            const std::vector<std::string>& links,
                                                            core::timestamp now);

    // Executor. Forgets cached articles older than article_retention.
    void prune(core::timestamp now);

    // Pages requested from the network since construction (not the cache hits).
    std::size_t pages_requested() const noexcept { return pages_requested_; }

    // Pages of one feed in a row that could not be read for a reason an operator can act
    // on (no article text, not HTML, HTTP 4xx, refused, too large) after which one warning
    // says so; a page read resets the count. Timeouts, 5xx and network errors neither count
    // nor reset: they are the site's passing trouble.
    static constexpr std::size_t failure_warning_pages = 10;

private:
    // A feed's run of pages that could not be read (failure_warning_pages).
    struct failure_run {
        std::size_t pages = 0;
        bool warned = false;
    };
    // One page of `feed` was fetched: counts it into the feed's failure_run.
    void note_page(const feed_definition& feed, bool used, std::string_view reason,
                   std::string_view reason_class);

    boost::asio::awaitable<std::vector<http::fetch_response>> fetch_pages(
        const feed_definition& feed, const std::vector<std::string>& urls);

    boost::asio::any_io_executor executor_;
    http::http_client& client_;
    store::article_cache cache_;
    compute_pool& compute_;
    const pipeline_options& options_;
    std::size_t pages_requested_ = 0;
    std::unordered_map<std::string, failure_run> failures_;  // by feed URL
    std::shared_ptr<spdlog::logger> logger_;
};

}  // namespace newswatch::pipeline
