#pragma once
// Full-article fetching (issue #15): the linked pages of new items, fetched with the feed's
// request settings through the daemon's HTTP client (limits, SSRF guard, per-host cap and
// pacing), read by the main-content extractor on the compute pool and cached in the state
// database (store::article_cache) by canonical URL. A page that cannot be had is a value
// with its reason: the item is then matched on its feed text.
#include <cstddef>
#include <string>
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
    std::string url;     // the page: its canonical URL when used, else the link
    std::string text;    // when used
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

private:
    boost::asio::awaitable<std::vector<http::fetch_response>> fetch_pages(
        const feed_definition& feed, const std::vector<std::string>& urls);

    boost::asio::any_io_executor executor_;
    http::http_client& client_;
    store::article_cache cache_;
    compute_pool& compute_;
    const pipeline_options& options_;
    std::size_t pages_requested_ = 0;
    std::shared_ptr<spdlog::logger> logger_;
};

}  // namespace newswatch::pipeline
